import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Hover, MarkupContent } from 'vscode-languageserver-types';
import { pemHover } from '../../server/src/service/pem/hover';
import { certificateCard, keyCard } from '../../server/src/service/pem/card';
import { keyDetails, pemDetails } from '../../server/src/service/pem/details';
import { parsePem } from '../../server/src/service/pem/parse';
import { decodeBlock } from '../../server/src/service/pem/decode';
import { keyBodyLines, pemFixtures, toCrlf } from '../support/pem-fixtures';

const now = new Date();
const value = (h: Hover | null) => {
  assert.ok(h, 'hover expected');
  return (h.contents as MarkupContent).value;
};

/** The verdict line, body and link of a hover, and the full decode "Show certificate" opens. */
const details = (text: string, line?: number) => pemDetails(text, 'server.pem', { now }, line).markdown;

test('certificate hover: a verdict line first, a short body without tables, the full decode behind "Show certificate"; range = whole block', async () => {
  const fx = await pemFixtures();
  const text = fx.leaf.certPem;
  const h = pemHover(
    text,
    { line: 3, character: 5 },
    { now, showLink: (line, title) => `[${title}](command:tlsConfig.showCertificate?${line})` },
  );
  const v = value(h);
  const block = parsePem(text).blocks[0];
  assert.deepEqual(h!.range, block.range);
  assert.equal((h!.contents as MarkupContent).kind, 'markdown');
  const rows = v.split('\n');
  assert.match(rows[0], /^✓ SAN covers localhost · 36[45] days left$/);
  assert.ok(rows.length <= 8, `short: ${rows.length} rows\n${v}`);
  assert.ok(!/\|/.test(v), `no table: ${v}`);
  assert.ok(v.includes('**Certificate** CN=localhost'));
  assert.ok(v.includes('issued by CN=Test Root CA · EC P-256 · until '));
  assert.ok(v.includes('SAN DNS:localhost, IP:127.0.0.1'));
  assert.ok(v.endsWith('[Show certificate](command:tlsConfig.showCertificate?0)'));
  const d = decodeBlock(block);
  assert.equal(d.kind, 'certificate');
  if (d.kind !== 'certificate') return;
  const c = d.cert;
  const full = details(text);
  assert.ok(!/\|---/.test(full), 'no markdown table in the full decode either');
  for (const expected of [
    '## Certificate CN=localhost (line 1)',
    '- Subject: `CN=localhost`',
    '- Issuer: `CN=Test Root CA`',
    c.serialHex,
    c.notBefore.toISOString().slice(0, 10),
    c.notAfter.toISOString().slice(0, 10),
    '- Subject alt names: `DNS:localhost, IP:127.0.0.1`',
    'EC P-256',
    '`sha256WithRSAEncryption`',
    '- Basic constraints: not present',
    'digitalSignature, keyEncipherment',
    'serverAuth',
    c.subjectKeyId!,
    c.authorityKeyId!,
    c.sha256,
    c.sha1,
    '- Self-signed: no',
  ])
    assert.ok(full.includes(expected), `missing ${expected}\n${full}`);
});

test('hover anywhere inside the block, including BEGIN and END lines; nothing outside', async () => {
  const fx = await pemFixtures();
  const text = `comment\n${fx.leaf.certPem}\n${fx.ca.certPem}`;
  const blocks = parsePem(text).blocks;
  for (const b of blocks) {
    for (const line of [b.range.start.line, b.range.start.line + 1, b.range.end.line]) {
      assert.deepEqual(pemHover(text, { line, character: 0 }, { now })!.range, b.range);
    }
  }
  assert.equal(pemHover(text, { line: 0, character: 2 }, { now }), null);
  assert.equal(pemHover(text, { line: blocks[0].range.end.line + 1, character: 0 }, { now }), null);
  assert.equal(pemHover(text, { line: 999, character: 0 }, { now }), null);
  assert.match(
    value(pemHover(text, { line: blocks[1].range.start.line + 2, character: 0 }, { now })),
    /\*\*CA certificate\*\* CN=Test Root CA/,
  );
});

