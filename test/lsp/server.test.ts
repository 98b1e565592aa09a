/** Speaks LSP over stdio to dist/server.js, as any editor would. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspClient } from '../support/lsp-client';
import { tmpWorkspace, writeFiles, composeYaml, milvusYaml } from '../support/workspace';
import { generateCertSet, DEFAULT_OPTIONS } from '../../server/src/service/certgen';
import { makeCa, makeLeaf } from '../support/certs';

let c: LspClient;
let root: string;

before(async () => {
  root = tmpWorkspace('lsp-');
  const set = await generateCertSet(DEFAULT_OPTIONS);
  const files: Record<string, string> = {};
  for (const f of set) files['tls/' + f.name] = f.contents;
  writeFiles(root, { ...files, 'docker-compose.yml': composeYaml(), 'milvus.yaml': milvusYaml() });
  fs.mkdirSync(path.join(root, 'volumes/milvus'), { recursive: true });
  c = LspClient.ours();
  const init = await c.initialize(root);
  assert.equal(init.capabilities.hoverProvider, true);
});

after(async () => {
  await c.shutdown();
  assert.deepEqual(c.stdoutNoise, [], 'the server must write only protocol messages to stdout');
});

test('a correct milvus.yaml publishes no diagnostics; breaking it publishes the finding; fixing clears it', async () => {
  const file = path.join(root, 'milvus.yaml');
  const text = fs.readFileSync(file, 'utf8');
  const uri = path.join(root, 'milvus.yaml');
  let p = c.nextDiagnostics(`file://${uri}`);
  c.open(file, text, 'yaml');
  assert.deepEqual((await p).diagnostics, []);
  p = c.nextDiagnostics(`file://${uri}`, 2);
  c.change(`file://${uri}`, 2, text.replace('tlsMode: 2', 'tlsMode: 5'));
  const broken = await p;
  assert.deepEqual(
    broken.diagnostics.map((d) => d.code),
    ['milvus-tls-mode-invalid'],
  );
  assert.equal(broken.diagnostics[0].source, 'tls-config');
  p = c.nextDiagnostics(`file://${uri}`, 3);
  c.change(`file://${uri}`, 3, text);
  assert.deepEqual((await p).diagnostics, []);
});

test('hover on a certificate path decodes the certificate and names the host file', async () => {
  const file = path.join(root, 'milvus.yaml');
  const text = fs.readFileSync(file, 'utf8');
  const line = text.split('\n').findIndex((l) => l.includes('serverPemPath'));
  const h = await c.request('textDocument/hover', { textDocument: { uri: `file://${file}` }, position: { line, character: 25 } });
  assert.ok(h, 'hover expected');
  assert.ok(h.contents.value.includes('host `tls/server.pem`'), h.contents.value);
  assert.match(h.contents.value, /localhost/);
  assert.doesNotMatch(h.contents.value, /PRIVATE KEY/);
});

test('quick fix for a misspelt key renames it', async () => {
  const file = path.join(root, 'typo', 'milvus.yaml');
  writeFiles(root, { 'typo/milvus.yaml': milvusYaml({ mode: 0 }).replace('serverKeyPath', 'serverKeyPth') });
  const uri = `file://${file}`;
  const p = c.nextDiagnostics(uri);
  c.open(file, fs.readFileSync(file, 'utf8'), 'yaml');
  const d = (await p).diagnostics;
  assert.deepEqual(
    d.map((x) => x.code),
    ['milvus-key-unknown'],
  );
  const actions = await c.request('textDocument/codeAction', { textDocument: { uri }, range: d[0].range, context: { diagnostics: d } });
  assert.equal(actions[0].title, 'Rename to serverKeyPath');
  assert.equal(actions[0].edit.changes[uri][0].newText, 'serverKeyPath');
});

test('PEM documents: diagnostics, outline and hover over stdio', async () => {
  const ca = await makeCa();
  const leaf = await makeLeaf(ca, { sans: [] });
  const file = path.join(root, 'pem', 'bundle.pem');
  const text = leaf.certPem + ca.certPem;
  writeFiles(root, { 'pem/bundle.pem': text });
  const uri = `file://${file}`;
  const p = c.nextDiagnostics(uri);
  c.open(file, text, 'pem');
  const diags = (await p).diagnostics;
  assert.ok(
    diags.some((x) => x.code === 'tls-cert-no-san'),
    JSON.stringify(diags),
  );
  const symbols = await c.request('textDocument/documentSymbol', { textDocument: { uri } });
  assert.equal(symbols.length, 2);
  assert.match(symbols[0].name, /CN=localhost/);
  assert.match(symbols[1].name, /CN=Test CA/);
  const h = await c.request('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 2 } });
  assert.match(h.contents.value, /Test CA/);
});

test('generation through workspace/executeCommand writes 0600 keys and refuses to overwrite', async () => {
  const out = path.join(root, 'gen');
  const r = await c.request('workspace/executeCommand', {
    command: 'tlsConfig.server.generate',
    arguments: [{ out, options: { mode: 'mutual', names: ['localhost'] } }],
  });
  assert.equal(r.written.length, 6);
  assert.equal(fs.statSync(path.join(out, 'server.key')).mode & 0o777, 0o600);
  const before = fs.readFileSync(path.join(out, 'ca.pem'), 'utf8');
  const again = await c.request('workspace/executeCommand', {
    command: 'tlsConfig.server.generate',
    arguments: [{ out, options: { mode: 'mutual', names: ['localhost'] } }],
  });
  assert.match(again.error, /ca\.pem/);
  assert.equal(fs.readFileSync(path.join(out, 'ca.pem'), 'utf8'), before);
});

test('a certificate changed on disk re-checks the open milvus.yaml (no workspace rescan)', async () => {
  const dir = path.join(root, 'watch');
  const set = await generateCertSet(DEFAULT_OPTIONS);
  const other = await generateCertSet(DEFAULT_OPTIONS);
  const files: Record<string, string> = {};
  for (const f of set) files['watch/tls/' + f.name] = f.contents;
  writeFiles(root, { ...files, 'watch/docker-compose.yml': composeYaml(), 'watch/milvus.yaml': milvusYaml() });
  fs.mkdirSync(path.join(dir, 'volumes/milvus'), { recursive: true });
  const file = path.join(dir, 'milvus.yaml');
  const uri = `file://${file}`;
  let p = c.nextDiagnostics(uri);
  c.open(file, fs.readFileSync(file, 'utf8'), 'yaml');
  assert.deepEqual((await p).diagnostics, []);
  const keyPath = path.join(dir, 'tls/server.key');
  fs.writeFileSync(keyPath, other.find((f) => f.name === 'server.key')!.contents, { mode: 0o600 });
  p = c.nextDiagnostics(uri);
  c.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: `file://${keyPath}`, type: 2 }] });
  assert.deepEqual(
    (await p).diagnostics.map((d) => d.code),
    ['tls-key-mismatch'],
  );
});

test('opening a certificate re-checks the milvus.yaml naming it only when its text is not the file on disk', async () => {
  const dir = path.join(root, 'opened');
  const set = await generateCertSet(DEFAULT_OPTIONS);
  const other = await generateCertSet(DEFAULT_OPTIONS);
  const files: Record<string, string> = {};
  for (const f of set) files['opened/tls/' + f.name] = f.contents;
  writeFiles(root, { ...files, 'opened/docker-compose.yml': composeYaml(), 'opened/milvus.yaml': milvusYaml() });
  fs.mkdirSync(path.join(dir, 'volumes/milvus'), { recursive: true });
  const file = path.join(dir, 'milvus.yaml');
  const uri = `file://${file}`;
  let p = c.nextDiagnostics(uri);
  c.open(file, fs.readFileSync(file, 'utf8'), 'yaml');
  assert.deepEqual((await p).diagnostics, []);

  // As on disk: nothing milvus.yaml read has changed, so it is not checked again.
  const certPath = path.join(dir, 'tls/server.pem');
  const certUri = c.open(certPath, fs.readFileSync(certPath, 'utf8'), 'pem');
  await c.nextDiagnostics(certUri);
  const before = c.published.filter((x) => x.uri === uri).length;
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(c.published.filter((x) => x.uri === uri).length, before, 'milvus.yaml re-published after an unchanged open');

  // Another key than on disk: milvus.yaml now sees the open text.
  const keyPath = path.join(dir, 'tls/server.key');
  p = c.nextDiagnostics(uri);
  const keyUri = c.open(keyPath, other.find((f) => f.name === 'server.key')!.contents, 'pem');
  assert.deepEqual(
    (await p).diagnostics.map((d) => d.code),
    ['tls-key-mismatch'],
  );

  // Edited back to the right key, then closed (the disk copy again): both re-check it.
  p = c.nextDiagnostics(uri);
  c.change(keyUri, 2, set.find((f) => f.name === 'server.key')!.contents);
  assert.deepEqual((await p).diagnostics, []);
  p = c.nextDiagnostics(uri);
  c.change(keyUri, 3, other.find((f) => f.name === 'server.key')!.contents);
  assert.deepEqual(
    (await p).diagnostics.map((d) => d.code),
    ['tls-key-mismatch'],
  );
  p = c.nextDiagnostics(uri);
  c.notify('textDocument/didClose', { textDocument: { uri: keyUri } });
  assert.deepEqual((await p).diagnostics, []);
});

test('the server survives unknown documents and malformed requests', async () => {
  const h = await c.request('textDocument/hover', { textDocument: { uri: 'file:///nope/x.pem' }, position: { line: 0, character: 0 } });
  assert.equal(h, null);
  await assert.rejects(c.request('textDocument/hover', { nonsense: true }));
  const again = await c.request('textDocument/documentSymbol', { textDocument: { uri: 'file:///nope/y.pem' } });
  assert.deepEqual(again, []);
});
