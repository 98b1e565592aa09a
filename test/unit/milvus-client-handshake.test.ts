/**
 * The client-side rules against real handshakes. One Go crypto/tls server per file, configured as
 * the Milvus proxy in tlsMode 2 (RequireAndVerifyClientCert with tls.caPemPath, TLS 1.3, ALPN h2 —
 * milvus-io/milvus internal/distributed/proxy/listener_manager.go), loads the very files of the
 * workspace we check. The clients dial it as the real ones do: Node's TLS and @grpc/grpc-js
 * (OpenSSL, the stand-in for pymilvus' gRPC core) with the files pymilvus would hand gRPC, and the
 * real curl binary with the script's options. Each expectation is the real stacks' verdict, and
 * our finding must agree with it.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { makeCa, makeLeaf, EKU, type Issued } from '../support/certs';
import { startGoServer, nodeDial, type GoServer } from '../support/go-tls';
import { grpcHandshake } from '../support/grpc-handshake';
import { tmpWorkspace, writeFiles, serviceFor, docOf, composeYaml, milvusYaml } from '../support/workspace';

let root: string;
let server: GoServer;
let plain: http.Server;
let plainPort: number;
let files: Record<string, string>;

before(async () => {
  const ca = await makeCa('Milvus Test CA');
  const otherCa = await makeCa('Other CA');
  const srv = await makeLeaf(ca, { cn: 'localhost', sans: ['localhost', '127.0.0.1'], eku: [EKU.serverAuth] });
  const client = await makeLeaf(ca, { cn: 'milvus-client', sans: ['milvus-client'], eku: [EKU.clientAuth] });
  const serverOnly = await makeLeaf(ca, { cn: 'server-only', sans: ['server-only'], eku: [EKU.serverAuth] });
  const foreign: Issued = await makeLeaf(otherCa, { cn: 'foreign', sans: ['foreign'], eku: [EKU.clientAuth] });
  files = {
    'tls/ca.pem': ca.certPem,
    'tls/server.pem': srv.certPem,
    'tls/server.key': srv.keyPem,
    'tls/client.pem': client.certPem,
    'tls/client.key': client.keyPem,
    'tls/server-only.pem': serverOnly.certPem,
    'tls/server-only.key': serverOnly.keyPem,
    'tls/foreign.pem': foreign.certPem,
    'tls/foreign.key': foreign.keyPem,
  };
  root = tmpWorkspace('client-hs-');
  writeFiles(root, { 'docker-compose.yml': composeYaml(), 'milvus.yaml': milvusYaml({ mode: 2 }), ...files });
  fs.mkdirSync(path.join(root, 'volumes/milvus'), { recursive: true });
  server = await startGoServer({
    cert: path.join(root, 'tls/server.pem'),
    key: path.join(root, 'tls/server.key'),
    ca: path.join(root, 'tls/ca.pem'),
    mode: 2,
    alpn: ['h2', 'http/1.1'],
    tls13: true,
  });
  plain = http.createServer((_q, r) => r.end('{}'));
  plainPort = await new Promise<number>((resolve) =>
    plain.listen(0, '127.0.0.1', () => resolve((plain.address() as { port: number }).port)),
  );
});

after(async () => {
  await server?.stop();
  plain?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

const pem = (rel: string) => files[rel];

/** Our codes for a script in the workspace. */
function codes(rel: string, text: string): string[] {
  writeFiles(root, { [rel]: text });
  return serviceFor(root)
    .validate(docOf(root, rel))
    .map((d) => String(d.code));
}

/** Node's TLS client (OpenSSL) with what pymilvus hands gRPC, then the Go server's verdict on that connection. */
async function dial(o: { serverName: string; ca: string; cert?: string; key?: string }) {
  const client = await nodeDial({
    port: server.port,
    serverName: o.serverName,
    ca: pem(o.ca),
    cert: o.cert && pem(o.cert),
    key: o.key && pem(o.key),
  });
  const verdict = await server.result(client.ok ? 15_000 : 3_000);
  return { client, verdict };
}

function curl(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) =>
    execFile('curl', ['-sS', '--max-time', '5', ...args], { cwd: root, timeout: 10_000 }, (err, _out, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stderr: String(stderr) }),
    ),
  );
}

