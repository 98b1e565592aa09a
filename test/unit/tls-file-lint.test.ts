import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic } from 'vscode-languageserver-types';
import { lintPem, TLS_FILE_CODES, type PemLintContext } from '../../server/src/service/tls/file-lint';
import { PEM_DIAGNOSTIC_CODES } from '../../server/src/service/pem/lint';
import { decodeFile } from '../../server/src/service/pem/decode';
import { DEFAULT_SETTINGS, SOURCE } from '../../server/src/service/types';
import { keyBodyLines, makeCert, pemFixtures, toCrlf } from '../support/pem-fixtures';

const ctx = (extra: Partial<PemLintContext> = {}): PemLintContext => ({ settings: DEFAULT_SETTINGS, now: new Date(), ...extra });
/** Diagnostic.message may be MarkupContent in LSP 3.18 types; ours are always strings. */
const msg = (d: Diagnostic): string => (typeof d.message === 'string' ? d.message : d.message.value);
const summary = (ds: Diagnostic[]) => ds.map((d) => [d.code, d.severity, d.range.start.line]);
/** Line of the n-th BEGIN in a text. */
const beginLine = (text: string, n: number) =>
  text.split('\n').reduce<number[]>((acc, l, i) => (l.startsWith('-----BEGIN') ? [...acc, i] : acc), [])[n];

test('a good chain and a good key: no findings', async () => {
  const fx = await pemFixtures();
  assert.deepEqual(lintPem(fx.leaf.certPem + fx.ca.certPem, ctx()), []);
  assert.deepEqual(lintPem(fx.leafViaIntermediate.certPem + fx.intermediate.certPem + fx.ca.certPem, ctx()), []);
  assert.deepEqual(lintPem(fx.keys.rsaPkcs1 + fx.keys.ecSec1 + fx.keys.ecPkcs8, ctx()), []);
  assert.deepEqual(lintPem(fx.csrPem, ctx()), []);
  assert.deepEqual(lintPem(toCrlf(fx.leaf.certPem), ctx()), []);
});

test('every diagnostic has our source, a documented code, and sits on the BEGIN line of its block', async () => {
  const fx = await pemFixtures();
  const text = fx.expired.certPem + fx.cnOnly.certPem + fx.keys.encryptedPkcs8;
  const ds = lintPem(text, ctx());
  const documented = new Set([...PEM_DIAGNOSTIC_CODES, ...TLS_FILE_CODES].map((c) => c.code));
  assert.ok(ds.length >= 3);
  for (const d of ds) {
    assert.equal(d.source, SOURCE);
    assert.ok(documented.has(String(d.code)), `undocumented ${d.code}`);
    assert.equal(d.range.start.character, 0);
    assert.equal(d.range.end.line, d.range.start.line);
    assert.ok([0, 1, 2].map((n) => beginLine(text, n)).includes(d.range.start.line));
  }
});

test('framing problems carry through with their own ranges', () => {
  const ds = lintPem('-----BEGIN CERTIFICATE-----\nTU*J\n-----END PRIVATE KEY-----\n', ctx());
  assert.deepEqual(summary(ds), [
    ['pem-bad-base64', 1, 1],
    ['pem-label-mismatch', 1, 2],
  ]);
});

test('a block that is valid base64 but not a certificate: pem-undecodable on its BEGIN line', () => {
  const ds = lintPem('note\n-----BEGIN CERTIFICATE-----\nTUlJQg==\n-----END CERTIFICATE-----\n', ctx());
  assert.deepEqual(summary(ds), [
    ['pem-data-outside-blocks', 2, 0],
    ['pem-undecodable', 1, 1],
  ]);
  assert.deepEqual(ds[1].range, { start: { line: 1, character: 0 }, end: { line: 1, character: 27 } });
});

