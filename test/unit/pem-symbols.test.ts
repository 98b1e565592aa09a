import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SymbolKind } from 'vscode-languageserver-types';
import { pemFolding, pemSymbols } from '../../server/src/service/pem/symbols';
import { describeItem, expiryPhrase, relativeTime } from '../../server/src/service/pem/describe';
import { decodeFile } from '../../server/src/service/pem/decode';
import { parsePem } from '../../server/src/service/pem/parse';
import { pemFixtures } from '../support/pem-fixtures';

const now = new Date();

test('one symbol per block: names, kinds, ranges', async () => {
  const fx = await pemFixtures();
  const text = fx.leaf.certPem + fx.ca.certPem + fx.keys.rsaPkcs1 + fx.csrPem + fx.keys.encryptedPkcs8 + fx.keys.ecSec1;
  const symbols = pemSymbols(text, now);
  const blocks = parsePem(text).blocks;
  assert.deepEqual(
    symbols.map((s) => [s.name, s.kind]),
    [
      ['Certificate CN=localhost', SymbolKind.Class],
      ['CA certificate CN=Test Root CA', SymbolKind.Class],
      ['RSA private key 2048', SymbolKind.Key],
      ['CSR CN=csr.localhost', SymbolKind.Interface],
      ['Encrypted private key', SymbolKind.Key],
      ['EC private key P-256', SymbolKind.Key],
    ],
  );
  assert.deepEqual(
    symbols.map((s) => s.range),
    blocks.map((b) => b.range),
  );
  assert.deepEqual(
    symbols.map((s) => s.selectionRange),
    blocks.map((b) => b.beginRange),
  );
  assert.deepEqual(
    symbols.map((s) => s.detail),
    ['EC P-256, expires in 12 months', 'RSA 2048, expires in 10 years, self-signed', 'PKCS#1', 'EC P-256', 'PKCS#8 encrypted', 'SEC1'],
  );
});

test('broken blocks still get a symbol; framing garbage none', () => {
  const symbols = pemSymbols('junk\n-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n-----BEGIN X-----\n', now);
  assert.deepEqual(
    symbols.map((s) => [s.name, s.kind]),
    [['Unreadable CERTIFICATE', SymbolKind.Null]],
  );
  assert.deepEqual(pemSymbols('', now), []);
});

test('folding: one range per block, END line left visible', async () => {
  const fx = await pemFixtures();
  const text = fx.leaf.certPem + '\n' + fx.keys.ecSec1;
  const blocks = parsePem(text).blocks;
  assert.deepEqual(
    pemFolding(text),
    blocks.map((b) => ({ startLine: b.range.start.line, endLine: b.range.end.line - 1, kind: 'region' })),
  );
});

test('relativeTime and expiryPhrase', () => {
  const base = new Date('2025-01-01T00:00:00Z');
  const at = (ms: number) => new Date(base.getTime() + ms);
  const D = 86_400_000;
  assert.equal(relativeTime(base, at(23 * D + 5000)), 'in 23 days');
  assert.equal(relativeTime(base, at(-2 * 365.25 * D)), '2 years ago');
  assert.equal(relativeTime(base, at(D)), 'in 24 hours');
  assert.equal(relativeTime(base, at(-90 * 60_000)), '90 minutes ago');
  assert.equal(relativeTime(base, at(1000)), 'in less than a minute');
  assert.equal(relativeTime(base, at(90 * D)), 'in 3 months');
  assert.equal(relativeTime(base, at(60_000)), 'in 1 minute');
  assert.equal(expiryPhrase(at(23 * D), base), 'expires in 23 days');
  assert.equal(expiryPhrase(at(-3 * 365.25 * D), base), 'expired 3 years ago');
});

test('describeItem one-liners', async () => {
  const fx = await pemFixtures();
  const items = decodeFile(Buffer.from(fx.leaf.certPem + fx.keys.rsaPkcs8 + fx.csrPem + fx.notYetValid.certPem + fx.expired.certPem)).items;
  assert.deepEqual(
    items.map((i) => describeItem(i, now)),
    [
      'Certificate CN=localhost (EC P-256), expires in 12 months',
      'RSA private key 2048 (PKCS#8)',
      'CSR CN=csr.localhost (EC P-256)',
      'Certificate CN=future.localhost (EC P-256), becomes valid in 10 days',
      'Certificate CN=expired.localhost (EC P-256), expired 30 days ago',
    ],
  );
});
