/**
 * "Test TLS connection" as any LSP client sees it (Neovim, Helix, …): a
 * CodeLens on the milvus.yaml `tls` block that names the server command, and
 * the command itself against a Go server configured as the Milvus proxy in
 * mode 2 (ALPN h2, TLS 1.3), started once for this file and stopped by pid.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspClient } from '../support/lsp-client';
import { tmpWorkspace, writeFiles, composeYaml, milvusYaml } from '../support/workspace';
import { makeCa, makeLeaf, EKU } from '../support/certs';
import { startGoServer, type GoServer } from '../support/go-tls';
import { closedPort } from '../support/probe-servers';
import { SERVER_COMMANDS, type TestConnectionResult } from '../../server/src/protocol';
import { needs } from '../../client/src/wizard/connection-answers';

let c: LspClient;
let root: string;
let go: GoServer;
let init: any;

before(async () => {
  root = tmpWorkspace('lsp-probe-');
  const ca = await makeCa('LSP Probe CA');
  const server = await makeLeaf(ca, { sans: ['localhost', '127.0.0.1'], eku: [EKU.serverAuth] });
  const client = await makeLeaf(ca, { cn: 'client', sans: ['client'], eku: [EKU.clientAuth] });
  writeFiles(root, {
    'tls/ca.pem': ca.certPem,
    'tls/server.pem': server.certPem,
    'tls/server.key': server.keyPem,
    'tls/client.pem': client.certPem,
    'tls/client.key': client.keyPem,
  });
  go = await startGoServer({
    cert: path.join(root, 'tls/server.pem'),
    key: path.join(root, 'tls/server.key'),
    ca: path.join(root, 'tls/ca.pem'),
    mode: 2,
    alpn: ['h2'],
    tls13: true,
  });
  writeFiles(root, {
    'docker-compose.yml': composeYaml().replace('"19530:19530"', `"${go.port}:19530"`),
    'milvus.yaml': milvusYaml({ mode: 2 }),
  });
  fs.mkdirSync(path.join(root, 'volumes/milvus'), { recursive: true });
  c = LspClient.ours();
  init = await c.initialize(root, {});
});

after(async () => {
  await c?.shutdown();
  await go?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

test('the server advertises the command and CodeLens', () => {
  assert.ok(init.capabilities.executeCommandProvider.commands.includes(SERVER_COMMANDS.testConnection));
  assert.deepEqual(init.capabilities.codeLensProvider, { resolveProvider: false });
});

test('a CodeLens on the tls block names the derived endpoint and runs the server command', async () => {
  const file = path.join(root, 'milvus.yaml');
  const text = fs.readFileSync(file, 'utf8');
  const uri = c.open(file, text, 'yaml');
  const lenses = await c.request<any[]>('textDocument/codeLens', { textDocument: { uri } });
  assert.equal(lenses.length, 1);
  const tlsLine = text.split('\n').indexOf('tls:');
  assert.equal(lenses[0].range.start.line, tlsLine);
  assert.equal(lenses[0].command.title, `Test TLS connection (127.0.0.1:${go.port})`);
  assert.equal(lenses[0].command.command, SERVER_COMMANDS.testConnection);

  const r = await c.request<TestConnectionResult>(
    'workspace/executeCommand',
    { command: lenses[0].command.command, arguments: lenses[0].command.arguments },
    30_000,
  );
  assert.equal(r.status, 'tested');
  if (r.status !== 'tested') return;
  assert.equal(r.ok, true, JSON.stringify(r.findings));
  assert.equal(r.alpn, 'h2');
  assert.deepEqual(r.clientCertificate, { configured: true, requested: true, sent: true, accepted: true });
  assert.match(r.markdown, /^# TLS connection to 127\.0\.0\.1:\d+: OK$/m);
  assert.match(r.markdown, /## Presented chain/);
  assert.match(r.markdown, /```sh\nopenssl s_client /);
  assert.doesNotMatch(r.markdown, /PRIVATE KEY/);
  // The editor is told the outcome in one line (an editor without a preview still sees it).
  await waitFor(() =>
    c.messages.some(
      (m) => m.type === 3 && /TLS connection to 127\.0\.0\.1:\d+ OK: TLSv1\.3, ALPN h2, client certificate accepted/.test(m.message),
    ),
  );

  // A changed, unsaved document is what is tested: tlsMode 1 means no client certificate is sent.
  c.change(uri, 2, text.replace('tlsMode: 2', 'tlsMode: 1'));
  const one = await c.request<TestConnectionResult>(
    'workspace/executeCommand',
    { command: SERVER_COMMANDS.testConnection, arguments: [{ uri, quiet: true }] },
    30_000,
  );
  assert.equal(one.status, 'tested');
  if (one.status !== 'tested') return;
  assert.equal(one.ok, false);
  assert.deepEqual(
    one.findings.map((f) => f.code),
    ['probe-client-cert-required'],
  );
});

test('an explicit target, nothing listening: a result, not a protocol error', async () => {
  const port = await closedPort();
  const r = await c.request<TestConnectionResult>(
    'workspace/executeCommand',
    { command: SERVER_COMMANDS.testConnection, arguments: [{ target: { host: '127.0.0.1', port } }] },
    30_000,
  );
  assert.equal(r.status, 'tested');
  if (r.status !== 'tested') return;
  assert.equal(r.exitCode, 2);
  assert.equal(r.findings[0].code, 'probe-no-listener');
  // A document with no endpoint says so; a bad target is an error answer.
  const pem = c.open(path.join(root, 'tls/ca.pem'), fs.readFileSync(path.join(root, 'tls/ca.pem'), 'utf8'), 'pem');
  const none = await c.request<TestConnectionResult>('workspace/executeCommand', {
    command: SERVER_COMMANDS.testConnection,
    arguments: [{ uri: pem }],
  });
  assert.equal(none.status, 'no-target');
  const bad = await c.request<any>('workspace/executeCommand', {
    command: SERVER_COMMANDS.testConnection,
    arguments: [{ target: { host: 'x', port: 0 } }],
  });
  assert.match(bad.error, /bad port/);
});

test('files the user picked fill only what the config leaves open; the result says which files are still missing', async () => {
  const tls = (n: string) => path.join(root, 'tls', n);
  const run = (arg: object) =>
    c.request<TestConnectionResult>(
      'workspace/executeCommand',
      { command: SERVER_COMMANDS.testConnection, arguments: [{ quiet: true, ...arg }] },
      30_000,
    );
  // host:port alone: the private CA is unknown and the server asks for a client certificate.
  const bare = await run({ target: { host: '127.0.0.1', port: go.port } });
  assert.equal(bare.status, 'tested');
  if (bare.status !== 'tested') return;
  assert.equal(bare.ok, false);
  assert.deepEqual(needs(bare), { ca: true, client: true }, JSON.stringify([bare.verification, bare.clientCertificate]));
  // With the answers as fallback: the handshake verifies and the certificate is accepted; nothing more is needed.
  const answered = await run({
    target: { host: '127.0.0.1', port: go.port },
    fallback: { ca: tls('ca.pem'), cert: tls('client.pem'), key: tls('client.key') },
  });
  assert.equal(answered.status, 'tested');
  if (answered.status !== 'tested') return;
  assert.equal(answered.ok, true, JSON.stringify(answered.findings));
  assert.deepEqual(needs(answered), { ca: false, client: false });
  assert.deepEqual([answered.target.ca, answered.target.cert, answered.target.key], [tls('ca.pem'), tls('client.pem'), tls('client.key')]);
  // From milvus.yaml, the derived files win over a remembered answer that differs.
  const uri = c.open(path.join(root, 'milvus.yaml'), fs.readFileSync(path.join(root, 'milvus.yaml'), 'utf8'), 'yaml');
  const derived = await run({ uri, fallback: { ca: tls('server.pem'), cert: tls('server.pem'), key: tls('server.key') } });
  assert.equal(derived.status, 'tested');
  if (derived.status !== 'tested') return;
  assert.equal(derived.ok, true, JSON.stringify(derived.findings));
  assert.equal(path.basename(derived.target.ca!), 'ca.pem');
  assert.equal(path.basename(derived.target.cert!), 'client.pem');
  assert.doesNotMatch(JSON.stringify([bare, answered, derived]), /PRIVATE KEY/);
});

async function waitFor(f: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
