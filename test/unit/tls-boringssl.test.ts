/**
 * What pymilvus (gRPC C-core on BoringSSL, as PyPI wheels ship it) accepts from a Milvus proxy,
 * measured with test/support/boringssl-client (gRPC's client TLS setup from grpc/grpc
 * src/core/tsi/ssl_transport_security.cc and ssl_utils.cc, linked against Debian's BoringSSL)
 * dialing a Go crypto/tls server set up like the proxy (ALPN h2). Go's own verdict (the Go SDK,
 * Milvus itself) is measured next to it where the two part ways. One Go process serves every set.
 */
import 'reflect-metadata';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as x509 from '@peculiar/x509';
import { makeCert, type Made } from '../support/pem-fixtures';
import { boringDial } from '../support/boringssl';
import { goDial } from '../support/go-tls';
import { startGoSets, type GoSet, type GoSets } from '../support/go-tls-sets';
import { tmpWorkspace, writeFiles, serviceFor, docOf, composeYaml, milvusYaml } from '../support/workspace';

const KU = x509.KeyUsageFlags;
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const ANY_EKU = '2.5.29.37.0';
const LEAF_KU = KU.digitalSignature | KU.keyEncipherment;
const CA_KU = KU.keyCertSign | KU.cRLSign;
const LOCAL = [
  { type: 'dns' as const, value: 'localhost' },
  { type: 'ip' as const, value: '127.0.0.1' },
];
const RSA = (bits: number) => ({
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: bits,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
});

interface Case {
  ca: Made;
  leaf: Made;
  /** The CA file clients are given (default: the CA's certificate). */
  caPem?: string;
  /** Certificates sent after the leaf. */
  chain?: string;
  set?: Partial<GoSet>;
}

const cases: Record<string, Case> = {};
let servers: GoSets;
let dir: string;
const index = new Map<string, number>();

