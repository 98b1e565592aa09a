/**
 * "TLS: Check certificate set…" as any LSP client runs it: a server command over
 * folders or files, whose findings come back in the result and as
 * publishDiagnostics for files the editor has not opened.
 */
import 'reflect-metadata';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { LspClient } from '../support/lsp-client';
import { tmpWorkspace } from '../support/workspace';
import { SERVER_COMMANDS } from '../../server/src/protocol';
import { generateCertSet } from '../../server/src/service/certgen/generate';
import { DEFAULT_OPTIONS } from '../../server/src/service/certgen/options';

let c: LspClient;
let root: string;
let init: any;

before(async () => {
  root = tmpWorkspace('lsp-set-');
  const files = await generateCertSet({ ...DEFAULT_OPTIONS, names: ['localhost'] });
  const text = (n: string) => files.find((f) => f.name === n)!.contents;
  fs.mkdirSync(path.join(root, 'certs'));
  // client.key and server.key swapped: each belongs to the other certificate.
  const put = (n: string, t: string) => fs.writeFileSync(path.join(root, 'certs', n), t, { mode: n.endsWith('.key') ? 0o600 : 0o644 });
  put('ca.crt', text('ca.pem'));
  put('client.crt', text('client.pem'));
  put('client.key', text('server.key'));
  put('server.crt', text('server.pem'));
  put('server.key', text('client.key'));
  c = LspClient.ours();
  init = await c.initialize(root);
});

after(async () => {
  await c.shutdown();
  fs.rmSync(root, { recursive: true, force: true });
});

test('checking a folder runs the set checks on each PEM file and publishes findings for files that are not open', async () => {
  const keyUri = URI.file(path.join(root, 'certs', 'client.key')).toString();
  const published = c.nextDiagnostics(keyUri);
  const r = await c.request('workspace/executeCommand', {
    command: SERVER_COMMANDS.checkCertificateSet,
    arguments: [{ paths: [path.join(root, 'certs')] }],
  });
  assert.equal(r.files.length, 5);
  const codes = r.files.flatMap((f: any) => f.diagnostics.map((d: any) => `${path.basename(URI.parse(f.uri).fsPath)} ${d.code}`)).sort();
  assert.deepEqual(codes, [
    'client.crt set-key-mismatch',
    'client.key set-key-mismatch',
    'server.crt set-key-mismatch',
    'server.key set-key-mismatch',
  ]);
  assert.equal(r.errors, 4);
  assert.equal(r.summary, '5 PEM files in certs: 4 errors, 0 warnings.');
  const p = await published;
  assert.deepEqual(
    p.diagnostics.map((d: any) => d.code),
    ['set-key-mismatch'],
  );
  assert.match(p.diagnostics[0].message, /It belongs to server\.crt/);
});

test('the command is advertised, and bad arguments are an error that changes nothing', async () => {
  assert.ok(init.capabilities.executeCommandProvider.commands.includes(SERVER_COMMANDS.checkCertificateSet));
  const r = await c.request('workspace/executeCommand', {
    command: SERVER_COMMANDS.checkCertificateSet,
    arguments: [{ paths: ['relative/dir'] }],
  });
  assert.match(r.error, /absolute paths/);
});
