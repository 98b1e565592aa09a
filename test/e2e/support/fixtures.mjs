// Builds the scratch workspace the end-to-end tests open: several small Milvus
// projects side by side (one folder each) plus loose PEM files. Certificates come
// from the extension's own CLI (dist/cli.js), openssl (CN-only cert) and
// @peculiar/x509 (expired cert), so nothing binary is checked in.
// Standalone use: node test/e2e/support/fixtures.mjs <dir>
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const require = createRequire(path.join(ROOT, 'package.json'));

/** milvus.yaml of a correct mutual-TLS (tlsMode 2) setup; line numbers are asserted by the tests. */
export const MILVUS_YAML = [
  '# Milvus configuration (TLS part)', //            1
  'tls:', //                                           2
  '  serverPemPath: /milvus/tls/server.pem', //        3
  '  serverKeyPath: /milvus/tls/server.key', //        4
  '  caPemPath: /milvus/tls/ca.pem', //                5
  'common:', //                                        6
  '  security:', //                                    7
  '    tlsMode: 2', //                                 8
  'proxy.http.port: 8080', // Milvus 2.6 refuses TLS while REST shares the gRPC port (listener_manager.go)
  '',
].join('\n');

/**
 * A bind mount whose host folder does not exist. Since commit e105db0 a missing *plain data* folder
 * (e.g. ./missing:/milvus/x) is deliberately not a finding (Docker creates it); a folder that is
 * expected to hold certificates/config is, so the fixture uses one.
 */
export const MISSING_MOUNT = './missing-certs:/milvus/certs';

/** Where each file's interesting token is (1-based line numbers as the Problems panel prints them). */
export const LINES = { serverPemPath: 3, tlsMode: 8, missingVolume: 9, pgSslmode: 2 };

export function composeYaml(extraVolumes = [], { tls = true } = {}) {
  return [
    'services:', //                                                 1
    '  standalone:', //                                             2
    '    image: milvusdb/milvus:v2.6.0', //                         3
    '    command: ["milvus", "run", "standalone"]', //              4
    '    volumes:', //                                              5
    '      - ./volumes/milvus:/var/lib/milvus', //                  6
    ...(tls ? ['      - ./tls:/milvus/tls'] : []), //               7
    '      - ./milvus.yaml:/milvus/configs/milvus.yaml', //         8
    ...extraVolumes.map((v) => `      - ${v}`), //                  9
    '    ports:',
    '      - "19530:19530"',
    '',
  ].join('\n');
}

function cliGenerate(dir) {
  execFileSync(
    process.execPath,
    [path.join(ROOT, 'dist/cli.js'), 'generate', '--out', dir, '--name', 'localhost', '--name', '127.0.0.1', '--mode', 'mutual'],
    { stdio: 'pipe' },
  );
}

/** A correct project: compose + milvus.yaml + tls/ from the CLI. */
function project(dir, { milvus = MILVUS_YAML, compose = composeYaml(), certs = true } = {}) {
  fs.mkdirSync(path.join(dir, 'volumes/milvus'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'docker-compose.yml'), compose);
  fs.writeFileSync(path.join(dir, 'milvus.yaml'), milvus);
  if (certs) cliGenerate(path.join(dir, 'tls'));
}

async function expiredCertPem() {
  require('reflect-metadata');
  const x509 = require('@peculiar/x509');
  x509.cryptoProvider.set(webcrypto);
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const day = 86400_000;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '0badc0de',
    name: 'CN=expired.example',
    notBefore: new Date(Date.now() - 400 * day),
    notAfter: new Date(Date.now() - 35 * day),
    keys,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(false),
      new x509.ExtendedKeyUsageExtension(['1.3.6.1.5.5.7.3.1']),
      new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'expired.example' }]),
    ],
  });
  return cert.toString('pem') + '\n';
}

