/**
 * Path validation and key-pair loading as Go does them, one rule per test, with Go's own error text.
 * Confirmed in Go's source (golang/go, the same in the Go 1.19 Debian ships and in 1.24):
 * - src/crypto/x509/verify.go `isValid`: unhandled critical extension, dates ("current time … is after …"),
 *   an intermediate without CA:TRUE (NotAuthorizedToSign), pathLenConstraint (TooManyIntermediates);
 *   `Verify`: a pool holding the leaf itself verifies it, then `checkChainForKeyUsage` (EKU nests down the chain);
 *   `buildChains` / `UnknownAuthorityError`: "possibly because of … while trying to verify candidate authority certificate".
 * - src/crypto/x509/x509.go `CheckSignatureFrom`: a v3 parent needs basicConstraints CA:TRUE and, with a keyUsage,
 *   keyCertSign ("parent certificate cannot sign this kind of certificate"); `checkSignature`: SHA-1/MD5 are
 *   InsecureAlgorithmError ("x509: cannot verify signature: insecure algorithm SHA1-RSA").
 * - src/crypto/x509/parser.go: "certificate contains duplicate extensions", "invalid version", "inner and outer
 *   signature algorithm identifiers don't match"; `processExtensions` lists the critical extensions Go handles.
 * - src/crypto/tls/tls.go `X509KeyPair`: the first CERTIFICATE block pem.Decode finds is paired with the key.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { decodeFile } from '../../server/src/service/pem/decode';
import { readTlv, time } from '../../server/src/service/pem/der';
import type { CertInfo } from '../../server/src/service/pem/model';
import { goVerify } from '../../server/src/service/tls/chain';
import { lintPem } from '../../server/src/service/tls/file-lint';
import { DEFAULT_SETTINGS } from '../../server/src/service/types';
import { makeCert, type Made } from '../support/pem-fixtures';
import { tmpWorkspace, writeFiles, serviceFor, docOf, composeYaml, milvusYaml } from '../support/workspace';

const KU = x509.KeyUsageFlags;
const SERVER = ['1.3.6.1.5.5.7.3.1'];
const CLIENT = ['1.3.6.1.5.5.7.3.2'];
const DAY = 86_400_000;
const now = new Date();
const localhost = [{ type: 'dns' as const, value: 'localhost' }];

function info(pem: string): CertInfo {
  const item = decodeFile(Buffer.from(pem)).items[0];
  assert.equal(item.kind, 'certificate');
  return (item as { cert: CertInfo }).cert;
}

const root = () => makeCert({ cn: 'Root', ca: true, keyUsage: KU.keyCertSign | KU.cRLSign });
const leafOf = (issuer: Made, o: Parameters<typeof makeCert>[0] = {}) =>
  makeCert({ cn: 'localhost', issuer, keyUsage: KU.digitalSignature, eku: SERVER, sans: localhost, ...o });
const verify = (leaf: Made, inter: Made[], roots: Made[], usage: 'serverAuth' | 'clientAuth' = 'serverAuth') =>
  goVerify(
    info(leaf.certPem),
    inter.map((c) => info(c.certPem)),
    roots.map((c) => info(c.certPem)),
    { now, usage },
  );
const goError = (r: ReturnType<typeof goVerify>) => (r.ok ? 'ok' : r.failure.goError);

test('a leaf issued by an intermediate that follows it in the certificate file chains to the root', async () => {
  const r = await root();
  const inter = await makeCert({ cn: 'Intermediate', ca: true, keyUsage: KU.keyCertSign, issuer: r });
  const leaf = await leafOf(inter);
  const ok = verify(leaf, [inter], [r]);
  assert.ok(ok.ok);
  assert.deepEqual(
    ok.chain.map((c) => c.subjectCN),
    ['localhost', 'Intermediate', 'Root'],
  );
  // The intermediate in the CA file is a trust anchor of its own.
  assert.ok(verify(leaf, [], [inter, r]).ok);
  // Missing: Go's words.
  const missing = verify(leaf, [], [r]);
  assert.equal(goError(missing), 'x509: certificate signed by unknown authority');
  assert.equal(!missing.ok && missing.failure.kind, 'unknown-authority');
});

test('an issuer without basicConstraints CA:TRUE, or with a keyUsage lacking keyCertSign, cannot sign (CheckSignatureFrom)', async () => {
  for (const ca of [
    await makeCert({ cn: 'No BC', ca: true, noBasicConstraints: true, keyUsage: KU.keyCertSign }),
    await makeCert({ cn: 'No CertSign', ca: true, keyUsage: KU.digitalSignature }),
  ]) {
    const r = verify(await leafOf(ca), [], [ca]);
    assert.equal(
      goError(r),
      `x509: certificate signed by unknown authority (possibly because of "x509: invalid signature: parent certificate cannot sign this kind of certificate" while trying to verify candidate authority certificate "${ca.cert.subjectName.getField('CN')[0]}")`,
    );
    assert.equal(!r.ok && r.failure.position, 'root');
  }
});

test('an intermediate without CA:TRUE: "x509: certificate is not authorized to sign other certificates"', async () => {
  const r = await root();
  const inter = await makeCert({ cn: 'Not a CA', issuer: r, keyUsage: KU.keyCertSign });
  const res = verify(await leafOf(inter), [inter], [r]);
  // CheckSignatureFrom runs first and refuses a v3 parent without basicConstraints.
  assert.match(goError(res), /parent certificate cannot sign this kind of certificate|not authorized to sign other certificates/);
  assert.equal(!res.ok && res.failure.cert.subjectCN, 'Not a CA');
});

test('SHA-1 signatures are refused below the anchor, accepted on the anchor itself', () => {
  // WebCrypto binds an RSA key to one hash, so openssl makes this pair: a root signing itself with SHA-1.
  const dir = tmpWorkspace('sha1-');
  try {
    const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    run([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-sha1',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '30',
      '-subj',
      '/CN=SHA1 Root',
    ]);
    fs.writeFileSync(path.join(dir, 'ext'), 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n');
    run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=localhost']);
    for (const [hash, out] of [
      ['-sha256', 'leaf256.pem'],
      ['-sha1', 'leaf1.pem'],
    ])
      run([
        'x509',
        '-req',
        '-in',
        'leaf.csr',
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        hash,
        '-days',
        '10',
        '-extfile',
        'ext',
        '-out',
        out,
      ]);
    const read = (f: string) => info(fs.readFileSync(path.join(dir, f), 'utf8'));
    // openssl starts validity now, after this file's `now`.
    const opts = { now: new Date(Date.now() + 1000), usage: 'serverAuth' as const };
    assert.ok(goVerify(read('leaf256.pem'), [], [read('ca.pem')], opts).ok);
    assert.equal(
      goError(goVerify(read('leaf1.pem'), [], [read('ca.pem')], opts)),
      'x509: certificate signed by unknown authority (possibly because of "x509: cannot verify signature: insecure algorithm SHA1-RSA (temporarily override with GODEBUG=x509sha1=1)" while trying to verify candidate authority certificate "SHA1 Root")',
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('dates anywhere in the path, in Go words', async () => {
  const r = await root();
  const old = await makeCert({
    cn: 'Old Intermediate',
    ca: true,
    keyUsage: KU.keyCertSign,
    issuer: r,
    notBefore: new Date(now.getTime() - 400 * DAY),
    notAfter: new Date(now.getTime() - DAY),
  });
  const res = verify(await leafOf(old), [old], [r]);
  assert.match(goError(res), /^x509: certificate has expired or is not yet valid: current time \S+ is after \S+$/);
  assert.equal(!res.ok && res.failure.cert.subjectCN, 'Old Intermediate');
});

test('EKU nests: a CA limited to clientAuth cannot issue a server certificate, anyExtendedKeyUsage allows all', async () => {
  const clientCa = await makeCert({ cn: 'Client CA', ca: true, keyUsage: KU.keyCertSign, eku: CLIENT });
  const res = verify(await leafOf(clientCa), [], [clientCa]);
  assert.equal(goError(res), 'x509: certificate specifies an incompatible key usage');
  assert.equal(!res.ok && res.failure.cert.subjectCN, 'Client CA');
  assert.ok(verify(await leafOf(clientCa, { eku: CLIENT }), [], [clientCa], 'clientAuth').ok);
  const any = await makeCert({ cn: 'Any CA', ca: true, keyUsage: KU.keyCertSign, eku: ['2.5.29.37.0'] });
  assert.ok(verify(await leafOf(any), [], [any]).ok);
});

test('an unknown critical extension: "x509: unhandled critical extension"; a non-critical one is ignored', async () => {
  const r = await root();
  const keys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const make = async (critical: boolean) => {
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: '0a',
      subject: 'CN=localhost',
      issuer: r.cert.subject,
      notBefore: new Date(now.getTime() - DAY),
      notAfter: new Date(now.getTime() + DAY),
      publicKey: keys.publicKey as never,
      signingKey: r.keys.privateKey as never,
      signingAlgorithm: r.cert.signatureAlgorithm as never,
      extensions: [
        new x509.SubjectAlternativeNameExtension(localhost),
        new x509.Extension('1.3.6.1.4.1.99999.1', critical, new Uint8Array([5, 0])),
      ],
    });
    return info(cert.toString('pem'));
  };
  const opts = { now, usage: 'serverAuth' as const };
  assert.equal(goError(goVerify(await make(true), [], [info(r.certPem)], opts)), 'x509: unhandled critical extension');
  assert.ok(goVerify(await make(false), [], [info(r.certPem)], opts).ok);
});

test('certificates Go refuses to parse: duplicate extensions; extensions we cannot read never make a certificate undecodable', async () => {
  const r = await root();
  const keys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '0b',
    subject: 'CN=localhost',
    issuer: r.cert.subject,
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + DAY),
    publicKey: keys.publicKey as never,
    signingKey: r.keys.privateKey as never,
    signingAlgorithm: r.cert.signatureAlgorithm as never,
    extensions: [
      new x509.SubjectAlternativeNameExtension(localhost),
      new x509.SubjectAlternativeNameExtension(localhost),
      // An SKI that is not an OCTET STRING: we leave the field unset, the certificate still decodes.
      new x509.Extension('2.5.29.14', false, new Uint8Array([0x05, 0x00])),
    ],
  });
  const c = info(cert.toString('pem'));
  assert.equal(c.goRefuses, 'x509: certificate contains duplicate extensions');
  assert.equal(c.subjectKeyId, undefined);
  assert.equal(
    goError(goVerify(c, [], [info(r.certPem)], { now, usage: 'serverAuth' })),
    'x509: certificate contains duplicate extensions',
  );
});

test('PEM files on their own: an `openssl x509 -text` dump is information, GeneralizedTime year 1 stays year 1', async () => {
  const r = await root();
  const dump = 'Certificate:\n    Data:\n        Version: 3 (0x2)\n        Serial Number: 1 (0x1)\n';
  const ds = lintPem(dump + r.certPem, { now, settings: DEFAULT_SETTINGS });
  assert.deepEqual(
    ds.map((d) => [d.code, d.severity]),
    [['pem-bundle-metadata', 3]],
  );
  // GeneralizedTime "00010101000000Z": year 1, not 1901.
  const der = Buffer.concat([Buffer.from([0x18, 15]), Buffer.from('00010101000000Z', 'latin1')]);
  assert.equal(time(der, readTlv(der, 0)).toISOString(), '0001-01-01T00:00:00.000Z');
  // With an offset (Go and OpenSSL read it): 2020-01-01 00:00 +0100 is 2019-12-31 23:00 UTC.
  const off = Buffer.concat([Buffer.from([0x17, 15]), Buffer.from('2001010000+0100', 'latin1')]);
  assert.equal(time(off, readTlv(off, 0)).toISOString(), '2019-12-31T23:00:00.000Z');
});

/** Our findings on milvus.yaml for a set laid out as the TLS guide does. */
function findings(files: Record<string, string | Uint8Array>, mode: 1 | 2) {
  const dir = tmpWorkspace('path-');
  writeFiles(dir, { 'docker-compose.yml': composeYaml(), 'milvus.yaml': milvusYaml({ mode }), ...files });
  fs.mkdirSync(path.join(dir, 'volumes/milvus'), { recursive: true });
  try {
    return serviceFor(dir)
      .validate(docOf(dir, 'milvus.yaml'))
      .map((d) => ({ code: String(d.code), severity: d.severity, message: String(d.message) }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('milvus.yaml: a leaf issued by an intermediate in serverPemPath is fine; a missing intermediate says what to append', async () => {
  const r = await root();
  const inter = await makeCert({ cn: 'Intermediate', ca: true, keyUsage: KU.keyCertSign, issuer: r });
  const leaf = await leafOf(inter, { eku: [...SERVER, ...CLIENT] });
  const base = { 'tls/ca.pem': r.certPem, 'tls/server.key': leaf.keyPem };
  assert.deepEqual(findings({ ...base, 'tls/server.pem': leaf.certPem + inter.certPem }, 1), []);
  const missing = findings({ ...base, 'tls/server.pem': leaf.certPem }, 1);
  assert.deepEqual(
    missing.map((d) => d.code),
    ['tls-cert-not-from-ca'],
  );
  assert.match(missing[0].message, /append its certificate to serverPemPath after the server certificate/);
  assert.match(missing[0].message, /x509: certificate signed by unknown authority/);
});

test('milvus.yaml: a UTF-8 BOM hides the first certificate from Go (tls.X509KeyPair pairs the next block)', async () => {
  const r = await root();
  const leaf = await leafOf(r);
  const bom = findings({ 'tls/ca.pem': r.certPem, 'tls/server.pem': '\ufeff' + leaf.certPem, 'tls/server.key': leaf.keyPem }, 1);
  const e = bom.find((d) => d.code === 'tls-cert-bom-hidden');
  assert.ok(e, JSON.stringify(bom));
  assert.match(e.message, /tls: failed to find any PEM data in certificate input/);
  const keyBom = findings({ 'tls/ca.pem': r.certPem, 'tls/server.pem': leaf.certPem, 'tls/server.key': '\ufeff' + leaf.keyPem }, 1);
  assert.deepEqual(
    keyBom.map((d) => d.code),
    ['tls-cert-bom-hidden'],
  );
  assert.match(keyBom[0].message, /tls: failed to find any PEM data in key input/);
});

test('milvus.yaml mode 2: a client certificate beside the server files with serverAuth-only EKU or from another CA is flagged', async () => {
  const r = await root();
  const other = await makeCert({ cn: 'Other CA', ca: true, keyUsage: KU.keyCertSign });
  const leaf = await leafOf(r);
  const base = { 'tls/ca.pem': r.certPem, 'tls/server.pem': leaf.certPem, 'tls/server.key': leaf.keyPem };
  const good = await makeCert({ cn: 'client', issuer: r, keyUsage: KU.digitalSignature, eku: CLIENT });
  assert.deepEqual(findings({ ...base, 'tls/client.pem': good.certPem }, 2), []);
  const serverOnly = await makeCert({ cn: 'client', issuer: r, keyUsage: KU.digitalSignature, eku: SERVER });
  const a = findings({ ...base, 'tls/client.pem': serverOnly.certPem }, 2);
  assert.deepEqual(
    a.map((d) => d.code),
    ['tls-client-cert-rejected'],
  );
  assert.match(a[0].message, /lacks clientAuth.*x509: certificate specifies an incompatible key usage/);
  const foreign = await makeCert({ cn: 'client', issuer: other, keyUsage: KU.digitalSignature, eku: CLIENT });
  const b = findings({ ...base, 'tls/client.pem': foreign.certPem }, 2);
  assert.match(b[0].message, /not issued by caPemPath.*x509: certificate signed by unknown authority/);
  // Mode 1: the server asks for no client certificate.
  assert.deepEqual(findings({ ...base, 'tls/client.pem': foreign.certPem }, 1), []);
});

test('milvus.yaml: per-client-stack rules name who refuses and who accepts', async () => {
  const r = await root();
  const ku = await leafOf(r, { keyUsage: KU.keyEncipherment });
  const kuF = findings({ 'tls/ca.pem': r.certPem, 'tls/server.pem': ku.certPem, 'tls/server.key': ku.keyPem }, 1);
  assert.deepEqual(
    kuF.map((d) => d.code),
    ['tls-cert-key-usage'],
  );
  assert.match(kuF[0].message, /pymilvus .*BoringSSL refuse it \(KEY_USAGE_BIT_INCORRECT.*Go and OpenSSL accept it/);
  const any = await leafOf(r, { eku: ['2.5.29.37.0'] });
  const anyF = findings({ 'tls/ca.pem': r.certPem, 'tls/server.pem': any.certPem, 'tls/server.key': any.keyPem }, 1);
  assert.deepEqual(
    anyF.map((d) => d.code),
    ['tls-cert-eku-any-only'],
  );
  assert.match(anyF[0].message, /unsupported certificate purpose.*Go accepts it/);
  const ed = await leafOf(r, { keyAlg: { name: 'Ed25519' } });
  const edF = findings({ 'tls/ca.pem': r.certPem, 'tls/server.pem': ed.certPem, 'tls/server.key': ed.keyPem }, 1);
  assert.deepEqual(
    edF.map((d) => d.code),
    ['tls-key-type-grpc'],
  );
  const cn = await leafOf(r, { sans: undefined });
  const cnF = findings({ 'tls/ca.pem': r.certPem, 'tls/server.pem': cn.certPem, 'tls/server.key': cn.keyPem }, 1);
  assert.match(cnF.find((d) => d.code === 'tls-cert-no-san')!.message, /Go clients refuse it.*BoringSSL-based clients .* accept it/);
});

test('milvus.yaml: a self-signed server certificate copied as its own CA file is valid for every stack', async () => {
  const self = await makeCert({ cn: 'localhost', keyUsage: KU.digitalSignature, eku: SERVER, sans: localhost });
  for (const mode of [1, 2] as const)
    assert.deepEqual(findings({ 'tls/ca.pem': self.certPem, 'tls/server.pem': self.certPem, 'tls/server.key': self.keyPem }, mode), []);
});
