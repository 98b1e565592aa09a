/**
 * Issue 16: "Test TLS connection", through the CLI contract
 * (`node dist/cli.js probe … --format json`): every outcome against real
 * servers on 127.0.0.1, started once for this file and stopped by pid. The Go
 * crypto/tls server is configured as the Milvus proxy (mode 1 and mode 2,
 * ALPN h2, TLS 1.3); `openssl s_server -verify_return_error` for TLS 1.2 and
 * 1.3; a plaintext listener; a port nothing listens on.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { makeCa, makeLeaf, EKU, type Issued } from '../support/certs';
import { startGoServer, type GoServer } from '../support/go-tls';
import { startOpenssl, startPlaintext, closedPort, cli, type Stoppable } from '../support/probe-servers';
import { tmpWorkspace, writeFiles, composeYaml, milvusYaml } from '../support/workspace';
import { secretNeedles, assertNoSecret, type Needle } from '../support/secrets';
import type { ProbeResult } from '../../server/src/probe/types';

let dir: string;
const f = (n: string) => path.join(dir, n);
let ca: Issued;
let server: Issued;
let needles: Needle[] = [];
const servers: { name: string; s: GoServer | Stoppable }[] = [];
const port: Record<string, number> = {};

before(async () => {
  dir = tmpWorkspace('probe-');
  ca = await makeCa('Probe Test CA');
  const foreignCa = await makeCa('Foreign CA');
  server = await makeLeaf(ca, { cn: 'localhost', sans: ['localhost', '127.0.0.1'], eku: [EKU.serverAuth] });
  const client = await makeLeaf(ca, { cn: 'probe-client', sans: ['probe-client'], eku: [EKU.clientAuth] });
  const serverAuthOnly = await makeLeaf(ca, { cn: 'wrong-eku-client', sans: ['x'], eku: [EKU.serverAuth] });
  const foreignClient = await makeLeaf(foreignCa, { cn: 'foreign-client', sans: ['x'], eku: [EKU.clientAuth] });
  const expired = await makeLeaf(ca, {
    cn: 'localhost',
    sans: ['localhost', '127.0.0.1'],
    eku: [EKU.serverAuth],
    notBefore: new Date(Date.now() - 40 * 86400_000),
    notAfter: new Date(Date.now() - 5 * 86400_000),
  });
  const other = await makeLeaf(ca, { cn: 'localhost', sans: ['localhost', '127.0.0.1'], eku: [EKU.serverAuth] });
  const files: Record<string, string> = {
    'ca.pem': ca.certPem,
    'foreign-ca.pem': foreignCa.certPem,
    'server.pem': server.certPem,
    'server.key': server.keyPem,
    'client.pem': client.certPem,
    'client.key': client.keyPem,
    'eku.pem': serverAuthOnly.certPem,
    'eku.key': serverAuthOnly.keyPem,
    'foreign.pem': foreignClient.certPem,
    'foreign.key': foreignClient.keyPem,
    'expired.pem': expired.certPem,
    'expired.key': expired.keyPem,
    'other.pem': other.certPem,
  };
  writeFiles(dir, files);
  needles = ['server.key', 'client.key', 'eku.key', 'foreign.key', 'expired.key'].flatMap((k) => secretNeedles(files[k], k));
  const start = async (name: string, s: Promise<GoServer | Stoppable>) => {
    const started = await s;
    servers.push({ name, s: started });
    port[name] = started.port;
  };
  await Promise.all([
    start('go1', startGoServer({ cert: f('server.pem'), key: f('server.key'), mode: 1, alpn: ['h2'] })),
    start('go2', startGoServer({ cert: f('server.pem'), key: f('server.key'), ca: f('ca.pem'), mode: 2, alpn: ['h2'], tls13: true })),
    start('goExpired', startGoServer({ cert: f('expired.pem'), key: f('expired.key'), mode: 1, alpn: ['h2'] })),
    start('ossl12', startOpenssl({ cert: f('server.pem'), key: f('server.key'), ca: f('ca.pem'), verify: true, version: '1.2' })),
    start('ossl13', startOpenssl({ cert: f('server.pem'), key: f('server.key'), ca: f('ca.pem'), verify: true, version: '1.3' })),
    start('plain', startPlaintext()),
  ]);
  port.closed = await closedPort();
});

after(async () => {
  await Promise.all(servers.map(({ s }) => s.stop()));
  fs.rmSync(dir, { recursive: true, force: true });
});

const outputs: string[] = [];

async function probe(...args: string[]): Promise<{ status: number; r: ProbeResult; stderr: string }> {
  const out = await cli('probe', ...args, '--format', 'json', '--timeout', '8000');
  outputs.push(out.stdout + out.stderr);
  let r: ProbeResult;
  try {
    r = JSON.parse(out.stdout) as ProbeResult;
  } catch {
    throw new Error(`no JSON from probe ${args.join(' ')} (exit ${out.status}): ${out.stdout}\n${out.stderr}`);
  }
  return { status: out.status, r, stderr: out.stderr };
}

const at = (name: string) => `127.0.0.1:${port[name]}`;
const codes = (r: ProbeResult) => r.findings.map((x) => x.code);
const mutual = () => ['--cert', f('client.pem'), '--key', f('client.key')];

test('the JSON contract: ok, error, protocol, alpn, chain [{subject, issuer, notAfter, sans, sha256}], findings', async () => {
  const { status, r } = await probe(at('go1'), '--ca', f('ca.pem'), '--servername', 'localhost', '--alpn', 'h2');
  assert.equal(status, 0, JSON.stringify(r));
  for (const k of ['ok', 'error', 'protocol', 'alpn', 'chain', 'findings']) assert.ok(k in r, k);
  assert.equal(r.ok, true);
  assert.equal(r.error, null);
  assert.equal(r.protocol, 'TLSv1.3');
  assert.equal(r.alpn, 'h2');
  assert.deepEqual(Object.keys(r.chain[0]).sort(), ['issuer', 'notAfter', 'notBefore', 'sans', 'sha256', 'subject']);
  assert.equal(r.chain[0].subject, 'CN=localhost');
  assert.equal(r.chain[0].issuer, 'CN=Probe Test CA');
  assert.deepEqual(r.chain[0].sans, ['DNS:localhost', 'IP:127.0.0.1']);
  // The fingerprint is the one of the file the server loads.
  assert.equal(r.chain[0].sha256.replace(/:/g, '').toLowerCase(), Buffer.from(await server.cert.getThumbprint('SHA-256')).toString('hex'));
  assert.deepEqual(r.findings, []);
  assert.deepEqual(r.clientCertificate, { configured: false, requested: false, sent: null, accepted: null });
  assert.equal(r.target.local, true);
  assert.match(r.openssl, /^openssl s_client -connect 127\.0\.0\.1:\d+ -servername localhost .*-CAfile \S+ca\.pem .*-alpn h2/);
});

test('good mutual TLS with the Go server as the Milvus proxy in mode 2 (TLS 1.3, h2): requested, sent, accepted', async () => {
  const { status, r } = await probe(at('go2'), '--ca', f('ca.pem'), '--servername', 'localhost', '--alpn', 'h2', ...mutual());
  assert.equal(status, 0, JSON.stringify(r.findings));
  assert.equal(r.protocol, 'TLSv1.3');
  assert.equal(r.alpn, 'h2');
  assert.deepEqual(r.clientCertificate, { configured: true, requested: true, sent: true, accepted: true });
});

test('mode 2, no client certificate: TLS 1.3 post-handshake alert 116 is a failure, not a success', async () => {
  const { status, r } = await probe(at('go2'), '--ca', f('ca.pem'), '--servername', 'localhost', '--alpn', 'h2');
  assert.equal(status, 1);
  assert.equal(r.ok, false);
  assert.equal(r.protocol, 'TLSv1.3', 'the handshake itself completed');
  // certificate_required (116) since Go 1.21; older Go (Debian's 1.19) sends bad_certificate (42).
  assert.ok(r.alert && [116, 42].includes(r.alert.code), JSON.stringify(r.alert));
  assert.deepEqual(codes(r), ['probe-client-cert-required']);
  assert.match(r.error!, /requires a client certificate .*none to send/);
  assert.equal(r.clientCertificate.requested, true);
  assert.equal(r.clientCertificate.accepted, false);
});

test('mode 2, a client certificate from another CA: rejected, and the message names both issuers', async () => {
  const { status, r } = await probe(
    at('go2'),
    '--ca',
    f('ca.pem'),
    '--servername',
    'localhost',
    '--alpn',
    'h2',
    '--cert',
    f('foreign.pem'),
    '--key',
    f('foreign.key'),
  );
  assert.equal(status, 1);
  assert.deepEqual(codes(r), ['probe-client-cert-rejected']);
  assert.equal(r.alert?.code, 42);
  assert.match(r.error!, /foreign\.pem is issued by CN=Foreign CA, but the server accepts client certificates from CN=Probe Test CA only/);
  assert.deepEqual(r.clientCertificate, { configured: true, requested: true, sent: true, accepted: false });
});

test('mode 2, a client certificate with EKU serverAuth only: "client.pem has EKU serverAuth only"', async () => {
  const { status, r } = await probe(
    at('go2'),
    '--ca',
    f('ca.pem'),
    '--servername',
    'localhost',
    '--cert',
    f('eku.pem'),
    '--key',
    f('eku.key'),
  );
  assert.equal(status, 1);
  assert.deepEqual(codes(r), ['probe-client-cert-rejected']);
  assert.match(
    r.error!,
    /server rejected the client certificate \(alert 42 bad_certificate\): eku\.pem has EKU serverAuth only; a client certificate needs clientAuth/,
  );
});

test('wrong CA: the server certificate does not verify against --ca, the issuers are named', async () => {
  const { status, r } = await probe(at('go1'), '--ca', f('foreign-ca.pem'), '--servername', 'localhost');
  assert.equal(status, 1);
  assert.deepEqual(codes(r), ['probe-server-cert-untrusted']);
  assert.equal(r.verification.chain, false);
  assert.equal(r.verification.name, true);
  assert.match(r.error!, /does not verify against foreign-ca\.pem.*issued by CN=Probe Test CA; foreign-ca\.pem holds CN=Foreign CA/);
  assert.equal(r.chain[0].subject, 'CN=localhost', 'the chain is shown even when it does not verify');
});

test('wrong name: the SANs are listed and the fix named', async () => {
  const { status, r } = await probe(at('go1'), '--ca', f('ca.pem'), '--servername', 'milvus.example.com');
  assert.equal(status, 1);
  assert.deepEqual(codes(r), ['probe-name-mismatch']);
  assert.equal(r.verification.chain, true);
  assert.equal(r.verification.name, false);
  assert.match(r.error!, /not valid for "milvus\.example\.com": its SANs are DNS:localhost, IP:127\.0\.0\.1/);
  // The host name defaults to HOST, and an IP is checked against IP SANs.
  const byIp = await probe(at('go1'), '--ca', f('ca.pem'));
  assert.equal(byIp.status, 0, JSON.stringify(byIp.r.findings));
  assert.equal(byIp.r.target.serverName, '127.0.0.1');
});

test('expired server certificate', async () => {
  const { status, r } = await probe(at('goExpired'), '--ca', f('ca.pem'), '--servername', 'localhost');
  assert.equal(status, 1);
  assert.deepEqual(codes(r), ['probe-server-cert-expired']);
  assert.equal(r.verification.reason, 'CERT_HAS_EXPIRED');
  assert.match(r.error!, /expired on \d{4}-\d\d-\d\d: every client refuses it/);
});

test('openssl s_server -verify_return_error, TLS 1.2: good mutual; no client certificate; serverAuth-only client', async () => {
  const good = await probe(at('ossl12'), '--ca', f('ca.pem'), '--servername', 'localhost', ...mutual());
  assert.equal(good.status, 0, JSON.stringify(good.r.findings));
  assert.equal(good.r.protocol, 'TLSv1.2');
  assert.deepEqual(good.r.clientCertificate, { configured: true, requested: true, sent: true, accepted: true });
  const none = await probe(at('ossl12'), '--ca', f('ca.pem'), '--servername', 'localhost');
  assert.equal(none.status, 1);
  assert.deepEqual(codes(none.r), ['probe-client-cert-required']);
  assert.equal(none.r.clientCertificate.requested, true, 'seen in the plaintext CertificateRequest');
  const eku = await probe(at('ossl12'), '--ca', f('ca.pem'), '--servername', 'localhost', '--cert', f('eku.pem'), '--key', f('eku.key'));
  assert.equal(eku.status, 1);
  assert.deepEqual(codes(eku.r), ['probe-client-cert-rejected']);
  assert.match(eku.r.error!, /eku\.pem has EKU serverAuth only/);
});

test('openssl s_server -verify_return_error, TLS 1.3: good mutual; foreign-CA client rejected after the handshake', async () => {
  const good = await probe(at('ossl13'), '--ca', f('ca.pem'), '--servername', 'localhost', ...mutual());
  assert.equal(good.status, 0, JSON.stringify(good.r.findings));
  assert.equal(good.r.protocol, 'TLSv1.3');
  assert.deepEqual(good.r.clientCertificate, { configured: true, requested: true, sent: true, accepted: true });
  const foreign = await probe(
    at('ossl13'),
    '--ca',
    f('ca.pem'),
    '--servername',
    'localhost',
    '--cert',
    f('foreign.pem'),
    '--key',
    f('foreign.key'),
  );
  assert.equal(foreign.status, 1);
  assert.equal(foreign.r.protocol, 'TLSv1.3');
  assert.deepEqual(codes(foreign.r), ['probe-client-cert-rejected']);
  assert.equal(foreign.r.alert?.code, 48);
  assert.match(
    foreign.r.error!,
    /unknown_ca\): foreign\.pem is issued by CN=Foreign CA, but the server accepts client certificates from CN=Probe Test CA only/,
  );
});

test('a plaintext port: named as such, and with the config, "Milvus tlsMode is 0 in the effective config"', async () => {
  const bare = await probe(at('plain'));
  assert.equal(bare.status, 1);
  assert.deepEqual(codes(bare.r), ['probe-plaintext']);
  assert.match(bare.r.error!, /does not speak TLS: it answered our ClientHello with an HTTP\/2 SETTINGS frame/);
  const ws = path.join(dir, 'plain-ws');
  writeFiles(ws, { 'milvus.yaml': milvusYaml({ mode: 0 }).replace('port: 19530', `port: ${port.plain}`) });
  const cfg = await probe('--config', path.join(ws, 'milvus.yaml'));
  assert.equal(cfg.status, 1);
  assert.equal(cfg.r.target.port, port.plain);
  assert.match(cfg.r.error!, /The port speaks plaintext: Milvus tlsMode is 0 in the effective config \(milvus\.yaml\)/);
});

test('nothing listening: exit 2, probe-no-listener', async () => {
  const { status, r } = await probe(at('closed'), '--ca', f('ca.pem'));
  assert.equal(status, 2);
  assert.deepEqual(codes(r), ['probe-no-listener']);
  assert.match(r.error!, /Nothing listens on 127\.0\.0\.1:\d+ \(connection refused\)/);
});

test('usage errors exit 2 with a message', async () => {
  for (const args of [
    [],
    ['localhost'],
    ['localhost:99999'],
    [at('go1'), '--cert', f('client.pem')],
    [at('go1'), '--protocol', 'smtp'],
    [at('go1'), '--timeout', '5'],
  ]) {
    const r = await cli('probe', ...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stdout}`);
    assert.match(r.stderr, /tls-config: /);
  }
});

test('probe --config: a mode-2 milvus.yaml with compose ports → 127.0.0.1:hostPort, the CA and the client set beside server.pem', async () => {
  const ws = path.join(dir, 'mode2-ws');
  writeFiles(ws, {
    'docker-compose.yml': composeYaml().replace('"19530:19530"', `"\${MILVUS_PORT:-${port.go2}}:19530"`),
    'milvus.yaml': milvusYaml({ mode: 2 }),
    'tls/ca.pem': ca.certPem,
    'tls/server.pem': server.certPem,
    'tls/server.key': fs.readFileSync(f('server.key'), 'utf8'),
    'tls/client.pem': fs.readFileSync(f('client.pem'), 'utf8'),
    'tls/client.key': fs.readFileSync(f('client.key'), 'utf8'),
  });
  fs.mkdirSync(path.join(ws, 'volumes/milvus'), { recursive: true });
  const { status, r } = await probe('--config', path.join(ws, 'milvus.yaml'));
  assert.equal(status, 0, JSON.stringify(r, null, 1));
  assert.equal(r.target.port, port.go2);
  assert.equal(r.target.serverName, 'localhost');
  assert.deepEqual(r.target.alpnOffered, ['h2']);
  assert.equal(r.target.ca, path.join(ws, 'tls/ca.pem'));
  assert.equal(r.target.cert, path.join(ws, 'tls/client.pem'));
  assert.deepEqual(r.clientCertificate, { configured: true, requested: true, sent: true, accepted: true });
  assert.ok(
    r.facts?.derivation?.some((d) => d.includes(`from docker-compose.yml service standalone ports "\${MILVUS_PORT:-${port.go2}}:19530"`)),
    JSON.stringify(r.facts),
  );

  // The server.pem of the config is not the certificate the server presents: said, with fingerprints.
  fs.writeFileSync(path.join(ws, 'tls/server.pem'), fs.readFileSync(f('other.pem')));
  const stale = await probe('--config', path.join(ws, 'milvus.yaml'));
  assert.equal(stale.status, 0);
  assert.deepEqual(codes(stale.r), ['probe-server-cert-not-configured']);
  assert.match(
    stale.r.findings[0].message,
    /The certificate the server presents is not the one in tls\/server\.pem \(SHA-256 .* presented, .* in the file.*\(the container was not restarted\?\)/,
  );

  // Text output: readable, with the chain, the client verdict and the openssl command.
  const text = await cli('probe', '--config', path.join(ws, 'milvus.yaml'));
  outputs.push(text.stdout);
  assert.equal(text.status, 0);
  assert.match(text.stdout, /^OK: 127\.0\.0\.1:\d+ \(localhost\) — TLSv1\.3, TLS_\w+, ALPN h2$/m);
  assert.match(text.stdout, /client cert: asked for: yes; ours \(client\.pem\) sent: yes, accepted/);
  assert.match(text.stdout, /same test with openssl: openssl s_client .*-cert \S+client\.pem -key \S+client\.key -alpn h2/);
});

test('no private key material in any probe output', () => {
  assert.ok(outputs.length > 15);
  assertNoSecret(outputs.join('\n'), needles, 'probe output');
});

test('a port that accepts but never answers: the overall deadline ends the test (exit 1), and a cancel ends it at once', async () => {
  const { runProbe } = await import('../../server/src/probe');
  const sockets: net.Socket[] = [];
  const silent = net.createServer((s) => sockets.push(s.on('error', () => undefined)));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  const silentPort = (silent.address() as net.AddressInfo).port;
  try {
    const t0 = Date.now();
    const out = await cli('probe', `127.0.0.1:${silentPort}`, '--timeout', '600', '--format', 'json');
    const status = out.status;
    const r = JSON.parse(out.stdout) as ProbeResult;
    assert.equal(status, 1);
    assert.deepEqual(codes(r), ['probe-timeout']);
    assert.ok(Date.now() - t0 < 5000);
    const ac = new AbortController();
    const readFile = () => ({ error: 'unused' });
    const pending = runProbe({ host: '127.0.0.1', port: silentPort }, { readFile, timeoutMs: 60_000, signal: ac.signal });
    setTimeout(() => ac.abort(), 200);
    const t1 = Date.now();
    const cancelled = await pending;
    assert.ok(Date.now() - t1 < 2000, 'cancelled promptly');
    assert.deepEqual(
      cancelled.findings.map((x) => x.code),
      ['probe-cancelled'],
    );
    assert.equal(cancelled.ok, false);
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => silent.close(() => r()));
  }
});