/**
 * Layout (all under `ws`):
 *   good/            correct mode-2 project (no diagnostics anywhere)
 *   bad-mode/        tlsMode: 5                      -> milvus-tls-mode-invalid (line 8)
 *   typo/            serverPemPth:                   -> milvus-key-unknown (line 3), quick fix "Rename to serverPemPath"
 *   bad-compose/     - ./missing-certs:/milvus/certs -> compose-bind-source-missing (line 9)
 *   pem/expired.pem  expired certificate             -> tls-cert-expired
 *   pem/legacy.pem   CN-only leaf certificate (no SAN) -> tls-cert-no-san (CA:FALSE: openssl req -x509 makes a CA by default, and a CA needs no SAN)
 *   pem/bundle.pem   server.pem + ca.pem             -> 2 entries in the Outline
 *   gen/             compose + milvus.yaml without TLS, no certs: target of "TLS: Generate TLS certs"
 *   set/             ca.crt, client.crt and a client.key that is server.key -> set-key-mismatch (line 1 of client.key)
 *   set-ok/          ca.crt, client.crt, client.key of one set           -> hover "pairs with client.key · chains to ca.crt"
 *   postgres/.env    sslmode=verify_full (a typo)     -> pg-sslmode-invalid (line 2), quick fix "Set sslmode to verify-full"
 */
/** The certificate of the reversed chain and the SNI the certificate lacks: 1-based lines asserted by case (7). */
export const GATEWAY_LINES = { nginxCert: 6, apisixSnis: 2 };

/**
 * gateway/nginx/nginx.conf: ssl_certificate is ca.pem + server.pem (leaf not first: nginx -t says "key values mismatch");
 * gateway/apisix/apisix.yaml: an SSL object whose SNI is not in the certificate's SANs.
 */
function gateways(dir) {
  const tls = path.join(dir, 'nginx/tls');
  cliGenerate(tls);
  const read = (n) => fs.readFileSync(path.join(tls, n), 'utf8');
  fs.writeFileSync(path.join(tls, 'reversed.pem'), read('ca.pem') + read('server.pem'));
  fs.writeFileSync(
    path.join(dir, 'nginx/nginx.conf'),
    [
      'events {}', //                                  1
      'http {', //                                     2
      '    server {', //                               3
      '        listen 443 ssl;', //                    4
      '        server_name localhost;', //             5
      '        ssl_certificate tls/reversed.pem;', //  6
      '        ssl_certificate_key tls/server.key;', //7
      '    }',
      '}',
      '',
    ].join('\n'),
  );
  const block = (pem) =>
    pem
      .trim()
      .split('\n')
      .map((l) => '      ' + l)
      .join('\n');
  fs.mkdirSync(path.join(dir, 'apisix'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'apisix/apisix.yaml'),
    `ssls:\n  - snis: [shop.example.test]\n    cert: |\n${block(read('server.pem'))}\n    key: |\n${block(read('server.key'))}\n#END\n`,
  );
}

export async function buildWorkspace(ws) {
  fs.rmSync(ws, { recursive: true, force: true });
  fs.mkdirSync(ws, { recursive: true });
  project(path.join(ws, 'good'));
  project(path.join(ws, 'bad-mode'), { milvus: MILVUS_YAML.replace('tlsMode: 2', 'tlsMode: 5') });
  project(path.join(ws, 'typo'), { milvus: MILVUS_YAML.replace('serverPemPath:', 'serverPemPth:') });
  project(path.join(ws, 'bad-compose'), { compose: composeYaml([MISSING_MOUNT]) });

  const pem = path.join(ws, 'pem');
  fs.mkdirSync(pem, { recursive: true });
  fs.writeFileSync(path.join(pem, 'expired.pem'), await expiredCertPem());
  const tmp = fs.mkdtempSync(path.join(ws, '.tmp-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-subj',
      '/CN=legacy',
      '-addext',
      'basicConstraints=critical,CA:FALSE',
      '-days',
      '365',
      '-keyout',
      path.join(tmp, 'k'),
      '-out',
      path.join(pem, 'legacy.pem'),
    ],
    { stdio: 'pipe' },
  );
  fs.rmSync(tmp, { recursive: true, force: true });
  const good = path.join(ws, 'good/tls');
  fs.writeFileSync(
    path.join(pem, 'bundle.pem'),
    fs.readFileSync(path.join(good, 'server.pem'), 'utf8') + fs.readFileSync(path.join(good, 'ca.pem'), 'utf8'),
  );

  // Certificate sets without a config: the files of good/tls under the names an openssl guide uses.
  const copySet = (dir, files) => {
    fs.mkdirSync(path.join(ws, dir), { recursive: true });
    for (const [to, from] of Object.entries(files)) fs.copyFileSync(path.join(good, from), path.join(ws, dir, to));
  };
  copySet('set', { 'ca.crt': 'ca.pem', 'client.crt': 'client.pem', 'client.key': 'server.key' });
  copySet('set-ok', { 'ca.crt': 'ca.pem', 'client.crt': 'client.pem', 'client.key': 'client.key' });
  gateways(path.join(ws, 'gateway'));

  project(path.join(ws, 'gen'), {
    milvus: ['# Milvus configuration', 'common:', '  security:', '    tlsMode: 0', ''].join('\n'),
    compose: composeYaml([], { tls: false }),
    certs: false,
  });

  // PostgreSQL (issue 14): a libpq URI in a .env with a mistyped sslmode; the CA beside it signs nothing here.
  const pg = path.join(ws, 'postgres');
  fs.mkdirSync(pg, { recursive: true });
  fs.copyFileSync(path.join(good, 'ca.pem'), path.join(pg, 'ca.pem'));
  fs.writeFileSync(path.join(pg, '.env'), PG_ENV);

  // Kubernetes (issue 13) and the Milvus client side (issue 12).
  fs.mkdirSync(path.join(ws, 'k8s'), { recursive: true });
  kubernetes(path.join(ws, 'k8s'));
  project(path.join(ws, 'client'));
  fs.writeFileSync(path.join(ws, 'client/app.py'), APP_PY);
  return ws;
}

