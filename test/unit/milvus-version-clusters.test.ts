/**
 * The Milvus version when the image has no tag (setting tlsConfig.milvus.version), and the client
 * side of tls.clusters (2.6, CDC outbound mutual TLS): the client certificate and key belong
 * together, the certificate allows clientAuth (the peer's Go server verifies with
 * ExtKeyUsageClientAuth: crypto/tls handshake_server.go processCertsFromClient) and chains to the
 * entry's caPemPath. The EKU rule is checked against a real Go server below.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeCa, makeLeaf, EKU, type Issued } from '../support/certs';
import { tmpWorkspace, writeFiles, docOf } from '../support/workspace';
import { startGoServer, nodeDial, type GoServer } from '../support/go-tls';
import { LanguageService, Workspace } from '../../server/src/service';
import { DEFAULT_SETTINGS, type Settings } from '../../server/src/service/types';

let ca: Issued;
let other: Issued;
let server: Issued;
let client: Issued;
let serverOnly: Issued;
let foreign: Issued;
const roots: string[] = [];

before(async () => {
  [ca, other] = await Promise.all([makeCa('Cluster CA'), makeCa('Other CA')]);
  [server, client, serverOnly, foreign] = await Promise.all([
    makeLeaf(ca, { eku: [EKU.serverAuth] }),
    makeLeaf(ca, { cn: 'cdc', sans: ['cdc'], eku: [EKU.clientAuth] }),
    makeLeaf(ca, { cn: 'server-only', sans: ['server-only'], eku: [EKU.serverAuth] }),
    makeLeaf(other, { cn: 'foreign', sans: ['foreign'], eku: [EKU.clientAuth] }),
  ]);
});

after(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

function compose(image: string): string {
  return `services:\n  standalone:\n    image: ${image}\n    volumes:\n      - ./tls:/milvus/tls:ro\n      - ./milvus.yaml:/milvus/configs/milvus.yaml:ro\n`;
}

function workspace(image: string, milvus: string): string {
  const root = tmpWorkspace('milvus-ver-');
  roots.push(root);
  writeFiles(root, {
    'docker-compose.yml': compose(image),
    'milvus.yaml': milvus,
    'tls/ca.pem': ca.certPem,
    'tls/client.pem': client.certPem,
    'tls/client.key': client.keyPem,
    'tls/server-only.pem': serverOnly.certPem,
    'tls/server-only.key': serverOnly.keyPem,
    'tls/foreign.pem': foreign.certPem,
    'tls/foreign.key': foreign.keyPem,
  });
  return root;
}

function validate(root: string, settings: Partial<Settings> = {}) {
  return new LanguageService(new Workspace([root], { ...DEFAULT_SETTINGS, ...settings }), {}).validate(docOf(root, 'milvus.yaml'));
}

const cluster = (cert: string, key: string) =>
  `common:\n  security:\n    tlsMode: 0\ntls:\n  clusters:\n    by-dev:\n      caPemPath: /milvus/tls/ca.pem\n      clientPemPath: /milvus/tls/${cert}\n      clientKeyPath: /milvus/tls/${key}\n`;

test('without a version tag the setting tlsConfig.milvus.version decides the version rules; with neither, none apply', () => {
  const root = workspace('milvusdb/milvus:latest', cluster('client.pem', 'client.key'));
  assert.deepEqual(
    validate(root).map((d) => d.code),
    [],
  );
  const old = validate(root, { milvusVersion: '2.5' });
  assert.deepEqual(
    old.map((d) => d.code),
    ['milvus-version-rule'],
  );
  assert.match(String(old[0].message), /milvusdb\/milvus:latest has no version tag and tlsConfig\.milvus\.version is 2\.5/);
  assert.deepEqual(
    validate(root, { milvusVersion: 'v2.6.1' }).map((d) => d.code),
    [],
  );
  // A tag wins over the setting.
  writeFiles(root, { 'docker-compose.yml': compose('milvusdb/milvus:v2.4.0') });
  assert.match(String(validate(root, { milvusVersion: '2.6' })[0].message), /the image milvusdb\/milvus:v2\.4\.0 is 2\.4\.0/);
});

test('a tls.clusters client certificate without clientAuth is an error on clientPemPath; one from another CA a warning', () => {
  const noAuth = validate(workspace('milvusdb/milvus:v2.6.0', cluster('server-only.pem', 'server-only.key')));
  assert.deepEqual(
    noAuth.map((d) => [d.code, d.severity, d.range.start.line]),
    [['milvus-cluster-client-cert', 1, 7]],
  );
  assert.match(String(noAuth[0].message), /without clientAuth/);
  const foreignCa = validate(workspace('milvusdb/milvus:v2.6.0', cluster('foreign.pem', 'foreign.key')));
  assert.deepEqual(
    foreignCa.map((d) => [d.code, d.severity]),
    [['milvus-cluster-client-cert', 2]],
  );
  assert.match(String(foreignCa[0].message), /not issued by caPemPath/);
});

test('a tls.clusters key that is not the certificate key is an error on clientKeyPath', () => {
  const ds = validate(workspace('milvusdb/milvus:v2.6.0', cluster('client.pem', 'foreign.key')));
  assert.deepEqual(
    ds.map((d) => [d.code, d.range.start.line]),
    [['tls-key-mismatch', 8]],
  );
});

test('a Go server verifying clients as the peer cluster does refuses exactly the certificate we flag', async () => {
  const dir = tmpWorkspace('cluster-go-');
  roots.push(dir);
  writeFiles(dir, { 'ca.pem': ca.certPem, 'server.pem': server.certPem, 'server.key': server.keyPem });
  let go: GoServer | undefined;
  try {
    go = await startGoServer({
      cert: path.join(dir, 'server.pem'),
      key: path.join(dir, 'server.key'),
      ca: path.join(dir, 'ca.pem'),
      mode: 2,
      tls13: true,
    });
    for (const [leaf, accepted] of [
      [client, true],
      [serverOnly, false],
    ] as const) {
      const c = await nodeDial({ port: go.port, serverName: 'localhost', ca: ca.certPem, cert: leaf.certPem, key: leaf.keyPem });
      const verdict = await go.result(c.ok ? 15_000 : 3_000);
      assert.equal(verdict.ok, accepted, verdict.error);
      if (!accepted) assert.match(verdict.error ?? '', /incompatible key usage/);
    }
  } finally {
    await go?.stop();
  }
});
