import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { X509Certificate, createHash, createPublicKey, webcrypto } from 'node:crypto';
import { decodeBlock, decodeFile } from '../../server/src/service/pem/decode';
import { parsePem } from '../../server/src/service/pem/parse';
import type { Decoded } from '../../server/src/service/pem/model';
import { keyBodyLines, pemFixtures, toCrlf, withBom } from '../support/pem-fixtures';

const one = (pem: string): Decoded => {
  const f = parsePem(pem);
  assert.equal(f.blocks.length, 1, 'one block expected');
  return decodeBlock(f.blocks[0]);
};
const cert = (pem: string) => {
  const d = one(pem);
  assert.equal(d.kind, 'certificate', JSON.stringify(d.kind === 'error' ? d.message : d.kind));
  return (d as Extract<Decoded, { kind: 'certificate' }>).cert;
};
const key = (pem: string) => {
  const d = one(pem);
  assert.equal(d.kind, 'privateKey');
  return (d as Extract<Decoded, { kind: 'privateKey' }>).key;
};

test('leaf certificate: names, serial, dates, SANs, extensions, fingerprints agree with Node', async () => {
  const fx = await pemFixtures();
  const c = cert(fx.leaf.certPem);
  const node = new X509Certificate(fx.leaf.certPem);
  assert.equal(c.subject, 'CN=localhost');
  assert.equal(c.subjectCN, 'localhost');
  assert.equal(c.issuer, 'CN=Test Root CA');
  assert.equal(c.serialHex, node.serialNumber);
  assert.equal(c.notBefore.getTime(), fx.leaf.cert.notBefore.getTime());
  assert.equal(c.notAfter.getTime(), fx.leaf.cert.notAfter.getTime());
  assert.deepEqual(c.sans, [
    { type: 'dns', value: 'localhost' },
    { type: 'ip', value: '127.0.0.1' },
  ]);
  assert.equal(c.hasSanExtension, true);
  assert.deepEqual({ ...c.publicKey, spkiSha256: undefined }, { algorithm: 'EC', curve: 'P-256', spkiSha256: undefined });
  assert.equal(c.signatureAlgorithm, 'sha256WithRSAEncryption');
  assert.equal(c.basicConstraints, undefined);
  assert.deepEqual(c.keyUsage, ['digitalSignature', 'keyEncipherment']);
  assert.deepEqual(c.extKeyUsage, ['serverAuth']);
  assert.match(c.subjectKeyId!, /^[0-9A-F]{2}(:[0-9A-F]{2})+$/);
  const ca = cert(fx.ca.certPem);
  assert.equal(c.authorityKeyId, ca.subjectKeyId);
  assert.equal(c.sha256, node.fingerprint256);
  assert.equal(c.sha1, node.fingerprint);
  assert.equal(c.selfSigned, false);
  assert.ok(c.x509.checkIssued(ca.x509));
});

test('CA certificate: basic constraints (critical), keyCertSign, self-signed, RSA size', async () => {
  const fx = await pemFixtures();
  const c = cert(fx.ca.certPem);
  assert.deepEqual(c.basicConstraints, { ca: true, critical: true });
  assert.deepEqual(c.keyUsage, ['keyCertSign', 'cRLSign']);
  assert.equal(c.selfSigned, true);
  assert.equal(c.publicKey.algorithm, 'RSA');
  assert.equal(c.publicKey.size, 2048);
  assert.equal(cert(fx.intermediate.certPem).selfSigned, false);
  assert.equal(cert(fx.sha1Leaf.certPem).signatureAlgorithm, 'sha1WithRSAEncryption');
});

test('a leaf with the same DN as its CA and no key ids is not self-signed (gen.sh copies do this)', async () => {
  const { makeCert } = await import('../support/pem-fixtures');
  const fx = await pemFixtures();
  const twin = await makeCert({ subject: 'CN=Test Root CA', issuer: fx.ca, noKeyIds: true, sans: [{ type: 'dns', value: 'localhost' }] });
  const c = cert(twin.certPem);
  assert.equal(c.subject, c.issuer);
  assert.equal(c.selfSigned, false);
  const selfMade = await makeCert({ cn: 'plain self-signed', noKeyIds: true });
  assert.equal(cert(selfMade.certPem).selfSigned, true);
});

