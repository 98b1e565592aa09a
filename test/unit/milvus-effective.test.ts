/**
 * Milvus as Milvus reads it: layered files, environment, key spelling. Each workspace is judged
 * twice: by the checker, and by test/support/go-milvus-config, a Go program that builds the
 * configuration the way milvus-io/milvus does (pkg/config/file_source.go, config.go formatKey,
 * env_source.go, source.go priorities; pkg/util/paramtable/base_table.go file order and env
 * formatter) with gopkg.in/yaml.v2, then loads the files with crypto/tls as the proxy does
 * (internal/distributed/proxy/listener_manager.go). The Go side gets the layout from the test
 * (which host file sits at which container path), not from the checker.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateCertSet, DEFAULT_OPTIONS, type GeneratedFile } from '../../server/src/service/certgen';
import { tmpWorkspace, writeFiles, serviceFor, docOf } from '../support/workspace';
import { milvusAsGoSeesIt, goMilvusAvailable, type MilvusVerdict } from '../support/go-milvus-config';
import { effectiveConfig, winner, formatKey, envKeys, flattenMilvus } from '../../server/src/service/targets/milvus/effective';
import { deployContext } from '../../server/src/service/targets/milvus/resolve';
import { Workspace } from '../../server/src/service/workspace';
import { DEFAULT_SETTINGS } from '../../server/src/service/types';
import type { Diagnostic } from 'vscode-languageserver-types';

let set: GeneratedFile[];
before(async () => {
  set = await generateCertSet(DEFAULT_OPTIONS);
});
const certs = () => Object.fromEntries(set.map((f) => ['tls/' + f.name, f.contents]));
const skip = goMilvusAvailable() ? false : 'needs golang-go and golang-gopkg-yaml.v2-dev (.ci/run installs them)';

function compose(o: { env?: string[]; volumes?: string[]; envFile?: string } = {}): string {
  const vols = o.volumes ?? ['./tls:/milvus/tls:ro', './milvus.yaml:/milvus/configs/milvus.yaml:ro'];
  return [
    'services:',
    '  standalone:',
    '    image: milvusdb/milvus:v2.5.4',
    ...(o.envFile ? [`    env_file: ${o.envFile}`] : []),
    '    environment:',
    '      ETCD_ENDPOINTS: etcd:2379',
    ...(o.env ?? []).map((e) => `      ${e}`),
    '    volumes:',
    ...vols.map((v) => `      - ${v}`),
    '',
  ].join('\n');
}

const MILVUS_OFF =
  'etcd:\n  endpoints: localhost:2379\ntls:\n  serverPemPath: /milvus/tls/server.pem\n  serverKeyPath: /milvus/tls/server.key\n  caPemPath: /milvus/tls/ca.pem\ncommon:\n  security:\n    tlsMode: 0\n';

interface Checked {
  root: string;
  byFile: Record<string, Diagnostic[]>;
  go: MilvusVerdict;
}

/** Validates every file of the workspace and asks Go about the same layout. */
async function judge(files: Record<string, string>, layout: (root: string) => Parameters<typeof milvusAsGoSeesIt>[0]): Promise<Checked> {
  const root = tmpWorkspace('milvus-eff-');
  writeFiles(root, { ...certs(), ...files });
  const service = serviceFor(root);
  const byFile: Record<string, Diagnostic[]> = {};
  for (const rel of Object.keys(files)) byFile[rel] = service.validate(docOf(root, rel));
  const go = await milvusAsGoSeesIt(layout(root));
  return { root, byFile, go };
}

const errorsOf = (c: Checked) =>
  Object.entries(c.byFile).flatMap(([f, ds]) => ds.filter((d) => d.severity === 1).map((d) => `${f} ${d.code}`));

/** Our effective values equal Go's for every key Go reports. */
function sameValues(c: Checked, milvusRel = 'milvus.yaml'): void {
  const ws = new Workspace([c.root], { ...DEFAULT_SETTINGS });
  const file = path.join(c.root, milvusRel);
  const cfg = effectiveConfig(file, fs.readFileSync(file, 'utf8'), deployContext(file, ws, {}), { ws, processEnv: {} });
  for (const [k, v] of Object.entries(c.go.values ?? {})) {
    const w = winner(cfg, k);
    if (w?.layer.kind === 'image') continue; // the Go side reads the image's file only when the test gives it one
    assert.equal(w?.value, v, `${k}: ours ${w?.value} (${w?.layer.label}), Milvus ${v} (${c.go.sources?.[k]})`);
  }
}

