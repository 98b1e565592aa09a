import 'reflect-metadata';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, webcrypto } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as x509 from '@peculiar/x509';
import {
  CertGenError,
  DEFAULT_OPTIONS,
  generateCertSet,
  generateCertSetWithInfo,
  KEY_TYPES,
  type GeneratedFile,
  type GenerateOptions,
  type KeyType,
} from '../../server/src/service/certgen';
import { buildGoTls, goHandshake, pemsFromSet, type CertPems } from '../support/go-tls';
import { grpcHandshake } from '../support/grpc-handshake';

const NAMES = ['localhost', 'milvus.example.internal', '127.0.0.1', '::1'];
const DAY = 86_400_000;

function opts(over: Partial<GenerateOptions> = {}): GenerateOptions {
  return { ...DEFAULT_OPTIONS, names: NAMES, ...over };
}

function file(set: GeneratedFile[], name: GeneratedFile['name']): string {
  const f = set.find((x) => x.name === name);
  assert.ok(f, `${name} missing from the set`);
  return f.contents;
}

const tmpDirs: string[] = [];
function tmpDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'certgen-test-'));
  tmpDirs.push(d);
  return d;
}
after(() => tmpDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Writes the set into a fresh folder and returns it. */
function onDisk(set: GeneratedFile[], extra: Record<string, string> = {}): string {
  const d = tmpDir();
  for (const f of set) writeFileSync(path.join(d, f.name), f.contents);
  for (const [n, c] of Object.entries(extra)) writeFileSync(path.join(d, n), c);
  return d;
}

function openssl(args: string[], cwd: string): string {
  return execFileSync('openssl', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

// Every key type generated once, all at the same time (RSA-4096 dominates).
const sets = new Map<KeyType, { files: GeneratedFile[]; at: number; ms: number }>();
let foreign: GeneratedFile[];

before(async () => {
  const goBuild = buildGoTls(); // compile the Go helper while keys are generated
  await Promise.all([
    ...KEY_TYPES.map(async (k) => {
      const at = Date.now();
      const t = performance.now();
      const files = await generateCertSet(opts({ keyType: k, csr: true }));
      sets.set(k, { files, at, ms: performance.now() - t });
    }),
    generateCertSet(opts()).then((f) => (foreign = f)),
  ]);
  await goBuild;
});

for (const keyType of KEY_TYPES) {
  describe(`generateCertSet ${keyType}`, { concurrency: true }, () => {
    const get = () => sets.get(keyType)!.files;

    it('emits the full mutual set with secret keys', () => {
      assert.deepEqual(
        get().map((f) => `${f.name}${f.secret ? '*' : ''}`),
        ['ca.pem', 'ca.key*', 'server.pem', 'server.key*', 'client.pem', 'client.key*', 'server.csr', 'client.csr'],
      );
    });

    it('builds a CA that can only sign', async () => {
      const ca = new x509.X509Certificate(file(get(), 'ca.pem'));
      const bc = ca.getExtension(x509.BasicConstraintsExtension);
      assert.ok(bc && bc.critical && bc.ca, 'basicConstraints critical CA:TRUE');
      assert.equal(bc.pathLength, 0);
      const ku = ca.getExtension(x509.KeyUsagesExtension);
      assert.ok(ku && ku.critical);
      assert.equal(ku.usages, x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign);
      assert.ok(ca.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId);
      assert.match(ca.subject, /^O=tls-config, CN=TLS Config CA [0-9a-f]{8}$/);
      assert.ok(await ca.isSelfSigned(webcrypto));
      assert.equal(ca.notAfter.getTime() - ca.notBefore.getTime(), 3650 * DAY, 'CA valid exactly caDays from its notBefore');
    });

    for (const role of ['server', 'client'] as const) {
      it(`builds a ${role} leaf with SANs, EKU, AKI, serial and dates`, async () => {
        const { files, at } = sets.get(keyType)!;
        const ca = new x509.X509Certificate(file(files, 'ca.pem'));
        const leaf = new x509.X509Certificate(file(files, `${role}.pem`));
        const san = leaf.getExtension(x509.SubjectAlternativeNameExtension)!;
        assert.deepEqual(
          san.names.items.map((n) => `${n.type}:${n.value}`),
          ['dns:localhost', 'dns:milvus.example.internal', 'ip:127.0.0.1', 'ip:::1'],
        );
        const eku = leaf.getExtension(x509.ExtendedKeyUsageExtension)!;
        assert.deepEqual([...eku.usages], [role === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]);
        const ku = leaf.getExtension(x509.KeyUsagesExtension)!;
        assert.ok(ku.critical);
        const rsa = keyType.startsWith('RSA');
        assert.equal(ku.usages, x509.KeyUsageFlags.digitalSignature | (rsa ? x509.KeyUsageFlags.keyEncipherment : 0));
        const bc = leaf.getExtension(x509.BasicConstraintsExtension)!;
        assert.ok(bc.critical && !bc.ca);
        assert.equal(
          leaf.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId,
          ca.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId,
        );
        assert.ok(leaf.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId);
        if (role === 'server') assert.equal(leaf.subject, 'O=tls-config, CN=localhost');
        assert.equal(leaf.issuer, ca.subject);

        // Serial: positive (top bit clear once leading zeros are dropped), non-zero, at most 16 bytes.
        const serial = Buffer.from(leaf.serialNumber, 'hex');
        assert.ok(serial.length >= 1 && serial.length <= 16, `serial length ${serial.length}`);
        assert.ok(serial[0] < 0x80, 'serial is positive');
        assert.ok(
          serial.some((b) => b !== 0),
          'serial is non-zero',
        );
        assert.notEqual(leaf.serialNumber, ca.serialNumber);

        // notBefore about five minutes before generation (second precision in X.509).
        const back = at - leaf.notBefore.getTime();
        assert.ok(back > 4 * 60_000 && back < 6 * 60_000 + 2_000, `notBefore ${back} ms before generation`);
        // Counted from the backdated notBefore: exactly the days asked for.
        assert.equal(leaf.notAfter.getTime() - leaf.notBefore.getTime(), 825 * DAY);

        // Signature hash follows the CA key.
        const sig = leaf.signatureAlgorithm as { name: string; hash?: { name: string } };
        assert.equal(sig.name, rsa ? 'RSASSA-PKCS1-v1_5' : 'ECDSA');
        assert.equal(sig.hash?.name, keyType === 'P-384' ? 'SHA-384' : 'SHA-256');
        assert.ok(await leaf.verify({ publicKey: ca.publicKey, signatureOnly: true }, webcrypto));
      });
    }

    it('exports unencrypted PKCS#8 keys that match their certificates', () => {
      for (const role of ['ca', 'server', 'client'] as const) {
        const pem = file(get(), `${role}.key`);
        assert.match(pem, /^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END PRIVATE KEY-----\n$/);
        const key = createPrivateKey(pem);
        if (keyType.startsWith('RSA')) assert.equal(key.asymmetricKeyDetails?.modulusLength, Number(keyType.slice(4)));
        else assert.equal(key.asymmetricKeyDetails?.namedCurve, keyType === 'P-256' ? 'prime256v1' : 'secp384r1');
        const cert = new x509.X509Certificate(file(get(), `${role}.pem`));
        assert.ok(
          Buffer.from(cert.publicKey.rawData).equals(createPublicKey(key).export({ type: 'spki', format: 'der' })),
          `${role} key/cert pair`,
        );
      }
    });

    it('passes openssl verify, -checkend and CSR verification', () => {
      const d = onDisk(get());
      assert.match(openssl(['verify', '-CAfile', 'ca.pem', 'server.pem', 'client.pem'], d), /server\.pem: OK\nclient\.pem: OK/);
      assert.match(openssl(['verify', '-CAfile', 'ca.pem', '-purpose', 'sslserver', 'server.pem'], d), /OK/);
      assert.match(openssl(['verify', '-CAfile', 'ca.pem', '-purpose', 'sslclient', 'client.pem'], d), /OK/);
      for (const c of ['ca.pem', 'server.pem', 'client.pem']) {
        assert.match(openssl(['x509', '-in', c, '-noout', '-checkend', String(800 * 86400)], d), /will not expire/);
      }
      for (const c of ['server.csr', 'client.csr']) {
        const out = execFileSync('openssl', ['req', '-in', c, '-noout', '-verify', '-text'], {
          cwd: d,
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        assert.match(out, /DNS:localhost, DNS:milvus\.example\.internal, IP Address:127\.0\.0\.1, IP Address:0:0:0:0:0:0:0:1/);
      }
    });

    it('completes a mutual TLS handshake with a Go server (Node and Go clients) for every name', async () => {
      const pems = pemsFromSet(get());
      const results = await Promise.all(
        NAMES.flatMap((n) => [
          goHandshake(pems, n, 2).then((r) => ({ n, client: 'node', r })),
          goHandshake(pems, n, 2, { client: 'go' }).then((r) => ({ n, client: 'go', r })),
        ]),
      );
      for (const { n, client, r } of results) assert.ok(r.ok, `${client} client, ${n}: ${JSON.stringify(r)}`);
    });

    it('completes a grpc-js mutual TLS call with the server name override for every name', async () => {
      const p = pemsFromSet(get());
      for (const serverName of NAMES) {
        const r = await grpcHandshake({
          ca: p.ca,
          cert: p.clientCert,
          key: p.clientKey,
          serverCert: p.serverCert,
          serverKey: p.serverKey,
          mode: 2,
          serverName,
        });
        assert.ok(r.ok, `${serverName}: ${r.error}`);
      }
    });
  });
}

describe('generateCertSet options', { concurrency: true }, () => {
  it('one-way mode emits no client files and works with tlsMode 1', async () => {
    const files = await generateCertSet(opts({ mode: 'one-way', csr: true }));
    assert.deepEqual(
      files.map((f) => f.name),
      ['ca.pem', 'ca.key', 'server.pem', 'server.key', 'server.csr'],
    );
    const p = pemsFromSet(files);
    assert.deepEqual(await goHandshake(p, 'localhost', 1), { ok: true });
    assert.deepEqual(
      await grpcHandshake({ ca: p.ca, serverCert: p.serverCert, serverKey: p.serverKey, mode: 1, serverName: 'milvus.example.internal' }),
      { ok: true },
    );
  });

  it('uses commonName, leafDays and caDays; puts IPv4-mapped IPv6 into an IP SAN', async () => {
    const at = Date.now();
    const files = await generateCertSet(
      opts({ names: ['10.0.0.5', '::ffff:10.0.0.5', '[fd00::1]'], commonName: 'milvus', leafDays: 30, caDays: 60 }),
    );
    const server = new x509.X509Certificate(file(files, 'server.pem'));
    const ca = new x509.X509Certificate(file(files, 'ca.pem'));
    assert.equal(server.subject, 'O=tls-config, CN=milvus');
    assert.ok(Math.abs((server.notAfter.getTime() - at) / DAY - 30) < 0.01);
    assert.ok(Math.abs((ca.notAfter.getTime() - at) / DAY - 60) < 0.01);
    const san = server.getExtension(x509.SubjectAlternativeNameExtension)!;
    assert.deepEqual(
      san.names.items.map((n) => `${n.type}:${n.value}`),
      ['ip:10.0.0.5', 'ip:::ffff:a00:5', 'ip:fd00::1'],
    );
    // The harness dials 127.0.0.1 and verifies the given name: Go accepts the IPv6 SAN.
    const hs = await goHandshake(pemsFromSet(files), 'fd00::1', 2, { client: 'go' });
    assert.ok(hs.ok, JSON.stringify(hs));
  });

  it('falls back to the first IP as CN when no DNS name is given', async () => {
    const files = await generateCertSet(opts({ names: ['127.0.0.1'], mode: 'one-way' }));
    assert.equal(new x509.X509Certificate(file(files, 'server.pem')).subject, 'O=tls-config, CN=127.0.0.1');
    assert.ok((await goHandshake(pemsFromSet(files), '127.0.0.1', 1, { client: 'go' })).ok);
  });

  it('rejects bad options with every problem in one readable message', async () => {
    await assert.rejects(
      generateCertSet(opts({ names: ['https://milvus:19530', '300.1.1.1'], leafDays: 0 })),
      (e: unknown) =>
        e instanceof CertGenError &&
        /is a URL/.test(e.message) &&
        /not a valid IPv4 address/.test(e.message) &&
        /leafDays must be between 1 and/.test(e.message),
    );
  });
});

describe('reusing an existing CA', { concurrency: true }, () => {
  it('signs leaves with a CA generated earlier and returns neither ca.pem nor ca.key', async () => {
    const base = sets.get('P-384')!.files;
    const r = await generateCertSetWithInfo(
      opts({ keyType: 'P-256', reuseCa: { certPem: file(base, 'ca.pem'), keyPem: file(base, 'ca.key') } }),
    );
    assert.deepEqual(
      r.files.map((f) => f.name),
      ['server.pem', 'server.key', 'client.pem', 'client.key'],
    );
    assert.equal(r.ca.reused, true);
    assert.equal(r.ca.subject, new x509.X509Certificate(file(base, 'ca.pem')).subject);
    const leaf = new x509.X509Certificate(file(r.files, 'server.pem'));
    assert.equal((leaf.signatureAlgorithm as { hash?: { name: string } }).hash?.name, 'SHA-384', 'the P-384 CA signs with SHA-384');
    const d = onDisk(r.files, { 'ca.pem': file(base, 'ca.pem') });
    assert.match(openssl(['verify', '-CAfile', 'ca.pem', 'server.pem', 'client.pem'], d), /server\.pem: OK\nclient\.pem: OK/);
    const hs = await goHandshake(pemsFromSet(r.files, file(base, 'ca.pem')), 'localhost', 2);
    assert.ok(hs.ok, JSON.stringify(hs));
  });

  it('signs with an openssl-made RSA CA (PKCS#1 key, PrintableString subject) that Go and OpenSSL accept', async () => {
    const d = tmpDir();
    openssl(['genrsa', '-traditional', '-out', 'ca.key', '2048'], d);
    openssl(['req', '-x509', '-new', '-key', 'ca.key', '-days', '3650', '-subj', '/C=US/O=Milvus/CN=gen.sh CA', '-out', 'ca.pem'], d);
    const { readFileSync } = await import('node:fs');
    const certPem = readFileSync(path.join(d, 'ca.pem'), 'utf8');
    const keyPem = readFileSync(path.join(d, 'ca.key'), 'utf8');
    assert.match(keyPem, /BEGIN RSA PRIVATE KEY/);
    const files = await generateCertSet(opts({ reuseCa: { certPem, keyPem } }));
    const out = onDisk(files, { 'ca.pem': certPem });
    assert.match(openssl(['verify', '-CAfile', 'ca.pem', 'server.pem', 'client.pem'], out), /server\.pem: OK\nclient\.pem: OK/);
    const hs = await goHandshake(pemsFromSet(files, certPem), 'milvus.example.internal', 2, { client: 'go' });
    assert.ok(hs.ok, JSON.stringify(hs));
  });

  it('explains a key that does not belong to the CA, a non-CA certificate, an encrypted key and a CA that expires too soon', async () => {
    const a = sets.get('P-256')!.files;
    const reuse = (certPem: string, keyPem: string, over: Partial<GenerateOptions> = {}) =>
      generateCertSet(opts({ reuseCa: { certPem, keyPem }, ...over }));
    await assert.rejects(reuse(file(a, 'ca.pem'), file(foreign, 'ca.key')), /does not belong to the CA certificate/);
    await assert.rejects(reuse(file(a, 'server.pem'), file(a, 'server.key')), /is not a CA certificate/);
    const encrypted = createPrivateKey(file(a, 'ca.key')).export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: 'pw',
    }) as string;
    await assert.rejects(reuse(file(a, 'ca.pem'), encrypted), /encrypted/);
    await assert.rejects(reuse(file(a, 'ca.pem'), file(a, 'ca.key'), { leafDays: 3650 }), /Use at most 36\d\d days/);
    await assert.rejects(reuse('not a pem', file(a, 'ca.key')), /not a PEM certificate/);
  });

  it('finds the reused CA among several blocks of a CRLF bundle and names a block it cannot decode', async () => {
    const a = sets.get('P-256')!.files;
    const bundle = (file(foreign, 'ca.pem') + file(a, 'ca.pem')).replace(/\n/g, '\r\n');
    const r = await generateCertSetWithInfo(opts({ mode: 'one-way', reuseCa: { certPem: bundle, keyPem: file(a, 'ca.key') } }));
    assert.equal(r.ca.subject, new x509.X509Certificate(file(a, 'ca.pem')).subject);
    const leaf = new x509.X509Certificate(file(r.files, 'server.pem'));
    assert.equal(leaf.notAfter.getTime() - leaf.notBefore.getTime(), 825 * DAY, 'a leaf under a reused CA is valid exactly leafDays too');
    const broken = '-----BEGIN CERTIFICATE-----\nTU*J\n-----END CERTIFICATE-----\n';
    await assert.rejects(
      generateCertSet(opts({ reuseCa: { certPem: broken + file(a, 'ca.pem'), keyPem: file(a, 'ca.key') } })),
      /Certificate #1 in the CA file could not be decoded/,
    );
  });
});

describe('harness negative controls (the harness can fail)', { concurrency: true }, () => {
  let good: CertPems;
  let other: CertPems;
  before(() => {
    good = pemsFromSet(sets.get('P-256')!.files);
    other = pemsFromSet(foreign);
  });

  it('Go and grpc-js reject a client certificate from a different CA', async () => {
    const bad = { ...good, clientCert: other.clientCert, clientKey: other.clientKey };
    const [node, go] = await Promise.all([goHandshake(bad, 'localhost', 2), goHandshake(bad, 'localhost', 2, { client: 'go' })]);
    assert.equal(node.ok, false);
    assert.match(node.serverError ?? '', /certificate signed by unknown authority/);
    assert.equal(go.ok, false);
    assert.match(go.serverError ?? '', /certificate signed by unknown authority/);
    const g = await grpcHandshake({
      ca: good.ca,
      cert: other.clientCert,
      key: other.clientKey,
      serverCert: good.serverCert,
      serverKey: good.serverKey,
      mode: 2,
      serverName: 'localhost',
    });
    assert.equal(g.ok, false);
  });

  it('Go and grpc-js reject a server certificate from a different CA', async () => {
    const bad = { ...good, serverCert: other.serverCert, serverKey: other.serverKey };
    const go = await goHandshake(bad, 'localhost', 2, { client: 'go' });
    assert.equal(go.ok, false);
    assert.match(go.clientError ?? '', /x509: certificate signed by unknown authority/);
    const g = await grpcHandshake({
      ca: good.ca,
      cert: good.clientCert,
      key: good.clientKey,
      serverCert: other.serverCert,
      serverKey: other.serverKey,
      mode: 2,
      serverName: 'localhost',
    });
    assert.equal(g.ok, false);
    assert.match(g.error ?? '', /unable to verify/);
  });

  it('the Go client rejects a CN-only server certificate with the legacy Common Name error', async () => {
    const set = sets.get('P-256')!.files;
    const caCert = new x509.X509Certificate(file(set, 'ca.pem'));
    const caKey = await webcrypto.subtle.importKey(
      'pkcs8',
      createPrivateKey(file(set, 'ca.key')).export({ type: 'pkcs8', format: 'der' }),
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['sign'],
    );
    const keys = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
    const cnOnly = await x509.X509CertificateGenerator.create(
      {
        subject: 'CN=localhost',
        issuer: caCert.subjectName,
        notBefore: new Date(Date.now() - 60_000),
        notAfter: new Date(Date.now() + DAY),
        publicKey: keys.publicKey,
        signingKey: caKey,
        signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
        extensions: [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth])],
      },
      webcrypto,
    );
    const keyPem = x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
    const r = await goHandshake({ ...good, serverCert: cnOnly.toString('pem'), serverKey: keyPem }, 'localhost', 1, { client: 'go' });
    assert.equal(r.ok, false);
    assert.match(r.clientError ?? '', /x509: certificate relies on legacy Common Name field, use SANs instead/);
  });

  it('a server name outside the SANs fails in Go, Node and grpc-js', async () => {
    const [go, node] = await Promise.all([goHandshake(good, 'db.example.org', 2, { client: 'go' }), goHandshake(good, '10.9.9.9', 2)]);
    assert.equal(go.ok, false);
    assert.match(go.clientError ?? '', /certificate is valid for .*not db\.example\.org/);
    assert.equal(node.ok, false);
    assert.match(node.clientError ?? '', /ERR_TLS_CERT_ALTNAME_INVALID/);
    const g = await grpcHandshake({
      ca: good.ca,
      cert: good.clientCert,
      key: good.clientKey,
      serverCert: good.serverCert,
      serverKey: good.serverKey,
      mode: 2,
      serverName: 'db.example.org',
    });
    assert.equal(g.ok, false);
    assert.match(g.error ?? '', /altnames/);
  });

  it('the Go server refuses a key that does not match its certificate at load time', async () => {
    const r = await goHandshake({ ...good, serverKey: other.serverKey }, 'localhost', 1);
    assert.equal(r.ok, false);
    assert.match(r.serverError ?? '', /LOADERROR tls: private key does not match public key/);
  });

  it('mode 2 without a client certificate fails on the server side', async () => {
    const r = await goHandshake({ ...good, clientCert: undefined, clientKey: undefined }, 'localhost', 2, { client: 'go' });
    assert.equal(r.ok, false);
    assert.match(r.serverError ?? '', /client didn't provide a certificate/);
  });
});
