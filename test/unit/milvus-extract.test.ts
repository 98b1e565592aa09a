import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { extractTls, entry, looksLikeMilvusConfig } from '../../server/src/service/targets/milvus/extract';

const STOCK = fs.readFileSync(path.join(__dirname, '../fixtures/milvus-2.6-default.yaml'), 'utf8');

test('the stock 2.6 milvus.yaml: the three TLS blocks are found, nothing outside them becomes an entry', () => {
  const m = extractTls(STOCK);
  assert.deepEqual([...new Set(m.sections.map((s) => s.name))].sort(), ['common', 'common.security', 'internaltls', 'tls'].sort());
  assert.ok(m.entries.length > 0);
  for (const e of m.entries) assert.ok(['tls', 'internaltls', 'common.security', 'common'].includes(e.section), `${e.section}.${e.key}`);
  assert.equal(entry(m, 'common.security', 'tlsMode')?.value, 0);
  assert.equal(typeof entry(m, 'tls', 'serverPemPath')?.value, 'string');
  // RBAC lists and the other 1,400 lines of common.security are never parsed into entries.
  assert.ok(!m.entries.some((e) => e.key === 'superUsers' || e.key === 'authorizationEnabled'));
  assert.ok(looksLikeMilvusConfig(m));
  assert.deepEqual(m.syntaxErrors, []);
});

test('key and value ranges point at the characters written, also for indented and quoted keys', () => {
  const text =
    'tls:\n  serverPemPath: /milvus/tls/server.pem  # the leaf\n  "caPemPath": \'/milvus/tls/ca.pem\'\ncommon:\n  security:\n    tlsMode: 2\n';
  const m = extractTls(text);
  const pem = entry(m, 'tls', 'serverPemPath')!;
  assert.deepEqual(pem.keyRange, { start: { line: 1, character: 2 }, end: { line: 1, character: 15 } });
  assert.deepEqual(pem.valueRange, { start: { line: 1, character: 17 }, end: { line: 1, character: 39 } });
  assert.equal(pem.valueText, '/milvus/tls/server.pem');
  const ca = entry(m, 'tls', 'caPemPath')!;
  assert.equal(ca.value, '/milvus/tls/ca.pem');
  assert.equal(ca.quoted, true);
  assert.equal(text.split('\n')[2].slice(ca.valueRange.start.character, ca.valueRange.end.character), "'/milvus/tls/ca.pem'");
  const mode = entry(m, 'common.security', 'tlsMode')!;
  assert.equal(mode.value, 2);
  assert.deepEqual(mode.valueRange.start, { line: 5, character: 13 });
});

test('an empty value has an empty range at the end of its key; a nested value is marked nested', () => {
  const m = extractTls('tls:\n  serverPemPath:\n  serverKeyPath:\n    a: b\n');
  const empty = entry(m, 'tls', 'serverPemPath')!;
  assert.equal(empty.valueText, '');
  assert.equal(empty.value, null);
  const nested = entry(m, 'tls', 'serverKeyPath')!;
  assert.equal(nested.nested, true);
  assert.equal(nested.value, undefined);
});

test('aliases take the anchored value, from the same block or an earlier one; an unknown anchor is a syntax error on the value', () => {
  const m = extractTls(
    'paths:\n  ca: &ca /milvus/tls/ca.pem\ntls:\n  serverPemPath: &leaf /milvus/tls/server.pem\n  caPemPath: *ca\n  serverKeyPath: *nope\ninternaltls:\n  serverPemPath: *leaf\n',
  );
  assert.equal(entry(m, 'tls', 'caPemPath')?.value, '/milvus/tls/ca.pem');
  assert.equal(entry(m, 'internaltls', 'serverPemPath')?.value, '/milvus/tls/server.pem');
  assert.equal(entry(m, 'tls', 'serverKeyPath'), undefined);
  assert.equal(m.syntaxErrors.length, 1);
  assert.match(m.syntaxErrors[0].message, /nope/);
  assert.equal(m.syntaxErrors[0].range.start.line, 5);
});

test('a syntax error inside a TLS block is reported on its line; one outside the blocks is not ours to report', () => {
  const inside = extractTls('tls:\n  serverPemPath: "/milvus/tls/server.pem\n  caPemPath: x\n');
  assert.equal(inside.syntaxErrors.length, 1);
  assert.ok(inside.syntaxErrors[0].range.start.line >= 1);
  const outside = extractTls('etcd:\n  endpoints: [unclosed\ntls:\n  serverPemPath: /a\n');
  assert.deepEqual(outside.syntaxErrors, []);
  assert.equal(entry(outside, 'tls', 'serverPemPath')?.value, '/a');
});

test('TLS keys misplaced at the top level, directly under common or in a top-level security block are kept with their section', () => {
  const m = extractTls('tlsMode: 2\ncommon:\n  tlsMode: 1\n  security:\n    internaltlsEnabled: true\nsecurity:\n  tlsMode: 2\n');
  assert.deepEqual(
    m.entries.map((e) => `${e.section}:${e.key}`),
    [':tlsMode', 'common:tlsMode', 'common.security:internaltlsEnabled', 'security:tlsMode'],
  );
});

test('only the first YAML document is read; the line of the next --- is kept for the later-document finding', () => {
  const m = extractTls('common:\n  security:\n    tlsMode: 1\n---\ntls:\n  serverPemPath: /x\n');
  assert.equal(m.laterDocumentLine, 3);
  assert.equal(entry(m, 'tls', 'serverPemPath'), undefined);
  assert.equal(entry(m, 'common.security', 'tlsMode')?.value, 1);
});

test('a YAML file is Milvus-shaped only with Milvus top-level keys besides tls and common', () => {
  assert.equal(looksLikeMilvusConfig(extractTls('tls:\n  serverPemPath: /x\n')), false);
  assert.equal(
    looksLikeMilvusConfig(
      extractTls('common:\n  security:\n    tlsMode: 1\nproxy:\n  port: 19530\netcd:\n  endpoints: [localhost:2379]\n'),
    ),
    true,
  );
});

test('the same text twice gives the same model object (validation, hover and links share one scan)', () => {
  const text = 'tls:\n  serverPemPath: /x\n';
  assert.equal(extractTls(text), extractTls(text));
});
