/** PEM detection for untitled editors (client/src/pem-detect.ts), on real PEM text and on look-alikes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { looksLikePem, switchable } from '../../client/src/pem-detect';
import { makeCa } from '../support/certs';

test('a pasted certificate or key is PEM, with CRLF line ends, after notes, or after an openssl dump', async () => {
  const ca = await makeCa();
  assert.equal(looksLikePem(ca.certPem), true);
  assert.equal(looksLikePem(ca.keyPem), true);
  assert.equal(looksLikePem(ca.certPem.replace(/\n/g, '\r\n')), true);
  assert.equal(looksLikePem(`subject=CN=Test CA\nissuer=CN=Test CA\n${ca.certPem}`), true);
  assert.equal(looksLikePem(`  ${ca.certPem}`), true);
});

test('text that only mentions the armour, or a BEGIN far below the start, is not switched', () => {
  assert.equal(looksLikePem('Paste the part starting with -----BEGIN CERTIFICATE----- here'), false);
  assert.equal(looksLikePem('-----BEGIN certificate-----\n'), false);
  assert.equal(looksLikePem('notes\n'.repeat(20000) + '-----BEGIN CERTIFICATE-----\n'), false);
  assert.equal(looksLikePem(''), false);
});

test('only a Plain Text document is switched: a language the user chose stays', () => {
  assert.equal(switchable('plaintext'), true);
  for (const id of ['yaml', 'markdown', 'pem', 'shellscript']) assert.equal(switchable(id), false, id);
});