test('validity: expired, not yet valid, expiring within the configured days', async () => {
  const fx = await pemFixtures();
  const codesOf = (pem: string, c = ctx()) => lintPem(pem, c).map((d) => [d.code, d.severity]);
  assert.deepEqual(
    codesOf(fx.expired.certPem).filter(([c]) => c !== 'tls-public-ca-lifetime'),
    [['tls-cert-expired', 1]],
  );
  assert.deepEqual(codesOf(fx.notYetValid.certPem), [['tls-cert-not-yet-valid', 1]]);
  assert.deepEqual(codesOf(fx.expiring.certPem), [['tls-cert-expiring', 2]]);
  assert.deepEqual(codesOf(fx.expiring.certPem, ctx({ settings: { ...DEFAULT_SETTINGS, expiryWarningDays: 5 } })), []);
  // The same certificate seen from another date.
  const later = new Date(fx.leaf.cert.notAfter.getTime() + 86_400_000);
  assert.deepEqual(codesOf(fx.leaf.certPem, ctx({ now: later })), [['tls-cert-expired', 1]]);
  const text = msg(lintPem(fx.expired.certPem, ctx())[0]);
  assert.match(text, /Certificate CN=expired\.localhost expired on \d{4}-\d\d-\d\d/);
  assert.match(text, /30 days ago/);
  assert.match(text, /Issue a new certificate/);
});

test('weak RSA: certificates, keys and CSRs under 2048 bits', async () => {
  const fx = await pemFixtures();
  assert.deepEqual(summary(lintPem(fx.weakRsaLeaf.certPem, ctx())), [['tls-rsa-weak', 1, 0]]);
  const ds = lintPem(fx.keys.weakRsa1024, ctx());
  assert.deepEqual(summary(ds), [['tls-rsa-weak', 1, 0]]);
  assert.match(msg(ds[0]), /1024-bit/);
  assert.match(msg(ds[0]), /2048/);
});

test('weak signature: warning for a leaf, information for a self-signed root', async () => {
  const fx = await pemFixtures();
  const text = fx.sha1Leaf.certPem + fx.sha1Root.certPem;
  const ds = lintPem(text, ctx());
  assert.deepEqual(summary(ds), [
    ['tls-weak-signature', 2, 0],
    ['tls-weak-signature', 3, beginLine(text, 1)],
  ]);
  assert.match(msg(ds[0]), /SHA-1/);
  assert.match(msg(ds[0]), /SHA-256/);
});

test('CN-only leaf: tls-cert-no-san quoting Go; client-only certificates are exempt', async () => {
  const fx = await pemFixtures();
  const ds = lintPem(fx.cnOnly.certPem, ctx());
  assert.deepEqual(summary(ds), [['tls-cert-no-san', 1, 0]]);
  assert.ok(msg(ds[0]).includes('x509: certificate relies on legacy Common Name field, use SANs instead'));
  assert.match(msg(ds[0]), /Go-based servers such as Milvus reject CN-only certificates/);
  assert.match(msg(ds[0]), /subjectAltName = DNS:localhost/);
  assert.deepEqual(lintPem(fx.clientOnly.certPem, ctx()), []);
});

test('CA without keyCertSign: flagged only when it issues something', async () => {
  const fx = await pemFixtures();
  // Alone it harms no chain (zlint's and Go's test CAs are like this): no finding.
  assert.deepEqual(summary(lintPem(fx.caNoKeyCertSign.certPem, ctx())), []);
  const leaf = await makeCert({ cn: 'leaf.example', issuer: fx.caNoKeyCertSign, sans: [{ type: 'dns', value: 'leaf.example' }] });
  const text = leaf.certPem + fx.caNoKeyCertSign.certPem;
  const ds = lintPem(text, ctx()).filter((d) => d.code === 'tls-ca-no-keycertsign');
  assert.deepEqual(summary(ds), [['tls-ca-no-keycertsign', 1, beginLine(text, 1)]]);
  assert.match(msg(ds[0]), /digitalSignature/);
});

