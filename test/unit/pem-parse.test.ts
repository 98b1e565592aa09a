import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeText, looksLikeDer, parsePem } from '../../server/src/service/pem/parse';
import { pemFixtures, toCrlf, withBom } from '../support/pem-fixtures';

const r = (sl: number, sc: number, el: number, ec: number) => ({ start: { line: sl, character: sc }, end: { line: el, character: ec } });
const codes = (text: string) => parsePem(text).problems.map((p) => p.code);

// A tiny block with valid base64 (not a real certificate: framing does not care).
const BODY = 'TUlJQg==';
const block = (label = 'CERTIFICATE', body = BODY) => `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;

test('a single block: label, exact ranges, decoded body', () => {
  const f = parsePem(block());
  assert.equal(f.binary, false);
  assert.deepEqual(f.problems, []);
  assert.equal(f.blocks.length, 1);
  const b = f.blocks[0];
  assert.equal(b.label, 'CERTIFICATE');
  assert.deepEqual(b.range, r(0, 0, 2, 25));
  assert.deepEqual(b.beginRange, r(0, 0, 0, 27));
  assert.deepEqual(b.headers, {});
  assert.equal(Buffer.from(b.der!).toString('latin1'), 'MIIB');
});

test('real certificates and keys: blocks in order, DER matches the certificate', async () => {
  const fx = await pemFixtures();
  const text = fx.leaf.certPem + fx.ca.certPem + fx.keys.ecPkcs8;
  const f = parsePem(text);
  assert.deepEqual(f.problems, []);
  assert.deepEqual(
    f.blocks.map((b) => b.label),
    ['CERTIFICATE', 'CERTIFICATE', 'PRIVATE KEY'],
  );
  assert.deepEqual(Buffer.from(f.blocks[0].der!), Buffer.from(fx.leaf.cert.rawData));
  const leafLines = fx.leaf.certPem.trimEnd().split('\n').length;
  assert.equal(f.blocks[1].range.start.line, leafLines);
});

test('CRLF line endings: same blocks, ranges exclude the \\r', async () => {
  const fx = await pemFixtures();
  const lf = parsePem(fx.leaf.certPem);
  const crlf = parsePem(toCrlf(fx.leaf.certPem));
  assert.deepEqual(crlf.problems, []);
  assert.deepEqual(crlf.blocks[0].range, lf.blocks[0].range);
  assert.deepEqual(Buffer.from(crlf.blocks[0].der!), Buffer.from(lf.blocks[0].der!));
});

test('BOM: warning on the BOM character, block still read, ranges count the BOM', () => {
  const f = parsePem(withBom(block()));
  assert.deepEqual(codes(withBom(block())), ['pem-bom']);
  assert.deepEqual(f.problems[0].range, r(0, 0, 0, 1));
  assert.equal(f.problems[0].severity, 2);
  assert.equal(f.blocks.length, 1);
  assert.deepEqual(f.blocks[0].beginRange, r(0, 1, 0, 28));
});

test('decodeText strips a BOM and decodes UTF-8', () => {
  assert.equal(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x41, 0xc3, 0xa9])), 'Aé');
});

test('tabs and spaces around body lines and trailing spaces on boundaries are tolerated', () => {
  const f = parsePem(`-----BEGIN CERTIFICATE-----  \n\t${BODY}  \n-----END CERTIFICATE-----\t\n`);
  assert.deepEqual(f.problems, []);
  assert.deepEqual(f.blocks[0].beginRange, r(0, 0, 0, 27));
});

test('indented BEGIN line: error on that line (Go and OpenSSL do not see it)', () => {
  const f = parsePem(`  -----BEGIN CERTIFICATE-----\n${BODY}\n-----END CERTIFICATE-----\n`);
  assert.deepEqual(
    f.problems.map((p) => [p.code, p.range]),
    [['pem-indented', r(0, 2, 0, 29)]],
  );
});

test('RFC 1421 headers (Proc-Type, DEK-Info) are parsed, not treated as base64', () => {
  const text = `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,0011\n\n${BODY}\n-----END RSA PRIVATE KEY-----\n`;
  const f = parsePem(text);
  assert.deepEqual(f.problems, []);
  assert.deepEqual(f.blocks[0].headers, { 'Proc-Type': '4,ENCRYPTED', 'DEK-Info': 'AES-256-CBC,0011' });
  assert.ok(f.blocks[0].der);
});

test('BEGIN without END at end of file: error on the BEGIN line, no block', () => {
  const f = parsePem(`-----BEGIN CERTIFICATE-----\n${BODY}\n`);
  assert.deepEqual(
    f.problems.map((p) => [p.code, p.range, p.severity]),
    [['pem-begin-without-end', r(0, 0, 0, 27), 1]],
  );
  assert.equal(f.blocks.length, 0);
});

test('nested BEGIN before END: first block reported, second block parsed', () => {
  const text = `-----BEGIN CERTIFICATE-----\n${BODY}\n${block('PRIVATE KEY')}`;
  const f = parsePem(text);
  assert.deepEqual(
    f.problems.map((p) => [p.code, p.range.start.line]),
    [['pem-begin-without-end', 0]],
  );
  assert.match(f.problems[0].message, /line 3/);
  assert.deepEqual(
    f.blocks.map((b) => b.label),
    ['PRIVATE KEY'],
  );
  assert.equal(f.blocks[0].range.start.line, 2);
});

test('END without BEGIN: error on the END line; its body is not also reported as stray text', () => {
  const f = parsePem(`${BODY}\n-----END CERTIFICATE-----\n`);
  assert.deepEqual(
    f.problems.map((p) => [p.code, p.range]),
    [['pem-end-without-begin', r(1, 0, 1, 25)]],
  );
  assert.match(f.problems[0].message, /BEGIN CERTIFICATE/);
});

test('label mismatch: error on the END line, block kept under the BEGIN label', () => {
  const f = parsePem(`-----BEGIN CERTIFICATE-----\n${BODY}\n-----END PRIVATE KEY-----\n`);
  assert.deepEqual(
    f.problems.map((p) => [p.code, p.range]),
    [['pem-label-mismatch', r(2, 0, 2, 25)]],
  );
  assert.equal(f.blocks[0].label, 'CERTIFICATE');
});

test('bad base64: error on exactly the bad line, der undefined', () => {
  const f = parsePem(`-----BEGIN CERTIFICATE-----\nTUlJ\n  TU*J  \nQg==\n-----END CERTIFICATE-----\n`);
  assert.deepEqual(
    f.problems.map((p) => [p.code, p.range]),
    [['pem-bad-base64', r(2, 2, 2, 6)]],
  );
  assert.equal(f.blocks[0].der, undefined);
});

test('padding in the middle and truncated bodies are bad base64', () => {
  const mid = parsePem(`-----BEGIN CERTIFICATE-----\nTQ==\nTUlJ\n-----END CERTIFICATE-----\n`);
  assert.deepEqual(
    mid.problems.map((p) => [p.code, p.range.start.line]),
    [['pem-bad-base64', 1]],
  );
  const trunc = parsePem(`-----BEGIN CERTIFICATE-----\nTUlJQ\n-----END CERTIFICATE-----\n`);
  assert.deepEqual(
    trunc.problems.map((p) => [p.code, p.range.start.line]),
    [['pem-bad-base64', 1]],
  );
  const empty = parsePem(`-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n`);
  assert.deepEqual(
    empty.problems.map((p) => [p.code, p.range.start.line]),
    [['pem-bad-base64', 0]],
  );
});

test('text between blocks: one warning per gap, spanning the text', () => {
  const text = `${block()}some note\n\nmore text\n${block()}`;
  const f = parsePem(text);
  assert.deepEqual(
    f.problems.map((p) => [p.code, p.range, p.severity]),
    [['pem-data-outside-blocks', r(3, 0, 5, 9), 2]],
  );
  assert.equal(f.blocks.length, 2);
});

test('openssl Bag Attributes / subject= lines before a block: information only', () => {
  const text = `Bag Attributes\n    localKeyID: 01 02 03\n    friendlyName: server\nsubject=CN = localhost\n\nissuer=CN = Test CA\n\n${block()}`;
  const f = parsePem(text);
  assert.deepEqual(
    f.problems.map((p) => [p.code, p.severity, p.range]),
    [['pem-bundle-metadata', 3, r(0, 0, 5, 19)]],
  );
  const g = parsePem(`subject=CN = a\n${block()}`);
  assert.deepEqual(
    g.problems.map((p) => p.code),
    ['pem-bundle-metadata'],
  );
});

test('a boundary with the body glued on (lost line breaks): bad boundary, not a block', () => {
  const f = parsePem(`-----BEGIN CERTIFICATE----- ${BODY} -----END CERTIFICATE-----\n`);
  assert.deepEqual(codes(`-----BEGIN CERTIFICATE----- ${BODY} -----END CERTIFICATE-----\n`), ['pem-bad-boundary']);
  assert.equal(f.blocks.length, 0);
});

test('no PEM at all: plain text vs bare base64', () => {
  assert.deepEqual(codes('hello world\n'), ['pem-no-blocks']);
  const bare = parsePem('TUlJ\nQg==\n');
  assert.match(bare.problems[0].message, /without the PEM armour/);
  assert.deepEqual(bare.problems[0].range, r(0, 0, 1, 4));
  assert.deepEqual(parsePem('').problems, []);
  assert.deepEqual(parsePem('\n\n').problems, []);
});

test('binary input is flagged, not parsed', async () => {
  const fx = await pemFixtures();
  const der = Buffer.from(fx.leaf.cert.rawData);
  const f = parsePem(decodeText(der));
  assert.equal(f.binary, true);
  assert.deepEqual(
    f.problems.map((p) => p.code),
    ['pem-binary'],
  );
  assert.equal(f.blocks.length, 0);
});

test('looksLikeDer: exactly one DER SEQUENCE', async () => {
  const fx = await pemFixtures();
  const der = new Uint8Array(fx.leaf.cert.rawData);
  assert.equal(looksLikeDer(der), true);
  assert.equal(looksLikeDer(der.subarray(0, der.length - 1)), false);
  assert.equal(looksLikeDer(Buffer.from(fx.leaf.certPem)), false);
  assert.equal(looksLikeDer(new Uint8Array([0x30, 0x84, 0xff, 0xff, 0xff, 0xff])), false);
  assert.equal(looksLikeDer(new Uint8Array()), false);
});

test('never throws on arbitrary input', () => {
  const samples = ['-----BEGIN', '-----END -----', '-----BEGIN -----\n-----END -----', '\r\r\n\u0000', '-----BEGIN A-----\n:\n', '\ufeff'];
  for (const s of samples) assert.doesNotThrow(() => parsePem(s));
  let seed = 7;
  for (let i = 0; i < 200; i++) {
    let s = '';
    for (let j = 0; j < 200; j++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      s += '-BEGINEND CRT\n\r =A/+:\t'.charAt(seed % 22);
    }
    assert.doesNotThrow(() => parsePem(s));
  }
});

test('property: any text parses without throwing, and every range lies inside the text', async () => {
  const fc = await import('fast-check');
  const piece = fc.constantFrom(
    '-----BEGIN CERTIFICATE-----',
    '-----END CERTIFICATE-----',
    '-----BEGIN X-----',
    'TUlJQg==',
    'Proc-Type: 4,ENCRYPTED',
    ' ',
    '\t',
    '\n',
    '\r\n',
    'junk',
    '*',
    '\ufeff',
    '\u0000',
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 40 }), (parts) => {
      const text = parts.join('');
      const f = parsePem(text);
      const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
      const inside = (p: { line: number; character: number }) => p.line < lines.length && p.character <= lines[p.line].length;
      for (const b of f.blocks) assert.ok(inside(b.range.start) && inside(b.range.end) && inside(b.beginRange.end));
      for (const p of f.problems) assert.ok(inside(p.range.start) && inside(p.range.end), JSON.stringify(p));
    }),
    { numRuns: 500 },
  );
});
