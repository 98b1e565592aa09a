import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  containerToHost,
  hostToContainer,
  normaliseContainerPath,
  loadComposeModel,
  parseComposeVolumes,
} from '../../server/src/service/deploy/compose';
import { findMilvusConfigMount, findMilvusService, milvusConfigHostPath } from '../../server/src/service/targets/milvus/deploy';
import { Workspace } from '../../server/src/service/workspace';

const DIR = path.join(os.tmpdir(), 'proj');
const COMPOSE = path.join(DIR, 'docker-compose.yml');

function mounts(lines: string[], top = '') {
  const text = `services:\n  standalone:\n    image: milvusdb/milvus:v2.4.0\n    volumes:\n${lines.map((l) => `      - ${l}\n`).join('')}${top}`;
  const m = parseComposeVolumes(text, COMPOSE, {});
  return m.services[0].volumes;
}

test('longest target prefix wins, segment aware', () => {
  const v = mounts(['./tls:/milvus/tls', './special.pem:/milvus/tls/server.pem', './x:/milvus/tlsx']);
  const a = containerToHost('/milvus/tls/ca.pem', v);
  assert.equal(a.hostPath, path.join(DIR, 'tls', 'ca.pem'));
  assert.equal(a.mount?.target, '/milvus/tls');
  const b = containerToHost('/milvus/tls/server.pem', v);
  assert.equal(b.hostPath, path.join(DIR, 'special.pem'));
  const c = containerToHost('/milvus/tlsx/a.pem', v);
  assert.equal(c.hostPath, path.join(DIR, 'x', 'a.pem'));
  const d = containerToHost('/milvus/tls', v);
  assert.equal(d.hostPath, path.join(DIR, 'tls'));
  const e = containerToHost('/milvus/tls/sub/dir/k.key', v);
  assert.equal(e.hostPath, path.join(DIR, 'tls', 'sub', 'dir', 'k.key'));
});

test('/milvus/tls does not cover /milvus/tlsx', () => {
  const v = mounts(['./tls:/milvus/tls']);
  const r = containerToHost('/milvus/tlsx/a.pem', v);
  assert.deepEqual(r, { hostPath: undefined, reason: 'no-mount' });
});

test('relative container paths resolve against /milvus', () => {
  const v = mounts(['./certs:/milvus/configs/cert']);
  assert.equal(normaliseContainerPath('configs/cert/server.pem', '/milvus'), '/milvus/configs/cert/server.pem');
  assert.equal(normaliseContainerPath('./a/../b/', '/milvus'), '/milvus/b');
  const r = containerToHost('configs/cert/server.pem', v, '/milvus');
  assert.equal(r.hostPath, path.join(DIR, 'certs', 'server.pem'));
});

test('named volumes, anonymous volumes and tmpfs have no host path', () => {
  const v = mounts(['data:/milvus', '/milvus/anon', 'type: tmpfs\n        target: /milvus/tmp'], 'volumes:\n  data:\n');
  const a = containerToHost('/milvus/tls/a.pem', v);
  assert.equal(a.hostPath, undefined);
  assert.equal(a.hostPath === undefined && a.reason, 'named-volume');
  assert.equal(a.mount?.source, 'data');
  const b = containerToHost('/milvus/anon/x', v);
  assert.equal(b.hostPath === undefined && b.reason, 'named-volume');
  const c = containerToHost('/milvus/tmp/x', v);
  assert.equal(c.hostPath === undefined && c.reason, 'named-volume');
  assert.deepEqual(containerToHost('/etc/x', v), { hostPath: undefined, reason: 'no-mount' });
  assert.deepEqual(containerToHost('/etc/x', []), { hostPath: undefined, reason: 'no-mount' });
});

test('a bind over a named volume: the deeper mount wins', () => {
  const v = mounts(['data:/milvus', './tls:/milvus/tls:ro'], 'volumes:\n  data:\n');
  assert.equal(containerToHost('/milvus/tls/a.pem', v).hostPath, path.join(DIR, 'tls', 'a.pem'));
});