test('normalisation and the env formatter are Milvus own (pkg/config/config.go formatKey, base_table.go)', () => {
  assert.equal(formatKey('tls.server_pem_path'), 'tlsserverpempath');
  assert.equal(formatKey('common.security.internalTlsEnabled'), formatKey('common.security.internaltlsEnabled'));
  assert.deepEqual(envKeys('COMMON_SECURITY_TLSMODE'), ['commonsecuritytlsmode']);
  assert.deepEqual(envKeys('MILVUS_CONF_TLS_SERVERPEMPATH'), ['milvusconftlsserverpempath', 'tlsserverpempath']);
  // Dotted keys at any level, yaml 1.1 booleans (yaml.v2), first document only.
  const flat = flattenMilvus('common.security.tlsMode: 2\ncommon:\n  security.internaltlsEnabled: yes\n---\ntls:\n  serverPemPath: x\n');
  assert.deepEqual(
    flat.map((s) => [s.written, s.value]),
    [
      ['common.security.tlsMode', '2'],
      ['common.security.internaltlsEnabled', 'true'],
    ],
  );
});

test(
  'environment over milvus.yaml: COMMON_SECURITY_TLSMODE=2 and TLS_SERVERPEMPATH decide, the finding is on the environment line',
  { skip },
  async () => {
    const c = await judge(
      {
        'docker-compose.yml': compose({ env: ['COMMON_SECURITY_TLSMODE: "2"', 'TLS_SERVERPEMPATH: /milvus/tls/missing.pem'] }),
        'milvus.yaml': MILVUS_OFF,
      },
      (root) => ({
        files: { '/milvus/configs/milvus.yaml': path.join(root, 'milvus.yaml') },
        env: { ETCD_ENDPOINTS: 'etcd:2379', COMMON_SECURITY_TLSMODE: '2', TLS_SERVERPEMPATH: '/milvus/tls/missing.pem' },
        mounts: { '/milvus/tls': path.join(root, 'tls') },
      }),
    );
    assert.equal(c.go.tlsMode, 2);
    assert.match(c.go.startError ?? '', /missing\.pem: no such file/);
    sameValues(c);
    const composeDiags = c.byFile['docker-compose.yml'];
    const missing = composeDiags.find((d) => d.code === 'tls-file-missing');
    assert.ok(missing, JSON.stringify(composeDiags));
    assert.equal(missing.range.start.line, 6, 'on the TLS_SERVERPEMPATH line');
    const over = c.byFile['milvus.yaml'].filter((d) => d.code === 'milvus-overridden');
    assert.ok(
      over.some((d) => /tlsMode 0 here is overridden by COMMON_SECURITY_TLSMODE=2 in docker-compose\.yml:6/.test(String(d.message))),
      JSON.stringify(over),
    );
    assert.ok(errorsOf(c).length > 0);
    // Hover on the key: the effective value and every layer's source.
    const doc = docOf(c.root, 'milvus.yaml');
    const line = doc.text.split('\n').findIndex((l) => l.includes('tlsMode'));
    const h = serviceFor(c.root).hover(doc, { line, character: 6 });
    const md = (h?.contents as { value: string }).value;
    assert.match(md, /Effective: `2`, from COMMON_SECURITY_TLSMODE=2 in docker-compose\.yml:6/);
    assert.match(md, /overridden: `0` \(\/milvus\/configs\/milvus\.yaml \(milvus\.yaml\)\)/);
  },
);

test('user.yaml over milvus.yaml: its serverPemPath wins and is judged in user.yaml', { skip }, async () => {
  const c = await judge(
    {
      'docker-compose.yml': compose({
        volumes: ['./tls:/milvus/tls:ro', './milvus.yaml:/milvus/configs/milvus.yaml:ro', './user.yaml:/milvus/configs/user.yaml:ro'],
      }),
      'milvus.yaml': MILVUS_OFF.replace('tlsMode: 0', 'tlsMode: 1'),
      'user.yaml': 'tls:\n  serverPemPath: /milvus/tls/nope.pem\n',
    },
    (root) => ({
      files: { '/milvus/configs/milvus.yaml': path.join(root, 'milvus.yaml'), '/milvus/configs/user.yaml': path.join(root, 'user.yaml') },
      mounts: { '/milvus/tls': path.join(root, 'tls') },
    }),
  );
  assert.match(c.go.startError ?? '', /nope\.pem/);
  sameValues(c);
  assert.deepEqual(
    c.byFile['user.yaml'].map((d) => d.code),
    ['tls-file-missing'],
  );
  assert.deepEqual(
    c.byFile['milvus.yaml'].map((d) => d.code),
    ['milvus-overridden'],
  );
});

