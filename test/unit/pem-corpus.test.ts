/**
 * Every certificate of the system CA bundle must decode, and our subject,
 * issuer, serial, dates and SHA-256 fingerprint must agree with openssl's.
 * Names are compared in one-line form: `-nameopt esc_2253,esc_ctrl,utf8,
 * sep_comma_plus_space,sname` prints the RDNs in certificate order with the
 * same escaping Node uses, separated by ", " as our `subject` is.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { decodeFile } from '../../server/src/service/pem/decode';
import { lintPem } from '../../server/src/service/tls/file-lint';
import { DEFAULT_SETTINGS } from '../../server/src/service/types';

const BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

function openssl(pem: string): Record<string, string> {
  const out = execFileSync(
    'openssl',
    [
      'x509',
      '-noout',
      '-subject',
      '-issuer',
      '-serial',
      '-dates',
      '-dateopt',
      'iso_8601',
      '-fingerprint',
      '-sha256',
      '-nameopt',
      'esc_2253,esc_ctrl,utf8,sep_comma_plus_space,sname',
    ],
    { input: pem, encoding: 'utf8' },
  );
  const fields: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) fields[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return fields;
}

const isoDate = (s: string) => new Date(s.replace(' ', 'T')).getTime();

test('system CA bundle: every certificate decodes and agrees with openssl', () => {
  assert.ok(existsSync(BUNDLE), `${BUNDLE} is missing: install the ca-certificates package (CI must have it)`);
  const text = readFileSync(BUNDLE, 'utf8');
  const pems = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/g) ?? [];
  assert.ok(pems.length >= 50, `expected a real bundle, found ${pems.length} certificates`);

  const file = decodeFile(Buffer.from(text));
  assert.deepEqual(file.framing.problems, []);
  assert.equal(file.items.length, pems.length);

  file.items.forEach((item, i) => {
    assert.equal(item.kind, 'certificate', `certificate #${i + 1} did not decode: ${item.kind === 'error' ? item.message : item.kind}`);
    if (item.kind !== 'certificate') return;
    const c = item.cert;
    const o = openssl(pems[i]);
    const where = `certificate #${i + 1} (${o.subject})`;
    assert.equal(c.subject, o.subject, `subject of ${where}`);
    assert.equal(c.issuer, o.issuer, `issuer of ${where}`);
    assert.equal(c.serialHex, o.serial, `serial of ${where}`);
    assert.equal(c.notBefore.getTime(), isoDate(o.notBefore), `notBefore of ${where}`);
    assert.equal(c.notAfter.getTime(), isoDate(o.notAfter), `notAfter of ${where}`);
    assert.equal(c.sha256, o['sha256 Fingerprint'], `fingerprint of ${where}`);
    // Roots: self-signed, CA:TRUE, with a key we could read.
    assert.equal(c.selfSigned, true, `${where} should be self-signed`);
    assert.ok(c.publicKey.algorithm === 'RSA' || c.publicKey.algorithm === 'EC', `${where}: ${c.publicKey.algorithm}`);
  });
});

test('system CA bundle: lint finds no framing, order or CA-shape problems', () => {
  assert.ok(existsSync(BUNDLE), `${BUNDLE} is missing: install the ca-certificates package (CI must have it)`);
  const text = readFileSync(BUNDLE, 'utf8');
  const ds = lintPem(text, { settings: DEFAULT_SETTINGS, now: new Date() });
  const unexpected = ds.filter(
    (d) => !['tls-cert-expired', 'tls-cert-expiring', 'tls-weak-signature', 'tls-chain-duplicate'].includes(String(d.code)),
  );
  assert.deepEqual(
    unexpected.map((d) => `${d.code} line ${d.range.start.line + 1}: ${d.message}`),
    [],
  );
});