test('CA without basicConstraints: found through the file or through sibling files', async () => {
  const fx = await pemFixtures();
  const text = fx.leafOfCaNoBc.certPem + fx.caNoBasicConstraints.certPem;
  assert.deepEqual(summary(lintPem(text, ctx())), [['tls-ca-no-basic-constraints', 1, beginLine(text, 1)]]);
  // Alone it looks like a self-signed leaf; with the leaf it issued next door, it is a CA.
  const alone = lintPem(fx.caNoBasicConstraints.certPem, ctx());
  assert.deepEqual(
    alone.map((d) => d.code),
    ['tls-cert-no-san'],
  );
  let asked = 0;
  const siblings = () => {
    asked++;
    return [decodeFile(Buffer.from(fx.leafOfCaNoBc.certPem))];
  };
  const ds = lintPem(fx.caNoBasicConstraints.certPem, ctx({ siblingFiles: siblings }));
  assert.deepEqual(summary(ds), [['tls-ca-no-basic-constraints', 1, 0]]);
  assert.match(msg(ds[0]), /CA:TRUE/);
  assert.equal(asked, 1);
  // A proper CA never needs the siblings.
  lintPem(fx.ca.certPem, ctx({ siblingFiles: siblings }));
  assert.equal(asked, 1);
});

test('bundle order: each certificate must be followed by its issuer', async () => {
  const fx = await pemFixtures();
  const wrong = fx.leafViaIntermediate.certPem + fx.ca.certPem + fx.intermediate.certPem;
  assert.deepEqual(summary(lintPem(wrong, ctx())), [
    ['tls-chain-order', 2, 0],
    ['tls-chain-order', 2, beginLine(wrong, 2)],
  ]);
  const rootFirst = fx.ca.certPem + fx.leaf.certPem;
  const ds = lintPem(rootFirst, ctx());
  assert.deepEqual(summary(ds), [['tls-chain-order', 2, beginLine(rootFirst, 1)]]);
  assert.match(msg(ds[0]), /issued by CN=Test Root CA \(line 1\)/);
  // Unrelated roots (a CA bundle) are not a chain: no order finding.
  assert.deepEqual(
    lintPem(fx.ca.certPem + fx.sha1Root.certPem.replace(/x/g, 'x'), ctx()).filter((d) => d.code === 'tls-chain-order'),
    [],
  );
});

test('duplicate certificate in a bundle', async () => {
  const fx = await pemFixtures();
  const text = fx.leaf.certPem + fx.ca.certPem + fx.ca.certPem;
  const ds = lintPem(text, ctx());
  assert.deepEqual(summary(ds), [['tls-chain-duplicate', 2, beginLine(text, 2)]]);
  assert.match(msg(ds[0]), new RegExp(`line ${beginLine(text, 1) + 1}`));
});

test('encrypted keys: error quoting Go, both PKCS#8 and legacy; no key bytes in messages', async () => {
  const fx = await pemFixtures();
  for (const pem of [fx.keys.encryptedPkcs8, fx.keys.legacyEncrypted]) {
    const ds = lintPem(pem, ctx());
    assert.deepEqual(summary(ds), [['tls-key-encrypted', 1, 0]]);
    assert.match(msg(ds[0]), /tls: failed to parse private key/);
    assert.match(msg(ds[0]), /openssl pkey/);
    for (const line of keyBodyLines(pem)) assert.ok(!msg(ds[0]).includes(line));
  }
});

test('OpenSSH key: warning with the conversion command', async () => {
  const fx = await pemFixtures();
  assert.ok(fx.keys.openssh, 'ssh-keygen is needed (package openssh-client; .ci/run installs it)');
  const ds = lintPem(fx.keys.openssh, ctx());
  assert.deepEqual(summary(ds), [['pem-key-openssh', 2, 0]]);
});

test('key permissions: group/other access warns once, not on win32, not for certificates', async () => {
  const fx = await pemFixtures();
  const two = fx.keys.ecSec1 + fx.keys.rsaPkcs1;
  const ds = lintPem(two, ctx({ fileMode: 0o100644, platform: 'linux' }));
  assert.deepEqual(summary(ds), [['pem-key-permissions', 2, 0]]);
  assert.match(msg(ds[0]), /mode 644/);
  assert.match(msg(ds[0]), /chmod 600/);
  assert.deepEqual(lintPem(two, ctx({ fileMode: 0o100600, platform: 'linux' })), []);
  assert.deepEqual(lintPem(two, ctx({ fileMode: 0o100644, platform: 'win32' })), []);
  assert.deepEqual(lintPem(fx.leaf.certPem, ctx({ fileMode: 0o100644, platform: 'linux' })), []);
});