test('any key spelling Milvus accepts takes effect, and none is "unknown"', { skip }, async () => {
  const milvus =
    'etcd:\n  endpoints: localhost:2379\ncommon.security.tlsMode: 2\ntls:\n  serverpempath: /milvus/tls/server.pem\n  server_key_path: /milvus/tls/server.key\n  CaPemPath: /milvus/tls/ca.pem\ncommon:\n  security:\n    internalTlsEnabled: false\n';
  const c = await judge({ 'docker-compose.yml': compose(), 'milvus.yaml': milvus }, (root) => ({
    files: { '/milvus/configs/milvus.yaml': path.join(root, 'milvus.yaml') },
    mounts: { '/milvus/tls': path.join(root, 'tls') },
  }));
  assert.equal(c.go.tlsMode, 2);
  assert.equal(c.go.startError, undefined);
  sameValues(c);
  assert.deepEqual(c.byFile['milvus.yaml'], []);
  assert.deepEqual(errorsOf(c), []);
});

test('env_file and .env interpolation feed the environment', { skip }, async () => {
  const c = await judge(
    {
      '.env': 'MODE=1\n',
      'milvus.env': '# TLS by environment\nTLS_SERVERKEYPATH=/milvus/tls/client.key\n',
      'docker-compose.yml': compose({ envFile: './milvus.env', env: ['COMMON_SECURITY_TLSMODE: ${MODE:-0}'] }),
      'milvus.yaml': MILVUS_OFF,
    },
    (root) => ({
      files: { '/milvus/configs/milvus.yaml': path.join(root, 'milvus.yaml') },
      env: { COMMON_SECURITY_TLSMODE: '1', TLS_SERVERKEYPATH: '/milvus/tls/client.key' },
      mounts: { '/milvus/tls': path.join(root, 'tls') },
    }),
  );
  assert.equal(c.go.tlsMode, 1);
  assert.match(c.go.startError ?? '', /private key does not match public key/);
  sameValues(c);
  const mismatch = c.byFile['docker-compose.yml'].find((d) => d.code === 'tls-key-mismatch');
  assert.ok(mismatch, JSON.stringify(c.byFile['docker-compose.yml']));
  assert.equal(mismatch.range.start.line, 3, 'on the env_file entry that brings TLS_SERVERKEYPATH');
});

test(
  'only user.yaml mounted: the image milvus.yaml names its sample certificates, Milvus starts, the key is public (a warning)',
  { skip },
  async () => {
    const stock = fs.readFileSync(path.join(__dirname, '../fixtures/milvus-2.6-default.yaml'), 'utf8');
    const c = await judge(
      {
        'docker-compose.yml': compose({ volumes: ['./user.yaml:/milvus/configs/user.yaml:ro'] }),
        'user.yaml': 'common:\n  security:\n    tlsMode: 1\n',
        // what the image holds, for the Go side only: its configs/milvus.yaml and configs/cert/*
        'image/configs/milvus.yaml': stock,
      },
      (root) => ({
        files: {
          '/milvus/configs/milvus.yaml': path.join(root, 'image/configs/milvus.yaml'),
          '/milvus/configs/user.yaml': path.join(root, 'user.yaml'),
        },
        mounts: { '/milvus/configs/cert': path.join(root, 'tls') },
      }),
    );
    assert.equal(c.go.tlsMode, 1);
    assert.equal(c.go.startError, undefined, 'Milvus starts with the sample certificates');
    sameValues(c, 'user.yaml');
    const w = c.byFile['user.yaml'].filter((d) => d.code === 'milvus-sample-certificate');
    assert.equal(w.length, 2, JSON.stringify(c.byFile['user.yaml']));
    assert.ok(w.every((d) => d.severity === 2 && /private key is published/.test(String(d.message))));
    assert.deepEqual(errorsOf(c), []);
  },
);

