/**
 * A Milvus Operator CR over stdio, as any LSP editor sees it: the shape of the operator's own
 * config/samples/external_tls.yaml (zilliztech/milvus-operator) with its two mistakes, opened
 * unsaved; the diagnostics, the literal-block fix, and the hover that follows a tls path to the
 * Secret key (without key material).
 */
import 'reflect-metadata';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspClient } from '../support/lsp-client';
import { tmpWorkspace } from '../support/workspace';
import { makeCa, makeLeaf } from '../support/certs';
import { secretYaml, milvusCr, lineOf } from '../support/k8s';

let c: LspClient;
let root: string;

before(async () => {
  root = tmpWorkspace('lsp-k8s-');
  c = LspClient.ours();
  await c.initialize(root);
});

after(async () => {
  await c.shutdown();
  fs.rmSync(root, { recursive: true, force: true });
});

test('an unsaved Operator CR: folded PEM and tls: under common: are found, fixed, and a path hover reaches the Secret', async () => {
  const ca = await makeCa();
  const leaf = await makeLeaf(ca);
  const text = `${secretYaml('certs', { 'server.pem': leaf.certPem, 'server.key': leaf.keyPem, 'ca.pem': ca.certPem }, { folded: ['server.key'] })}---\n${milvusCr({ tlsUnderCommon: true })}`;
  const file = path.join(root, 'deploy', 'milvus.yaml');
  const uri = `file://${file}`;
  const p = c.nextDiagnostics(uri);
  c.open(file, text, 'yaml');
  const d = (await p).diagnostics;
  const folded = d.find((x) => x.code === 'k8s-pem-folded')!;
  assert.ok(folded, JSON.stringify(d.map((x) => x.code)));
  assert.equal(folded.range.start.line, lineOf(text, 'server.key:') + 1);
  assert.ok(d.some((x) => x.code === 'milvus-block-misplaced' && x.range.start.line === lineOf(text, '      tls:')));
  const actions = await c.request('textDocument/codeAction', {
    textDocument: { uri },
    range: folded.range,
    context: { diagnostics: [folded] },
  });
  assert.equal(actions[0].title, 'Write the PEM as a literal block (|)');
  assert.match(actions[0].edit.changes[uri][0].newText, /^ \|\n {4}-----BEGIN PRIVATE KEY-----\n/);

  const moved = text.replace(
    / {6}# the proxy's certificates\n {6}tls:\n((?: {8}.*\n){3})/,
    (_m, body: string) => `    tls:\n${body.replace(/^ {2}/gm, '')}`,
  );
  const fixedText = moved.replace(/server\.key:\n((?: {4}.*\n)+?)( {2}ca\.pem)/, 'server.key: |\n$1$2');
  const p2 = c.nextDiagnostics(uri, 2);
  c.change(uri, 2, fixedText);
  assert.deepEqual((await p2).diagnostics, []);
  const line = lineOf(fixedText, 'serverKeyPath:');
  const h = await c.request('textDocument/hover', { textDocument: { uri }, position: { line, character: 24 } });
  assert.match(h.contents.value, /Secret certs key server\.key/);
  assert.doesNotMatch(h.contents.value, new RegExp(leaf.keyPem.split('\n')[1].slice(0, 24).replace(/[+/]/g, '\\$&')));
});
