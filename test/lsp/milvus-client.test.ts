/**
 * A pymilvus script as any LSP client sees it: diagnostics for a `python` document, a "Test TLS
 * connection" CodeLens on the MilvusClient call, and the server command dialing a Go server set up
 * as the Milvus proxy in tlsMode 2 (published by the compose file) with the call's files and its
 * server_name — the name the call verifies is the name the test verifies.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspClient } from '../support/lsp-client';
import { tmpWorkspace, writeFiles, composeYaml, milvusYaml } from '../support/workspace';
import { makeCa, makeLeaf, EKU } from '../support/certs';
import { startGoServer, type GoServer } from '../support/go-tls';
import { SERVER_COMMANDS, type TestConnectionResult } from '../../server/src/protocol';

let c: LspClient;
let root: string;
let go: GoServer;

before(async () => {
  root = tmpWorkspace('lsp-client-');
  const ca = await makeCa('LSP Client CA');
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
  await c.initialize(root, {});
});

after(async () => {
  await c?.shutdown();
  await go?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

const script = (serverName: string) =>
  `from pymilvus import MilvusClient\n\nclient = MilvusClient(\n    uri="https://localhost:${go.port}",\n    client_pem_path="tls/client.pem",\n    client_key_path="tls/client.key",\n    ca_pem_path="tls/ca.pem",\n    server_name="${serverName}",\n)\n`;

test('a python document gets the client findings, and its CodeLens test passes server_name through', async () => {
  const file = path.join(root, 'app.py');
  const good = script('localhost');
  fs.writeFileSync(file, good);
  const uri = c.open(file, good, 'python');
  assert.deepEqual((await c.nextDiagnostics(uri)).diagnostics, []);
  const lenses = await c.request<any[]>('textDocument/codeLens', { textDocument: { uri } });
  assert.equal(lenses.length, 1);
  assert.equal(lenses[0].range.start.line, 2);
  assert.equal(lenses[0].command.command, SERVER_COMMANDS.testConnection);
  const ok = await c.request<TestConnectionResult>(
    'workspace/executeCommand',
    { command: lenses[0].command.command, arguments: lenses[0].command.arguments },
    30_000,
  );
  assert.equal(ok.status, 'tested');
  if (ok.status !== 'tested') return;
  assert.equal(ok.ok, true, JSON.stringify(ok.findings));
  assert.deepEqual(ok.clientCertificate, { configured: true, requested: true, sent: true, accepted: true });

  // server_name outside the SANs: our finding, and the same name fails the live test.
  const bad = script('milvus.local');
  c.change(uri, 2, bad);
  const published = await c.nextDiagnostics(uri, 2);
  assert.deepEqual(
    published.diagnostics.map((d: any) => [d.code, d.range.start.line]),
    [['milvus-client-name-not-in-san', 7]],
  );
  const failed = await c.request<TestConnectionResult>(
    'workspace/executeCommand',
    { command: SERVER_COMMANDS.testConnection, arguments: [{ uri, quiet: true }] },
    30_000,
  );
  assert.equal(failed.status, 'tested');
  if (failed.status !== 'tested') return;
  assert.equal(failed.ok, false);
  assert.match(JSON.stringify(failed.findings), /milvus\.local/);
});