test('leading blank lines and a final line without newline', async () => {
  const fx = await pemFixtures();
  const text = `\n\n${fx.leaf.certPem.trimEnd()}`;
  const b = parsePem(text).blocks[0];
  assert.deepEqual(pemHover(text, { line: b.range.end.line, character: 3 }, { now })!.range, b.range);
  assert.deepEqual(pemHover(text, { line: 2, character: 0 }, { now })!.range, b.range);
  assert.equal(pemHover(text, { line: 0, character: 0 }, { now }), null);
  assert.equal(pemHover(text, { line: 1, character: 0 }, { now }), null);
});

test('CA hover: says self-signed CA; the full decode has basic constraints and key usage', async () => {
  const fx = await pemFixtures();
  const v = value(pemHover(fx.ca.certPem, { line: 1, character: 0 }, { now }));
  assert.match(v.split('\n')[0], /^✓ self-signed CA · \d+ days left$/);
  assert.ok(v.includes('self-signed · RSA 2048'));
  const full = details(fx.ca.certPem);
  assert.ok(full.includes('- Basic constraints: CA:TRUE (critical)'));
  assert.ok(full.includes('- Self-signed: yes'));
  assert.ok(full.includes('keyCertSign, cRLSign'));
});

test('CRLF text: same hover', async () => {
  const fx = await pemFixtures();
  assert.equal(
    value(pemHover(toCrlf(fx.leaf.certPem), { line: 2, character: 0 }, { now })),
    value(pemHover(fx.leaf.certPem, { line: 2, character: 0 }, { now })),
  );
});

test('expired and CN-only certificates lead with the problem', async () => {
  const fx = await pemFixtures();
  assert.match(value(pemHover(fx.expired.certPem, { line: 1, character: 0 }, { now })).split('\n')[0], /^✗ \*\*expired 30 days ago\*\*$/);
  assert.match(
    value(pemHover(fx.cnOnly.certPem, { line: 1, character: 0 }, { now })).split('\n')[0],
    /^✗ \*\*no SAN: Go \(Milvus\) rejects CN-only certificates\*\*$/,
  );
});

test('a certificate close to expiry leads with it, by the expiryWarningDays setting', async () => {
  const fx = await pemFixtures();
  const soon = new Date(fx.leaf.cert.notAfter.getTime() - 10 * 86400_000);
  assert.match(
    value(pemHover(fx.leaf.certPem, { line: 1, character: 0 }, { now: soon })).split('\n')[0],
    /^✗ \*\*expires in (9|10) days\*\*$/,
  );
  assert.match(
    value(pemHover(fx.leaf.certPem, { line: 1, character: 0 }, { now: soon, expiryWarningDays: 5 })).split('\n')[0],
    /^✓ .* · (9|10) days left$/,
  );
});

test('private key hover: type, size, format, encryption, matching certificate; never key bytes', async () => {
  const fx = await pemFixtures();
  const pem = fx.keys.rsaPkcs1;
  let asked: string | undefined;
  const v = value(
    pemHover(
      pem,
      { line: 2, character: 0 },
      {
        now,
        findMatchingCertificate: (spki) => {
          asked = spki;
          return 'server.pem: Certificate CN=rsa.localhost';
        },
      },
    ),
  );
  assert.ok(v.startsWith('✓ Belongs to server.pem: Certificate CN=rsa.localhost'), v);
  assert.ok(v.includes('**RSA private key 2048**'));
  assert.ok(v.includes('PKCS#1 · not encrypted'));
  const full = details(pem);
  assert.ok(full.includes('- Size: 2048 bits'));
  assert.ok(full.includes('- Format: PKCS#1'));
  assert.ok(full.includes('- Encrypted: no'));
  for (const line of keyBodyLines(pem)) assert.ok(!full.includes(line), 'key material in the full decode');
  assert.match(asked!, /^[0-9a-f]{64}$/);
  for (const line of keyBodyLines(pem)) assert.ok(!v.includes(line), 'key material in hover');

  const none = value(pemHover(pem, { line: 2, character: 0 }, { now, findMatchingCertificate: () => undefined }));
  assert.match(none, /No certificate in this folder has this public key/);
});