/** The URL as the script writes it, dialed at the Go server (the name and port stay what the script says). */
const toServer = (host: string) => ['--connect-to', `${host}:19530:127.0.0.1:${String(server.port)}`];

const mtls = (serverName: string) =>
  `from pymilvus import MilvusClient\nclient = MilvusClient(uri="https://localhost:19530", client_pem_path="tls/client.pem", client_key_path="tls/client.key", ca_pem_path="tls/ca.pem", server_name="${serverName}")\n`;

test('a server_name in the SANs passes the real handshake and gets no finding', async () => {
  assert.deepEqual(codes('ok.py', mtls('localhost')), []);
  const { client, verdict } = await dial({ serverName: 'localhost', ca: 'tls/ca.pem', cert: 'tls/client.pem', key: 'tls/client.key' });
  assert.ok(client.ok, client.error);
  assert.ok(verdict.ok && verdict.peer?.includes('milvus-client'), verdict.error);
});

test('a server_name outside the SANs fails the real handshake and is an error on server_name', async () => {
  assert.ok(codes('name.py', mtls('milvus.local')).includes('milvus-client-name-not-in-san'));
  const { client } = await dial({ serverName: 'milvus.local', ca: 'tls/ca.pem', cert: 'tls/client.pem', key: 'tls/client.key' });
  assert.equal(client.ok, false);
  assert.match(client.error ?? '', /ERR_TLS_CERT_ALTNAME_INVALID|does not match certificate's altnames/);
  // gRPC with grpc.ssl_target_name_override, as pymilvus sets it (grpc-js: its own server, same files).
  const grpcWith = (serverName: string) =>
    grpcHandshake({
      ca: pem('tls/ca.pem'),
      cert: pem('tls/client.pem'),
      key: pem('tls/client.key'),
      serverCert: pem('tls/server.pem'),
      serverKey: pem('tls/server.key'),
      mode: 2,
      serverName,
    });
  const bad = await grpcWith('milvus.local');
  assert.equal(bad.ok, false);
  assert.match(bad.error ?? '', /altnames|Hostname\/IP/);
  assert.deepEqual(await grpcWith('localhost'), { ok: true });
});

test('server_pem_path beside the client files sends no client certificate: Go refuses, and we say so', async () => {
  const found = codes(
    'drop.py',
    'from pymilvus import MilvusClient\nc = MilvusClient(uri="https://localhost:19530", server_pem_path="tls/ca.pem", client_pem_path="tls/client.pem", client_key_path="tls/client.key", server_name="localhost")\n',
  );
  assert.ok(found.includes('milvus-client-server-pem-drops-client-cert'));
  assert.ok(found.includes('milvus-client-no-client-cert'));
  // What pymilvus hands gRPC then: the root only.
  const { client, verdict } = await dial({ serverName: 'localhost', ca: 'tls/ca.pem' });
  assert.equal(client.ok, false);
  assert.equal(verdict.ok, false);
  assert.match(verdict.error ?? '', /client didn't provide a certificate/);
});

test("the server's own certificate as server_pem_path is not a root OpenSSL accepts", async () => {
  const found = codes(
    'pin.py',
    'from pymilvus import MilvusClient\nc = MilvusClient(uri="https://localhost:19530", server_pem_path="tls/server.pem", server_name="localhost")\n',
  );
  assert.ok(found.includes('milvus-client-untrusted-server'));
  const { client } = await dial({ serverName: 'localhost', ca: 'tls/server.pem', cert: 'tls/client.pem', key: 'tls/client.key' });
  assert.equal(client.ok, false);
  assert.match(client.error ?? '', /UNABLE_TO_VERIFY_LEAF_SIGNATURE|unable to (verify the first certificate|get local issuer)/);
});

test('a client certificate without clientAuth, or from another CA, is refused by the Go server and flagged', async () => {
  for (const [name, goError] of [
    ['server-only', /incompatible key usage/],
    ['foreign', /unknown authority/],
  ] as const) {
    const text = `from pymilvus import MilvusClient\nc = MilvusClient(uri="https://localhost:19530", client_pem_path="tls/${name}.pem", client_key_path="tls/${name}.key", ca_pem_path="tls/ca.pem")\n`;
    assert.ok(codes(`${name}.py`, text).includes('milvus-client-cert-rejected'), name);
    const { verdict } = await dial({ serverName: 'localhost', ca: 'tls/ca.pem', cert: `tls/${name}.pem`, key: `tls/${name}.key` });
    assert.equal(verdict.ok, false, name);
    assert.match(verdict.error ?? '', goError);
  }
});

test('curl with the mutual set passes; without --cert the Go server refuses it, and we say so', async () => {
  const good = 'curl --cacert tls/ca.pem --cert tls/client.pem --key tls/client.key https://localhost:19530/v2/vectordb/collections/list\n';
  assert.deepEqual(codes('good.sh', good), []);
  const ok = await curl([
    ...toServer('localhost'),
    '--cacert',
    'tls/ca.pem',
    '--cert',
    'tls/client.pem',
    '--key',
    'tls/client.key',
    'https://localhost:19530/v2/vectordb/collections/list',
  ]);
  // The handshake succeeded (the test server then speaks no HTTP, so curl still exits non-zero, but not with a TLS error).
  assert.ok(![35, 56, 58, 60].includes(ok.code), ok.stderr);
  assert.equal((await server.result()).ok, true);

  assert.ok(
    codes('nocert.sh', 'curl --cacert tls/ca.pem https://localhost:19530/v2/vectordb/collections/list\n').includes(
      'milvus-client-no-client-cert',
    ),
  );
  const refused = await curl([...toServer('localhost'), '--cacert', 'tls/ca.pem', 'https://localhost:19530/v2/vectordb/collections/list']);
  assert.notEqual(refused.code, 0);
  const verdict = await server.result(3000);
  assert.match(verdict.error ?? '', /client didn't provide a certificate/);
});

test('curl dialing a host outside the SANs fails with exit 60, and the URL host is flagged', async () => {
  const text =
    'curl --cacert tls/ca.pem --cert tls/client.pem --key tls/client.key https://standalone:19530/v2/vectordb/collections/list\n';
  assert.ok(codes('host.sh', text).includes('milvus-client-name-not-in-san'));
  const r = await curl([
    ...toServer('standalone'),
    '--cacert',
    'tls/ca.pem',
    '--cert',
    'tls/client.pem',
    '--key',
    'tls/client.key',
    'https://standalone:19530/v2/vectordb/collections/list',
  ]);
  assert.equal(r.code, 60, r.stderr);
  assert.match(r.stderr, /no alternative certificate subject name matches/);
  await server.result(3000);
});

test('http:// against the TLS port: Go drops it, curl gets an empty reply, and we flag the URL', async () => {
  assert.deepEqual(codes('plain.sh', 'curl http://localhost:19530/v2/vectordb/collections/list\n'), ['milvus-client-plaintext-to-tls']);
  const r = await curl([...toServer('localhost'), 'http://localhost:19530/v2/vectordb/collections/list']);
  assert.equal(r.code, 52, r.stderr);
  assert.match((await server.result(3000)).error ?? '', /first record does not look like a TLS handshake/);
});

test('https:// against a plaintext port fails with "wrong version number" (curl, OpenSSL)', async () => {
  const r = await curl(['--cacert', 'tls/ca.pem', `https://127.0.0.1:${plainPort}/v2/vectordb/collections/list`]);
  assert.equal(r.code, 35, r.stderr);
  assert.match(r.stderr, /wrong version number/i);
  // The same script against a workspace Milvus with tlsMode 0 is an error.
  const zero = tmpWorkspace('client-hs0-');
  try {
    writeFiles(zero, {
      'docker-compose.yml': composeYaml(),
      'milvus.yaml': milvusYaml({ mode: 0 }),
      ...files,
      's.sh': 'curl --cacert tls/ca.pem https://localhost:19530/v2/vectordb/collections/list\n',
    });
    const found = serviceFor(zero).validate(docOf(zero, 's.sh'));
    assert.deepEqual(
      found.map((x) => x.code),
      ['milvus-client-tls-to-plaintext'],
    );
  } finally {
    fs.rmSync(zero, { recursive: true, force: true });
  }
});