test('basicConstraints path length is read, zero and multi-byte alike', async () => {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  for (const pathLength of [0, 300]) {
    const c = await x509.X509CertificateGenerator.createSelfSigned(
      {
        serialNumber: '01',
        name: 'CN=ca',
        keys: keys as never,
        signingAlgorithm: alg,
        extensions: [new x509.BasicConstraintsExtension(true, pathLength, true)],
      },
      webcrypto as never,
    );
    assert.deepEqual(cert(c.toString('pem')).basicConstraints, { ca: true, pathLength, critical: true });
  }
});

test('EKU: known usages by name in order, unknown ones as dotted OIDs, an empty extension as an empty list', async () => {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const eku = async (usages: string[] | undefined) => {
    const extensions = usages ? [new x509.ExtendedKeyUsageExtension(usages)] : [];
    const c = await x509.X509CertificateGenerator.createSelfSigned(
      { serialNumber: '01', name: 'CN=eku', keys: keys as never, signingAlgorithm: alg, extensions },
      webcrypto as never,
    );
    return cert(c.toString('pem')).extKeyUsage;
  };
  assert.deepEqual(await eku(['1.3.6.1.5.5.7.3.2', '1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.9', '2.5.29.37.0']), [
    'clientAuth',
    'serverAuth',
    'OCSPSigning',
    'anyExtendedKeyUsage',
  ]);
  assert.deepEqual(await eku(['1.3.6.1.5.5.7.3.17', '1.3.6.1.5.5.7.3.4']), ['1.3.6.1.5.5.7.3.17', 'emailProtection']);
  assert.deepEqual(await eku([]), []);
  assert.equal(await eku(undefined), undefined);
});

test('certificate without SAN: hasSanExtension false, empty sans', async () => {
  const fx = await pemFixtures();
  const c = cert(fx.cnOnly.certPem);
  assert.equal(c.hasSanExtension, false);
  assert.deepEqual(c.sans, []);
  assert.equal(c.subjectCN, 'localhost');
});

test('spkiSha256 is the SHA-256 of the SPKI DER and matches the private key', async () => {
  const fx = await pemFixtures();
  const c = cert(fx.rsaLeaf.certPem);
  const spki = createPublicKey(fx.rsaLeaf.certPem).export({ type: 'spki', format: 'der' });
  assert.equal(c.publicKey.spkiSha256, createHash('sha256').update(spki).digest('hex'));
  for (const pem of [fx.keys.rsaPkcs8, fx.keys.rsaPkcs1]) assert.equal(key(pem).publicKey!.spkiSha256, c.publicKey.spkiSha256);
  const ec = cert(fx.leaf.certPem);
  for (const pem of [fx.keys.ecPkcs8, fx.keys.ecSec1]) assert.equal(key(pem).publicKey!.spkiSha256, ec.publicKey.spkiSha256);
});

test('private key formats are detected by label', async () => {
  const fx = await pemFixtures();
  const pick = (pem: string) => {
    const k = key(pem);
    return { algorithm: k.algorithm, size: k.size, curve: k.curve, format: k.format, encrypted: k.encrypted };
  };
  assert.deepEqual(pick(fx.keys.rsaPkcs8), { algorithm: 'RSA', size: 2048, curve: undefined, format: 'PKCS#8', encrypted: false });
  assert.deepEqual(pick(fx.keys.rsaPkcs1), { algorithm: 'RSA', size: 2048, curve: undefined, format: 'PKCS#1', encrypted: false });
  assert.deepEqual(pick(fx.keys.ecSec1), { algorithm: 'EC', size: undefined, curve: 'P-256', format: 'SEC1', encrypted: false });
  assert.deepEqual(pick(fx.keys.ecPkcs8), { algorithm: 'EC', size: undefined, curve: 'P-256', format: 'PKCS#8', encrypted: false });
  assert.deepEqual(pick(fx.keys.weakRsa1024), { algorithm: 'RSA', size: 1024, curve: undefined, format: 'PKCS#8', encrypted: false });
});

test('encrypted keys: recognised without a passphrase, nothing derived, no throw', async () => {
  const fx = await pemFixtures();
  const p8 = key(fx.keys.encryptedPkcs8);
  assert.deepEqual([p8.format, p8.encrypted, p8.algorithm, p8.publicKey], ['PKCS#8 encrypted', true, 'unknown', undefined]);
  assert.match(fx.keys.legacyEncrypted, /Proc-Type: 4,ENCRYPTED/);
  const legacy = key(fx.keys.legacyEncrypted);
  assert.deepEqual(
    [legacy.format, legacy.encrypted, legacy.algorithm, legacy.publicKey],
    ['PEM encrypted (legacy)', true, 'RSA', undefined],
  );
});