/** 1-based lines the Kubernetes case asserts, from the file as written (its PEM lengths vary). */
export function k8sLines(text) {
  const all = text.split('\n');
  return {
    keyFolded: all.indexOf('  server.key:') + 2,
    caFolded: all.indexOf('  ca.pem:') + 2,
    misplacedTls: all.indexOf('      tls:') + 1,
  };
}

/** 1-based line of server_name in client/app.py. */
export const APP_SERVER_NAME_LINE = 9;

/**
 * k8s/milvus.yaml: the Milvus Operator's external-TLS sample shape (zilliztech/milvus-operator
 * config/samples/external_tls.yaml), written here with real generated PEM and the sample's two
 * mistakes: server.key and ca.pem without `|` (k8s-pem-folded) and tls: under common:
 * (milvus-block-misplaced).
 */
function kubernetes(dir) {
  const tls = path.join(dir, '.certs');
  cliGenerate(tls);
  const read = (n) => fs.readFileSync(path.join(tls, n), 'utf8').trim();
  const ind = (pem) =>
    pem
      .split('\n')
      .map((l) => '    ' + l)
      .join('\n');
  const lines = [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: certs',
    'type: Opaque',
    'stringData:',
    '  server.pem: |',
    ind(read('server.pem')),
    '  server.key:',
    ind(read('server.key')),
    '  ca.pem:',
    ind(read('ca.pem')),
    '---',
    'apiVersion: milvus.io/v1beta1',
    'kind: Milvus',
    'metadata:',
    '  name: my-release',
    'spec:',
    '  config:',
    '    proxy:',
    '      http:',
    '        port: 8080',
    '    common:',
    '      security:',
    '        tlsMode: 1',
    '      tls:',
    '        serverPemPath: /certs/server.pem',
    '        serverKeyPath: /certs/server.key',
    '        caPemPath: /certs/ca.pem',
    '  components:',
    '    volumes:',
    '      - name: certs',
    '        secret:',
    '          secretName: certs',
    '    volumeMounts:',
    '      - name: certs',
    '        mountPath: /certs',
    '        readOnly: true',
    '',
  ].join('\n');
  fs.rmSync(tls, { recursive: true, force: true });
  fs.writeFileSync(path.join(dir, 'milvus.yaml'), lines);
}

/** client/app.py: pymilvus against the mode-2 Milvus of client/, dialling a name its certificate does not have. */
const APP_PY = [
  'from pymilvus import MilvusClient', //                   1
  '', //                                                    2
  'client = MilvusClient(', //                              3
  '    uri="https://localhost:19530",', //                  4
  '    ca_pem_path="tls/ca.pem",', //                       5
  '    client_pem_path="tls/client.pem",', //               6
  '    client_key_path="tls/client.key",', //               7
  '    secure=True,', //                                    8
  '    server_name="milvus.local",', //                     9
  ')', //                                                   10
  '',
].join('\n');

/** The postgres case's .env; the URI is on line 2 (LINES.pgSslmode). */
export const PG_ENV = [
  '# app settings',
  'DATABASE_URL=postgresql://app@localhost:5432/app?sslmode=verify_full&sslrootcert=ca.pem',
  '',
].join('\n');

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildWorkspace(path.resolve(process.argv[2] ?? path.join(ROOT, '.e2e/ws')));
}