async function leafOf(ca: Made, o: Parameters<typeof makeCert>[0] = {}): Promise<Made> {
  return makeCert({ cn: 'localhost', issuer: ca, keyUsage: LEAF_KU, eku: [SERVER_AUTH], sans: LOCAL, ...o });
}

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tls-boring-'));
  const ca = await makeCert({ cn: 'BoringSSL Test CA', ca: true, keyUsage: CA_KU });
  const otherCa = await makeCert({ cn: 'Unrelated CA', ca: true, keyUsage: CA_KU });
  const rsaCa = await makeCert({ cn: 'RSA CA', ca: true, keyUsage: CA_KU, keyAlg: RSA(2048) });
  const tightRoot = await makeCert({ cn: 'Root pathlen 0', ca: true, keyUsage: CA_KU, pathLen: 0 });
  const underTight = await makeCert({ cn: 'Intermediate under pathlen 0', ca: true, keyUsage: CA_KU, issuer: tightRoot });
  const clientOnlyCa = await makeCert({ cn: 'CA with EKU clientAuth', ca: true, keyUsage: CA_KU, eku: [CLIENT_AUTH] });
  const interClientOnly = await makeCert({
    cn: 'Intermediate with EKU clientAuth',
    ca: true,
    keyUsage: CA_KU,
    eku: [CLIENT_AUTH],
    issuer: ca,
  });
  const interSha1 = await makeCert({
    cn: 'Intermediate signed with SHA-1',
    ca: true,
    keyUsage: CA_KU,
    issuer: ca,
    signAlg: { name: 'ECDSA', hash: 'SHA-1' },
  });
  const rootCaFalse = await makeCert({ cn: 'Root with CA:FALSE', keyUsage: CA_KU });
  const rootNoBc = await makeCert({ cn: 'Root without basicConstraints', ca: true, noBasicConstraints: true, keyUsage: CA_KU });
  const interNoBc = await makeCert({
    cn: 'Intermediate without basicConstraints',
    ca: true,
    noBasicConstraints: true,
    keyUsage: CA_KU,
    issuer: ca,
  });
  const rootNoCertSign = await makeCert({ cn: 'Root without keyCertSign', ca: true, keyUsage: KU.digitalSignature | KU.cRLSign });
  const client = await makeCert({ cn: 'client', issuer: ca, keyUsage: KU.digitalSignature, eku: [CLIENT_AUTH] });
  const strangerClient = await makeCert({ cn: 'client', issuer: otherCa, keyUsage: KU.digitalSignature, eku: [CLIENT_AUTH] });
  Object.assign(cases, {
    good: { ca, leaf: await leafOf(ca) },
    ecNoDigitalSignature: { ca, leaf: await leafOf(ca, { keyUsage: KU.keyEncipherment }) },
    rsaNoDigitalSignature: { ca: rsaCa, leaf: await leafOf(rsaCa, { keyAlg: RSA(2048), keyUsage: KU.keyEncipherment }) },
    rsa1024: { ca: rsaCa, leaf: await leafOf(rsaCa, { keyAlg: RSA(1024) }) },
    anyEkuOnly: { ca, leaf: await leafOf(ca, { eku: [ANY_EKU] }) },
    p521: { ca, leaf: await leafOf(ca, { keyAlg: { name: 'ECDSA', namedCurve: 'P-521', hash: 'SHA-256' } }) },
    ed25519: { ca, leaf: await leafOf(ca, { keyAlg: { name: 'Ed25519' } }) },
    cnOnly: { ca, leaf: await leafOf(ca, { sans: undefined }) },
    ipSanOnlyCnLocalhost: { ca, leaf: await leafOf(ca, { sans: [{ type: 'ip', value: '127.0.0.1' }] }) },
    wildcard: { ca, leaf: await leafOf(ca, { sans: [{ type: 'dns', value: '*.example.com' }] }) },
    singleLabelWildcard: { ca, leaf: await leafOf(ca, { sans: [{ type: 'dns', value: '*.example' }] }) },
    sha1: { ca, leaf: await leafOf(ca, { signAlg: { name: 'ECDSA', hash: 'SHA-1' } }) },
    pathLen: { ca: tightRoot, caPem: tightRoot.certPem, leaf: await leafOf(underTight), chain: underTight.certPem },
    caEkuClientOnly: { ca: clientOnlyCa, leaf: await leafOf(clientOnlyCa) },
    intermediateEkuClientOnly: { ca, leaf: await leafOf(interClientOnly), chain: interClientOnly.certPem },
    intermediateSha1: { ca, leaf: await leafOf(interSha1, { signAlg: { name: 'ECDSA', hash: 'SHA-256' } }), chain: interSha1.certPem },
    rootCaFalse: { ca: rootCaFalse, leaf: await leafOf(rootCaFalse) },
    rootNoBasicConstraints: { ca: rootNoBc, leaf: await leafOf(rootNoBc) },
    intermediateNoBasicConstraints: { ca, leaf: await leafOf(interNoBc), chain: interNoBc.certPem },
    rootNoKeyCertSign: { ca: rootNoCertSign, leaf: await leafOf(rootNoCertSign) },
    bomRoot: { ca, caPem: `\ufeff${ca.certPem}`, leaf: await leafOf(ca) },
    leafPinned: { ca, caPem: '', leaf: await leafOf(ca) },
    noAlpn: { ca, leaf: await leafOf(ca), set: { alpn: [] } },
    mtlsGood: { ca, leaf: await leafOf(ca), set: { mode: 2, ca: ca.certPem } },
    mtlsStranger: { ca, leaf: await leafOf(ca), set: { mode: 2, ca: ca.certPem } },
  } satisfies Record<string, Case>);
  cases.leafPinned.caPem = cases.leafPinned.leaf.certPem;
  Object.assign(cases.mtlsGood, { client });
  Object.assign(cases.mtlsStranger, { client: strangerClient });
  const names = Object.keys(cases);
  names.forEach((n, i) => index.set(n, i));
  servers = await startGoSets(
    names.map((n) => {
      const c = cases[n];
      return { cert: c.leaf.certPem + (c.chain ?? ''), key: c.leaf.keyPem, alpn: ['h2'], ...c.set };
    }),
  );
});