test('OpenSSH key: format, algorithm and public half from the clear-text part', async () => {
  const fx = await pemFixtures();
  assert.ok(fx.keys.openssh, 'ssh-keygen is needed (package openssh-client; .ci/run installs it)');
  const k = key(fx.keys.openssh);
  assert.deepEqual([k.format, k.algorithm, k.encrypted], ['OpenSSH', 'Ed25519', false]);
  assert.match(k.publicKey!.spkiSha256, /^[0-9a-f]{64}$/);
});

test('key info holds no private key material', async () => {
  const fx = await pemFixtures();
  for (const pem of [fx.keys.rsaPkcs8, fx.keys.rsaPkcs1, fx.keys.ecSec1]) {
    const k = key(pem);
    assert.equal(k.publicKeyObject?.type, 'public');
    const json = JSON.stringify({ ...k, publicKeyObject: undefined });
    for (const line of keyBodyLines(pem)) assert.ok(!json.includes(line));
  }
});

test('CSR: subject, requested SANs, key, signature algorithm', async () => {
  const fx = await pemFixtures();
  const d = one(fx.csrPem);
  assert.equal(d.kind, 'csr');
  if (d.kind !== 'csr') return;
  assert.equal(d.csr.subjectCN, 'csr.localhost');
  assert.match(d.csr.subject, /CN=csr\.localhost/);
  assert.match(d.csr.subject, /O=Test/);
  assert.deepEqual(d.csr.sans, [
    { type: 'dns', value: 'csr.localhost' },
    { type: 'ip', value: '10.0.0.1' },
  ]);
  assert.deepEqual([d.csr.publicKey.algorithm, d.csr.publicKey.curve], ['EC', 'P-256']);
  assert.equal(d.csr.signatureAlgorithm, 'ecdsa-with-SHA256');
});

test('CSR: the last CN wins and every SAN type reads as it does in a certificate', async () => {
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const names: x509.JsonGeneralNames = [
    { type: 'dns', value: 'a.example' },
    { type: 'ip', value: '2001:db8:0:0:0:0:0:1' },
    { type: 'email', value: 'ops@example.com' },
    { type: 'url', value: 'spiffe://example/milvus' },
    { type: 'id', value: '1.2.3.4' },
  ];
  const csr = await x509.Pkcs10CertificateRequestGenerator.create(
    {
      name: 'CN=first, CN=second',
      keys: keys as never,
      signingAlgorithm: alg,
      extensions: [new x509.SubjectAlternativeNameExtension(names)],
    },
    webcrypto as never,
  );
  const d = one(`${csr.toString('pem')}\n`);
  assert.equal(d.kind, 'csr');
  if (d.kind !== 'csr') return;
  assert.equal(d.csr.subjectCN, 'second');
  assert.deepEqual(d.csr.sans, [
    { type: 'dns', value: 'a.example' },
    { type: 'ip', value: '2001:db8::1' },
    { type: 'email', value: 'ops@example.com' },
    { type: 'uri', value: 'spiffe://example/milvus' },
    { type: 'other', value: 'Registered ID:1.2.3.4' },
  ]);
});

test('public key blocks and unknown labels', async () => {
  const fx = await pemFixtures();
  const pub = createPublicKey(fx.rsaLeaf.certPem).export({ type: 'spki', format: 'pem' }) as string;
  const d = one(pub);
  assert.equal(d.kind, 'publicKey');
  if (d.kind === 'publicKey') assert.deepEqual([d.publicKey.algorithm, d.publicKey.size], ['RSA', 2048]);
  assert.equal(one('-----BEGIN DH PARAMETERS-----\nMAA=\n-----END DH PARAMETERS-----\n').kind, 'other');
});

test('wrong content under a label becomes an error item with our own message', async () => {
  const fx = await pemFixtures();
  const body = fx.keys.ecPkcs8.replace(/PRIVATE KEY/g, 'CERTIFICATE');
  const d = one(body);
  assert.equal(d.kind, 'error');
  if (d.kind === 'error') {
    assert.equal(d.message, "The CERTIFICATE block's content is not a valid X.509 certificate.");
    for (const line of keyBodyLines(fx.keys.ecPkcs8)) assert.ok(!d.message.includes(line));
  }
  const keyAsKey = one('-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n');
  assert.equal(keyAsKey.kind, 'error');
  const broken = one('-----BEGIN CERTIFICATE-----\nTU*J\n-----END CERTIFICATE-----\n');
  assert.equal(broken.kind, 'error');
});