test('Windows host paths join with backslashes', () => {
  const v = mounts(['"C:\\\\certs:/milvus/tls"']);
  const r = containerToHost('/milvus/tls/sub/ca.pem', v);
  assert.equal(r.hostPath, 'C:\\certs\\sub\\ca.pem');
  assert.equal(hostToContainer('C:\\certs\\sub\\ca.pem', v), '/milvus/tls/sub/ca.pem');
});

test('hostToContainer finds the container path of a host file', () => {
  const v = mounts(['./tls:/milvus/tls', './tls/special:/opt/special', 'data:/var/lib/milvus'], 'volumes:\n  data:\n');
  assert.equal(hostToContainer(path.join(DIR, 'tls', 'server.pem'), v), '/milvus/tls/server.pem');
  assert.equal(hostToContainer(path.join(DIR, 'tls'), v), '/milvus/tls');
  assert.equal(hostToContainer(path.join(DIR, 'tls', 'special', 'x.pem'), v), '/opt/special/x.pem');
  assert.equal(hostToContainer(path.join(DIR, 'tlsx', 'a.pem'), v), undefined);
  assert.equal(hostToContainer(path.join(DIR, 'other.pem'), v), undefined);
  assert.equal(hostToContainer('', v), undefined);
});

test('findMilvusConfigMount and milvusConfigHostPath', () => {
  const m = parseComposeVolumes(
    `services:
  standalone:
    image: milvusdb/milvus:v2.4.0
    volumes:
      - ./tls:/milvus/tls
      - ./conf/my-milvus.yaml:/milvus/configs/milvus.yaml
  other:
    image: milvusdb/milvus:v2.4.0
    volumes:
      - ./configs:/milvus/configs
  third:
    volumes:
      - ./milvus_tls.yaml:/etc/milvus.yaml
  fourth:
    volumes:
      - ./tls:/milvus/tls
`,
    COMPOSE,
    {},
  );
  const [s, o, t, f] = m.services;
  assert.equal(findMilvusConfigMount(s)?.target, '/milvus/configs/milvus.yaml');
  assert.equal(milvusConfigHostPath(s), path.join(DIR, 'conf', 'my-milvus.yaml'));
  assert.equal(findMilvusConfigMount(o), undefined);
  assert.equal(milvusConfigHostPath(o), path.join(DIR, 'configs', 'milvus.yaml'));
  assert.equal(findMilvusConfigMount(t)?.hostPath, path.join(DIR, 'milvus_tls.yaml'));
  assert.equal(findMilvusConfigMount(f), undefined);
  assert.equal(milvusConfigHostPath(f), undefined);
});

test('findMilvusService: by image, then name, then config mount', () => {
  const pick = (text: string) => findMilvusService(parseComposeVolumes(text, COMPOSE, {}))?.name;
  assert.equal(pick('services:\n  etcd:\n    image: quay.io/coreos/etcd:v3.5.5\n  db:\n    image: milvusdb/milvus:v2.4.0\n'), 'db');
  assert.equal(pick('services:\n  a:\n    image: registry.local/milvus:latest\n'), 'a');
  assert.equal(pick('services:\n  etcd:\n    image: etcd\n  standalone:\n    build: .\n'), 'standalone');
  assert.equal(pick('services:\n  x:\n    image: custom\n    volumes:\n      - ./user.yaml:/milvus/configs/user.yaml\n'), 'x');
  assert.equal(pick('services:\n  etcd:\n    image: etcd\n'), undefined);
  assert.equal(findMilvusService({} as never), undefined);
});

test('loadComposeModel reads through the workspace with .env', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-map-'));
  try {
    const file = path.join(dir, 'compose.yaml');
    fs.writeFileSync(file, 'services:\n  standalone:\n    volumes:\n      - ${CERTS}:/milvus/tls\n');
    fs.writeFileSync(path.join(dir, '.env'), 'CERTS=./pki\n');
    const ws = new Workspace([dir]);
    const loaded = loadComposeModel(file, ws, {});
    assert.ok(loaded);
    assert.equal(loaded.dotEnvPath, path.join(dir, '.env'));
    assert.equal(containerToHost('/milvus/tls/ca.pem', loaded.model.services[0].volumes).hostPath, path.join(dir, 'pki', 'ca.pem'));
    assert.equal(loadComposeModel(path.join(dir, 'missing.yaml'), ws, {}), undefined);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