test('leaf lifetime over 398 days: a hint only, and none when its private CA is at hand', async () => {
  const fx = await pemFixtures();
  assert.deepEqual(summary(lintPem(fx.longLived.certPem, ctx())), [['tls-public-ca-lifetime', 4, 0]]);
  assert.deepEqual(lintPem(fx.ca.certPem, ctx()), []);
  // In the same bundle, or in a sibling file (ca.pem beside server.pem).
  assert.deepEqual(lintPem(fx.longLived.certPem + fx.ca.certPem, ctx()), []);
  const sibling = decodeFile(Buffer.from(fx.ca.certPem));
  assert.deepEqual(lintPem(fx.longLived.certPem, ctx({ siblingFiles: () => [sibling] })), []);
});

test('every message says what to do', async () => {
  const fx = await pemFixtures();
  const all = [
    fx.expired.certPem,
    fx.notYetValid.certPem,
    fx.expiring.certPem,
    fx.cnOnly.certPem,
    fx.sha1Leaf.certPem,
    fx.weakRsaLeaf.certPem,
    fx.caNoKeyCertSign.certPem,
    fx.leafOfCaNoBc.certPem + fx.caNoBasicConstraints.certPem,
    fx.ca.certPem + fx.leaf.certPem + fx.leaf.certPem,
    fx.keys.encryptedPkcs8,
    '-----BEGIN X-----\nTU*J\n',
    'x\n-----END X-----\n',
  ].flatMap((t) => lintPem(t, ctx({ fileMode: 0o644, platform: 'linux' })));
  assert.ok(all.length >= 12);
  for (const d of all) {
    assert.match(
      msg(d),
      /\b(Add|Remove|Reissue|Renew|Issue|Generate|Decrypt|Restrict|Check|Copy|Make|Order|Convert|Put|Save|Restore)\b/i,
      `${d.code}: ${msg(d)}`,
    );
  }
});

test('the codes table is complete and well-formed', () => {
  const codes = [...PEM_DIAGNOSTIC_CODES, ...TLS_FILE_CODES].map((c) => c.code);
  assert.equal(new Set(codes).size, codes.length);
  for (const c of PEM_DIAGNOSTIC_CODES) assert.match(c.code, /^pem-[a-z0-9-]+$/);
  for (const c of [...PEM_DIAGNOSTIC_CODES, ...TLS_FILE_CODES]) {
    assert.match(c.code, /^(pem|tls)-[a-z0-9-]+$/);
    assert.ok(['error', 'warning', 'information', 'hint'].includes(c.severity));
    assert.ok(c.summary.length > 10);
  }
  for (const required of [
    'pem-begin-without-end',
    'pem-label-mismatch',
    'pem-bad-base64',
    'pem-data-outside-blocks',
    'pem-binary',
    'pem-undecodable',
    'tls-cert-expired',
    'tls-cert-not-yet-valid',
    'tls-cert-expiring',
    'tls-rsa-weak',
    'tls-weak-signature',
    'tls-cert-no-san',
    'tls-ca-no-keycertsign',
    'tls-ca-no-basic-constraints',
    'tls-chain-order',
    'tls-chain-duplicate',
    'tls-key-encrypted',
    'pem-key-permissions',
    'tls-public-ca-lifetime',
  ])
    assert.ok(codes.includes(required), required);
});

test('never throws on junk', () => {
  for (const s of [
    '',
    '\u0000\u0001',
    '-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----',
    '-----BEGIN RSA PRIVATE KEY-----\nMAA=\n-----END RSA PRIVATE KEY-----',
  ]) {
    assert.doesNotThrow(() => lintPem(s, ctx()));
  }
});