test('decodeFile: PEM text, CRLF and BOM variants give the same items', async () => {
  const fx = await pemFixtures();
  const text = fx.leaf.certPem + fx.keys.ecPkcs8;
  for (const variant of [text, toCrlf(text), withBom(text)]) {
    const f = decodeFile(Buffer.from(variant, 'utf8'));
    assert.equal(f.der, false);
    assert.deepEqual(
      f.items.map((i) => i.kind),
      ['certificate', 'privateKey'],
    );
  }
  const bom = decodeFile(Buffer.from(withBom(text), 'utf8'));
  assert.deepEqual(
    bom.framing.problems.map((p) => p.code),
    ['pem-bom'],
  );
});

test('decodeFile: DER certificate and DER keys are decoded and marked der', async () => {
  const fx = await pemFixtures();
  const derCert = decodeFile(new Uint8Array(fx.leaf.cert.rawData));
  assert.equal(derCert.der, true);
  assert.equal(derCert.framing.binary, true);
  assert.deepEqual(
    derCert.framing.problems.map((p) => p.code),
    ['pem-der'],
  );
  assert.equal(derCert.items[0].kind, 'certificate');
  if (derCert.items[0].kind === 'certificate') assert.equal(derCert.items[0].cert.subjectCN, 'localhost');

  const { createPrivateKey } = await import('node:crypto');
  const k = createPrivateKey(fx.keys.rsaPkcs8);
  for (const [type, format] of [
    ['pkcs8', 'PKCS#8'],
    ['pkcs1', 'PKCS#1'],
  ] as const) {
    const f = decodeFile(k.export({ type, format: 'der' }));
    assert.equal(f.der, true);
    assert.equal(f.items[0].kind, 'privateKey');
    if (f.items[0].kind === 'privateKey') assert.equal(f.items[0].key.format, format);
  }
  const ec = decodeFile(createPrivateKey(fx.keys.ecPkcs8).export({ type: 'sec1', format: 'der' }));
  assert.equal(ec.items[0].kind === 'privateKey' && ec.items[0].key.format, 'SEC1');
  const enc = decodeFile(k.export({ type: 'pkcs8', format: 'der', cipher: 'aes-256-cbc', passphrase: 'x' }));
  assert.equal(enc.items[0].kind === 'privateKey' && enc.items[0].key.format, 'PKCS#8 encrypted');
});

test('decodeFile: binary garbage gives no items and framing.binary', () => {
  const bytes = new Uint8Array(512);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 73 + 11) & 0xff;
  const f = decodeFile(bytes);
  assert.deepEqual(f.items, []);
  assert.equal(f.framing.binary, true);
  assert.equal(f.der, false);
  const seq = decodeFile(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x05]));
  assert.deepEqual(seq.items, []);
  assert.equal(seq.framing.binary, true);
});

test('a CSR beside certificates is decoded without @peculiar/x509 until its names are read (folder scans stay light)', () => {
  // A fresh process on the built bundle: the test process itself has @peculiar/x509 loaded by its fixtures.
  const script = `
    const core = require(${JSON.stringify(path.join(__dirname, '../../dist/core.js'))});
    const fs = require('fs'), path = require('path'), { execFileSync } = require('child_process');
    const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'csr-lazy-'));
    execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=lazy.example', '-addext', 'subjectAltName=DNS:lazy.example', '-keyout', path.join(dir, 'server.key'), '-out', path.join(dir, 'server.csr')], { stdio: 'pipe' });
    execFileSync('openssl', ['req', '-x509', '-key', path.join(dir, 'server.key'), '-subj', '/CN=lazy.example', '-addext', 'subjectAltName=DNS:lazy.example', '-out', path.join(dir, 'server.pem')], { stdio: 'pipe' });
    const loaded = () => Object.keys(require.cache).some((k) => k.endsWith('x509.js'));
    const svc = new core.LanguageService(new core.Workspace([dir]), {});
    const pem = path.join(dir, 'server.pem');
    svc.validate({ path: pem, uri: 'file://' + pem, text: fs.readFileSync(pem, 'utf8') });
    const afterScan = loaded();
    const csr = path.join(dir, 'server.csr');
    const h = svc.hover({ path: csr, uri: 'file://' + csr, text: fs.readFileSync(csr, 'utf8') }, { line: 1, character: 0 });
    console.log(JSON.stringify({ afterScan, afterHover: loaded(), hover: h.contents.value }));
    fs.rmSync(dir, { recursive: true, force: true });`;
  const r = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
  assert.equal(r.afterScan, false, 'validating server.pem scanned the folder (with server.csr) without loading @peculiar/x509');
  assert.equal(r.afterHover, true);
  assert.match(r.hover, /lazy\.example/);
});