test('key and certificate in one file: the hover names the certificate in the file', async () => {
  const fx = await pemFixtures();
  const text = fx.leaf.certPem + fx.keys.ecSec1;
  const keyLine = parsePem(text).blocks[1].range.start.line + 1;
  const v = value(pemHover(text, { line: keyLine, character: 0 }, { now }));
  assert.ok(v.includes('EC private key P-256'));
  assert.match(v, /Belongs to Certificate CN=localhost in this file \(line 1\)/);
  for (const line of keyBodyLines(fx.keys.ecSec1)) assert.ok(!v.includes(line));
});

test('encrypted keys: no matching attempted, no DEK-Info IV, no body', async () => {
  const fx = await pemFixtures();
  for (const pem of [fx.keys.encryptedPkcs8, fx.keys.legacyEncrypted]) {
    const v = value(pemHover(pem, { line: 4, character: 0 }, { now, findMatchingCertificate: () => assert.fail('must not be asked') }));
    assert.match(v, /^✗ \*\*Encrypted\*\*: Milvus \(Go\) cannot load it/);
    assert.match(v, /tls: failed to parse private key/);
    assert.match(details(pem), /- Encrypted: yes/);
    for (const line of keyBodyLines(pem)) assert.ok(!v.includes(line));
    const iv = /DEK-Info: [^,]+,(\w+)/.exec(pem)?.[1];
    if (iv) assert.ok(!v.includes(iv));
  }
});

test('CSR hover: subject, requested SANs, key', async () => {
  const fx = await pemFixtures();
  const v = value(pemHover(fx.csrPem, { line: 1, character: 0 }, { now }));
  assert.ok(v.includes('**Certificate signing request** CN=csr.localhost'));
  assert.ok(v.startsWith('✓ requests SAN DNS:csr.localhost, IP:10.0.0.1'), v);
  assert.ok(details(fx.csrPem).includes('`DNS:csr.localhost, IP:10.0.0.1`'));
  assert.ok(v.includes('EC P-256'));
});

test('unterminated or broken blocks', () => {
  assert.equal(pemHover('-----BEGIN CERTIFICATE-----\nMAA=\n', { line: 1, character: 0 }, { now }), null);
  const v = value(pemHover('-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n', { line: 1, character: 0 }, { now }));
  assert.match(v, /not a valid X\.509 certificate/);
});

test('exported cards and details for other rooms; no key material', async () => {
  const fx = await pemFixtures();
  const d = decodeBlock(parsePem(fx.rsaLeaf.certPem + fx.keys.rsaPkcs8).blocks[0]);
  const k = decodeBlock(parsePem(fx.keys.rsaPkcs8).blocks[0]);
  assert.ok(d.kind === 'certificate' && k.kind === 'privateKey');
  if (d.kind !== 'certificate' || k.kind !== 'privateKey') return;
  assert.match(certificateCard(d.cert, { now }), /CN=rsa\.localhost/);
  const km = keyCard(k.key, undefined) + keyDetails(k.key);
  assert.match(km, /RSA private key 2048/);
  assert.ok(keyDetails(k.key).includes(k.key.publicKey!.spkiSha256));
  for (const line of keyBodyLines(fx.keys.rsaPkcs8)) assert.ok(!km.includes(line));
});

test('markdown-special characters in names are escaped', async () => {
  const { makeCert } = await import('../support/pem-fixtures');
  const odd = await makeCert({ subject: 'CN=a|b`c*d, O=x_y', sans: [{ type: 'dns', value: 'a.test' }] });
  const v = value(pemHover(odd.certPem, { line: 1, character: 0 }, { now }));
  assert.ok(v.includes('**Certificate** CN=a\\|b\\`c\\*d'), v);
  assert.ok(details(odd.certPem).includes('- Subject: ``'), 'a subject with a backtick is code with double backticks');
});

test('property: any text and position: no throw, and a hover range contains the position', async () => {
  const fc = await import('fast-check');
  const piece = fc.constantFrom(
    '-----BEGIN CERTIFICATE-----',
    '-----END CERTIFICATE-----',
    'MAA=',
    'TUlJQg==',
    '\n',
    '\r\n',
    '\n\n',
    ' ',
    'x',
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 30 }), fc.nat(20), fc.nat(30), (parts, line, character) => {
      const h = pemHover(parts.join(''), { line, character }, { now });
      if (h) assert.ok(h.range!.start.line <= line && line <= h.range!.end.line);
    }),
    { numRuns: 500 },
  );
});