test('a tlsMode Milvus cannot read as a number is 0 (strconv.Atoi); one outside 0..2 stops it', { skip }, async () => {
  for (const [value, mode, fails] of [
    ['two', 0, false],
    ['3', 3, true],
    ['"2"', 2, false],
  ] as const) {
    const c = await judge(
      { 'docker-compose.yml': compose(), 'milvus.yaml': MILVUS_OFF.replace('tlsMode: 0', `tlsMode: ${value}`) },
      (root) => ({
        files: { '/milvus/configs/milvus.yaml': path.join(root, 'milvus.yaml') },
        mounts: { '/milvus/tls': path.join(root, 'tls') },
      }),
    );
    assert.equal(c.go.tlsMode, mode, value);
    assert.equal(!!c.go.startError, fails, value);
    sameValues(c);
  }
});

test(
  'two spellings of one key in one file: a warning that Milvus takes one at random; the same key twice: yaml.v2 keeps the last',
  { skip },
  async () => {
    const twice = MILVUS_OFF.replace('tlsMode: 0', 'tlsMode: 0\n    tlsMode: 1');
    const c = await judge({ 'docker-compose.yml': compose(), 'milvus.yaml': twice }, (root) => ({
      files: { '/milvus/configs/milvus.yaml': path.join(root, 'milvus.yaml') },
      mounts: { '/milvus/tls': path.join(root, 'tls') },
    }));
    assert.equal(c.go.tlsMode, 1, 'yaml.v2 keeps the last of one mapping');
    sameValues(c);
    const dup = c.byFile['milvus.yaml'].find((d) => d.code === 'milvus-key-duplicate')!;
    assert.equal(dup.range.start.line, 8);
    const spelled = MILVUS_OFF.replace(
      '  serverPemPath: /milvus/tls/server.pem\n',
      '  serverPemPath: /milvus/tls/server.pem\n  server_pem_path: /milvus/tls/ca.pem\n',
    );
    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const r = await judge({ 'milvus.yaml': spelled.replace('tlsMode: 0', 'tlsMode: 1'), 'docker-compose.yml': compose() }, (root) => ({
        files: { '/milvus/configs/milvus.yaml': path.join(root, 'milvus.yaml') },
        mounts: { '/milvus/tls': path.join(root, 'tls') },
      }));
      seen.add(r.go.values?.['tls.serverPemPath'] ?? '');
      const d = r.byFile['milvus.yaml'].find((x) => x.code === 'milvus-key-duplicate');
      assert.ok(d && /at random/.test(String(d.message)) && d.range.start.line === 4);
    }
    assert.ok([...seen].every((v) => v === '/milvus/tls/server.pem' || v === '/milvus/tls/ca.pem'));
  },
);

test(
  '2.6 with TLS on and REST on the gRPC port refuses to start, with the exact error; a separate proxy.http.port fixes it',
  { skip },
  async () => {
    const c26 = (milvus: string) =>
      judge({ 'docker-compose.yml': compose().replace('v2.5.4', 'v2.6.0'), 'milvus.yaml': milvus }, (root) => ({
        files: { '/milvus/configs/milvus.yaml': path.join(root, 'milvus.yaml') },
        mounts: { '/milvus/tls': path.join(root, 'tls') },
        http: true,
      }));
    const on = MILVUS_OFF.replace('tlsMode: 0', 'tlsMode: 1');
    const bad = await c26(on);
    assert.equal(bad.go.startError, 'proxy server(http) and external grpc server share the same port, tls mode must be 0');
    const d = bad.byFile['milvus.yaml'].find((x) => x.code === 'milvus-http-port-shared')!;
    assert.ok(d && d.severity === 1 && String(d.message).includes(bad.go.startError!));
    assert.equal(d.range.start.line, 8, 'on the tlsMode line');
    const same = await c26(on + 'proxy:\n  port: 19530\n  http:\n    port: 19530\n');
    assert.ok(same.go.startError && same.byFile['milvus.yaml'].some((x) => x.code === 'milvus-http-port-shared'));
    const good = await c26(on + 'proxy.http.port: 8080\n');
    assert.equal(good.go.startError, undefined);
    assert.deepEqual(errorsOf(good), []);
    // Before 2.6 the rule does not apply (compose() runs v2.5.4).
    const old = await judge({ 'docker-compose.yml': compose(), 'milvus.yaml': on }, (root) => ({
      files: { '/milvus/configs/milvus.yaml': path.join(root, 'milvus.yaml') },
      mounts: { '/milvus/tls': path.join(root, 'tls') },
    }));
    assert.deepEqual(errorsOf(old), []);
  },
);

