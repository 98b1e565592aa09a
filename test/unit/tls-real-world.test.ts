/**
 * Certificates nobody here wrote must produce no false error or warning: the Mozilla roots of the
 * system bundle, Go's own test certificates (from the Go installation the tests build with) and a
 * sample of zlint's test data (test/fixtures/zlint, source in its README). What may remain is true
 * about the certificate itself: it expired (or is not valid yet).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintPem } from '../../server/src/service/tls/file-lint';
import { DEFAULT_SETTINGS } from '../../server/src/service/types';

const TRUE_FACTS = new Set(['tls-cert-expired', 'tls-cert-not-yet-valid', 'tls-cert-expiring']);
const ctx = { now: new Date(), settings: DEFAULT_SETTINGS };

function complaints(text: string): string[] {
  return lintPem(text, ctx)
    .filter((d) => d.severity! <= 2 && !TRUE_FACTS.has(String(d.code)))
    .map((d) => `${d.code}: ${d.message}`);
}

test('Mozilla roots (system bundle): each root alone and the whole bundle raise nothing but expiry', () => {
  const text = fs.readFileSync('/etc/ssl/certs/ca-certificates.crt', 'utf8');
  const pems = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/g) ?? [];
  assert.ok(pems.length >= 50);
  for (const p of pems) assert.deepEqual(complaints(p), []);
  assert.deepEqual(complaints(text), []);
});

test("Go's crypto/x509 and crypto/tls test certificates raise nothing but expiry", (t) => {
  let goroot: string;
  try {
    goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
  } catch {
    t.skip('go is not installed');
    return;
  }
  const files = ['src/crypto/x509/test-file.crt', 'src/crypto/x509/testdata/test-dir.crt', 'src/crypto/tls/testdata/example-cert.pem'].map(
    (f) => path.join(goroot, f),
  );
  for (const f of files.filter((x) => fs.existsSync(x))) assert.deepEqual(complaints(fs.readFileSync(f, 'utf8')), [], f);
});

test('zlint test certificates (text dump before the block, odd extensions and times) decode and raise nothing else', () => {
  const dir = path.join(__dirname, '../fixtures/zlint');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.pem'));
  assert.ok(files.length >= 5);
  for (const f of files) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    // zlint signs its test data with 512-bit RSA keys: true, and said.
    const found = complaints(text).filter((c) => !c.startsWith('tls-rsa-weak:'));
    assert.deepEqual(found, [], f);
  }
});