after(async () => {
  await servers?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function caOf(name: string): string {
  return cases[name].caPem ?? cases[name].ca.certPem;
}

/** gRPC C-core on BoringSSL, target name `serverName`, root_certificates = the case's CA file. */
function boring(name: string, serverName = 'localhost') {
  const client = (cases[name] as Case & { client?: Made }).client;
  return boringDial({ port: servers.port(index.get(name)!), serverName, ca: caOf(name), cert: client?.certPem, key: client?.keyPem });
}

/** Go's crypto/tls client (the Go SDK) with the same CA file. */
function go(name: string, serverName = 'localhost') {
  const f = path.join(dir, `${name}-ca.pem`);
  writeFileSync(f, caOf(name));
  return goDial({ port: servers.port(index.get(name)!), serverName, ca: f });
}

test('a well-formed P-256 server certificate with ALPN h2 is accepted, by name and by IP', async () => {
  assert.deepEqual(await boring('good'), { ok: true });
  assert.deepEqual(await boring('good', '127.0.0.1'), { ok: true });
});

test('a P-256 server certificate whose keyUsage lacks digitalSignature is refused (KEY_USAGE_BIT_INCORRECT); Go accepts it', async () => {
  const r = await boring('ecNoDigitalSignature');
  assert.equal(r.ok, false);
  assert.match(r.error!, /KEY_USAGE_BIT_INCORRECT/);
  assert.equal((await go('ecNoDigitalSignature')).ok, true);
});

test('an RSA server certificate with keyEncipherment but no digitalSignature is refused too: TLS 1.3 signs with every key type', async () => {
  const r = await boring('rsaNoDigitalSignature');
  assert.equal(r.ok, false);
  assert.match(r.error!, /KEY_USAGE_BIT_INCORRECT/);
});

test('a 1024-bit RSA server key is accepted by BoringSSL', async () => {
  assert.deepEqual(await boring('rsa1024'), { ok: true });
});

test('a server certificate whose only EKU is anyExtendedKeyUsage is refused ("unsupported certificate purpose"); Go accepts it', async () => {
  const r = await boring('anyEkuOnly');
  assert.equal(r.ok, false);
  assert.match(r.error!, /CERTIFICATE_VERIFY_FAILED: unsupported certificate purpose/);
  assert.equal((await go('anyEkuOnly')).ok, true);
});

test('P-521 and Ed25519 server keys fail the handshake: the gRPC client offers no signature scheme for them; Go accepts both', async () => {
  for (const name of ['p521', 'ed25519']) {
    const r = await boring(name);
    assert.equal(r.ok, false, name);
    assert.match(r.error!, /HANDSHAKE_FAILURE/, name);
    assert.equal((await go(name)).ok, true, name);
  }
});

test("a CN-only certificate passes gRPC's name check (it falls back to the CN) but Go refuses it", async () => {
  assert.deepEqual(await boring('cnOnly'), { ok: true });
  const g = await go('cnOnly');
  assert.equal(g.ok, false);
  assert.match(g.error!, /legacy Common Name field/);
});

test('the CN counts only when the certificate has no SAN at all: an IP SAN hides CN=localhost', async () => {
  const r = await boring('ipSanOnlyCnLocalhost');
  assert.equal(r.ok, false);
  assert.equal(r.error, 'Peer name localhost is not in peer certificate');
  assert.deepEqual(await boring('ipSanOnlyCnLocalhost', '127.0.0.1'), { ok: true });
});

test('a wildcard SAN covers exactly one label, and never a name with a single label after the star', async () => {
  assert.deepEqual(await boring('wildcard', 'milvus.example.com'), { ok: true });
  assert.equal((await boring('wildcard', 'a.milvus.example.com')).ok, false);
  assert.equal((await boring('wildcard', 'example.com')).ok, false);
  // gRPC's does_entry_match_name: "Invalid toplevel subdomain" for *.example.
  const r = await boring('singleLabelWildcard', 'milvus.example');
  assert.equal(r.error, 'Peer name milvus.example is not in peer certificate');
});

test('a SHA-1 signed server certificate is accepted by BoringSSL; Go refuses it', async () => {
  assert.deepEqual(await boring('sha1'), { ok: true });
  const g = await go('sha1');
  assert.equal(g.ok, false);
  assert.match(g.error!, /insecure algorithm/);
});

test('an intermediate signed with SHA-1 is accepted by BoringSSL too; Go refuses it', async () => {
  assert.deepEqual(await boring('intermediateSha1'), { ok: true });
  const g = await go('intermediateSha1');
  assert.equal(g.ok, false);
  assert.match(g.error!, /insecure algorithm/);
});

test("a chain longer than the root's pathLenConstraint allows is accepted by BoringSSL (it checks no trusted certificate); Go refuses it", async () => {
  assert.deepEqual(await boring('pathLen'), { ok: true });
  const g = await go('pathLen');
  assert.equal(g.ok, false);
  assert.match(g.error!, /too many intermediates for path length constraint/);
});

test('a root CA whose EKU is clientAuth only can issue a server certificate for BoringSSL; Go refuses the chain', async () => {
  assert.deepEqual(await boring('caEkuClientOnly'), { ok: true });
  const g = await go('caEkuClientOnly');
  assert.equal(g.ok, false);
  assert.match(g.error!, /incompatible key usage/);
});

test('an intermediate the server sends is checked, unlike the root: EKU clientAuth only on it refuses the chain', async () => {
  // BoringSSL's check_chain_extensions checks CA-ness, purpose (EKU) and pathLen on untrusted certificates only.
  const r = await boring('intermediateEkuClientOnly');
  assert.equal(r.ok, false);
  assert.match(r.error!, /CERTIFICATE_VERIFY_FAILED: unsupported certificate purpose/);
});

test('a v3 root without basicConstraints (or with CA:FALSE) is accepted as the root BoringSSL is given (Go refuses); an intermediate without it is refused', async () => {
  assert.deepEqual(await boring('rootNoBasicConstraints'), { ok: true });
  const g = await go('rootNoBasicConstraints');
  assert.equal(g.ok, false);
  assert.match(g.error!, /parent certificate cannot sign this kind of certificate/);
  assert.deepEqual(await boring('rootCaFalse'), { ok: true });
  assert.equal((await go('rootCaFalse')).ok, false);
  const r = await boring('intermediateNoBasicConstraints');
  assert.equal(r.ok, false);
  assert.match(r.error!, /CERTIFICATE_VERIFY_FAILED: invalid CA certificate/);
});

test('a root whose keyUsage lacks keyCertSign cannot issue the server certificate, for BoringSSL ("unable to get local issuer certificate") nor for Go', async () => {
  const r = await boring('rootNoKeyCertSign');
  assert.equal(r.ok, false);
  assert.match(r.error!, /CERTIFICATE_VERIFY_FAILED: unable to get local issuer certificate/);
  const g = await go('rootNoKeyCertSign');
  assert.equal(g.ok, false);
  assert.match(g.error!, /parent certificate cannot sign this kind of certificate/);
});

test('a UTF-8 BOM before the only certificate of the root file hides it: gRPC loads no root', async () => {
  assert.deepEqual(await boring('bomRoot'), { ok: false, error: 'Could not load any root certificate.' });
});

test('the server certificate itself as the only root is accepted: gRPC sets X509_V_FLAG_PARTIAL_CHAIN', async () => {
  assert.deepEqual(await boring('leafPinned'), { ok: true });
  assert.equal((await go('leafPinned')).ok, true);
});

test('a server that negotiates no ALPN is refused after the handshake ("missing selected ALPN property")', async () => {
  assert.deepEqual(await boring('noAlpn'), { ok: false, error: 'Cannot check peer: missing selected ALPN property.' });
});

test('mutual TLS: a client certificate from the server CA is accepted; one from another CA fails when the client reads', async () => {
  assert.deepEqual(await boring('mtlsGood'), { ok: true });
  const r = await boring('mtlsStranger');
  assert.equal(r.ok, false);
  assert.match(r.error!, /^after the handshake: .*(BAD_CERTIFICATE|UNKNOWN_CA)/);
});

/** Our errors on milvus.yaml (one-way TLS, caPemPath set) for a case's files. */
function checkerErrors(name: string): { code: string; message: string }[] {
  const c = cases[name];
  const root = tmpWorkspace('boring-check-');
  try {
    writeFiles(root, {
      'docker-compose.yml': composeYaml(),
      'milvus.yaml': milvusYaml({ mode: 1 }),
      'tls/ca.pem': caOf(name),
      'tls/server.pem': c.leaf.certPem + (c.chain ?? ''),
      'tls/server.key': c.leaf.keyPem,
    });
    return serviceFor(root)
      .validate(docOf(root, 'milvus.yaml'))
      .filter((d) => d.severity === 1)
      .map((d) => ({ code: String(d.code), message: String(d.message) }));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

test('where Go refuses the path and BoringSSL accepts it, our error says pymilvus accepts it, and why', async () => {
  for (const [name, why] of [
    ['sha1', /pymilvus \(gRPC on BoringSSL\) accepts it: BoringSSL accepts SHA-1 signatures/],
    ['intermediateSha1', /pymilvus \(gRPC on BoringSSL\) accepts it: BoringSSL accepts SHA-1 signatures/],
    ['pathLen', /pymilvus \(gRPC on BoringSSL\) accepts it: BoringSSL does not check pathLenConstraint on CN=Root pathlen 0/],
    ['caEkuClientOnly', /pymilvus \(gRPC on BoringSSL\) accepts it: BoringSSL does not check the extended key usage/],
    ['rootNoBasicConstraints', /pymilvus \(gRPC on BoringSSL\) accepts it: BoringSSL does not check basicConstraints/],
  ] as const) {
    assert.deepEqual(await boring(name), { ok: true }, name);
    const errors = checkerErrors(name);
    const chain = errors.find((e) => e.code === 'tls-chain-invalid');
    assert.ok(chain, `${name}: ${errors.map((e) => e.code).join(', ')}`);
    assert.match(chain.message, why, name);
    assert.match(chain.message, /Go clients given caPemPath \(the Go SDK, milvus-backup\) cannot verify the server/, name);
  }
});

test('where BoringSSL refuses the path too, our error does not say pymilvus accepts it', async () => {
  for (const name of ['intermediateEkuClientOnly', 'intermediateNoBasicConstraints', 'rootNoKeyCertSign']) {
    assert.equal((await boring(name)).ok, false, name);
    const errors = checkerErrors(name);
    assert.ok(errors.length > 0, name);
    for (const e of errors) assert.doesNotMatch(e.message, /accepts it: BoringSSL/, name);
  }
});