test('rules by the version of the image tag: internaltls before 2.5, tls.clusters before 2.6, clusters need both client paths', async () => {
  const root = tmpWorkspace('milvus-ver-');
  const milvus =
    MILVUS_OFF.replace('tlsMode: 0', 'tlsMode: 0\n    internaltlsEnabled: true') +
    'internaltls:\n  serverPemPath: /milvus/tls/server.pem\n  serverKeyPath: /milvus/tls/server.key\n  caPemPath: /milvus/tls/ca.pem\n';
  const clusters = 'tls.clusters.by-dev.clientPemPath: /milvus/tls/client.pem\n';
  writeFiles(root, { ...certs(), 'docker-compose.yml': compose().replace('v2.5.4', 'v2.4.0'), 'milvus.yaml': milvus + clusters });
  const ds = serviceFor(root).validate(docOf(root, 'milvus.yaml'));
  assert.deepEqual(
    ds.filter((x) => x.code === 'milvus-version-rule').map((x) => x.range.start.line),
    [9, 14],
  );
  writeFiles(root, { 'docker-compose.yml': compose().replace('v2.5.4', 'v2.6.0') });
  const ds26 = serviceFor(root).validate(docOf(root, 'milvus.yaml'));
  assert.deepEqual(
    ds26.map((x) => x.code),
    ['milvus-cluster-tls-incomplete'],
  );
});

test('the stock milvus.yaml (2.6) and the official compose file stay clean', () => {
  const stock = fs.readFileSync(path.join(__dirname, '../fixtures/milvus-2.6-default.yaml'), 'utf8');
  const official = fs.readFileSync(path.join(__dirname, '../fixtures/docker-compose.milvus-tls.yml'), 'utf8');
  const root = tmpWorkspace('milvus-stock-');
  writeFiles(root, { 'milvus.yaml': stock, 'docker-compose.yml': official, ...certs() });
  for (const d of ['volumes/milvus', 'volumes/etcd', 'volumes/minio']) fs.mkdirSync(path.join(root, d), { recursive: true });
  const svc = serviceFor(root);
  assert.deepEqual(svc.validate(docOf(root, 'milvus.yaml')), []);
  assert.deepEqual(
    svc.validate(docOf(root, 'docker-compose.yml')).filter((d) => d.severity === 1 || d.severity === 2),
    [],
  );
  // The same stock file with TLS on and REST moved off the gRPC port: still nothing but what TLS needs.
  const on = stock
    .replace(/^( {4}tlsMode:) 0$/m, '$1 1')
    .replace(
      /^tls:\n {2}serverPemPath: configs\/cert\/server\.pem\n {2}serverKeyPath: configs\/cert\/server\.key/m,
      'tls:\n  serverPemPath: /milvus/tls/server.pem\n  serverKeyPath: /milvus/tls/server.key',
    )
    .replace(/^( {4}port:) +# high-level restful api/m, '$1 8080 # high-level restful api');
  writeFiles(root, { 'milvus.yaml': on });
  assert.deepEqual(serviceFor(root).validate(docOf(root, 'milvus.yaml')), []);
});

test('dependency TLS: etcd.ssl.*, minio.ssl.tlsCACert, kafka.ssl.* go through the same checks when their switch is on', () => {
  const root = tmpWorkspace('milvus-dep-');
  const milvus = (on: boolean) =>
    `etcd:\n  endpoints: etcd:2379\n  ssl:\n    enabled: ${on}\n    tlsCert: /milvus/tls/client.pem\n    tlsKey: /milvus/tls/server.key\n    tlsCACert: /milvus/tls/missing-ca.pem\nminio:\n  useSSL: ${on}\n  ssl:\n    tlsCACert: /path/to/public.crt\ncommon:\n  security:\n    tlsMode: 0\n`;
  writeFiles(root, { ...certs(), 'docker-compose.yml': compose(), 'milvus.yaml': milvus(false) });
  assert.deepEqual(serviceFor(root).validate(docOf(root, 'milvus.yaml')), [], 'switches off: nothing is read');
  writeFiles(root, { 'milvus.yaml': milvus(true) });
  const ds = serviceFor(root).validate(docOf(root, 'milvus.yaml'));
  assert.deepEqual(
    ds.map((d) => [d.code, d.range.start.line]),
    [
      ['tls-file-missing', 6],
      ['milvus-path-not-mounted', 10],
    ],
  );
});
