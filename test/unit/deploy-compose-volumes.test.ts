import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseComposeVolumes, splitShortVolume } from '../../server/src/service/deploy/compose';
import type { ComposeModel, VolumeMount } from '../../server/src/service/deploy/compose';

const DIR = path.join(os.tmpdir(), 'proj');
const COMPOSE = path.join(DIR, 'docker-compose.yml');

/** The official Milvus standalone compose file plus the TLS guide's two mounts. */
const OFFICIAL = readFileSync(path.join(__dirname, '../fixtures/docker-compose.milvus-tls.yml'), 'utf8');

function only(model: ComposeModel, service: string, index = 0): VolumeMount {
  const s = model.services.find((x) => x.name === service);
  assert.ok(s, `service ${service}`);
  return s.volumes[index];
}

function lineOf(text: string, needle: string): { line: number; character: number } {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const c = lines[i].indexOf(needle);
    if (c >= 0) return { line: i, character: c };
  }
  throw new Error(`not found: ${needle}`);
}

test('official Milvus standalone compose: services, images and mounts', () => {
  const m = parseComposeVolumes(OFFICIAL, COMPOSE, {});
  assert.deepEqual(m.yamlErrors, []);
  assert.deepEqual(
    m.services.map((s) => s.name),
    ['etcd', 'minio', 'standalone'],
  );
  const standalone = m.services[2];
  assert.equal(standalone.image, 'milvusdb/milvus:v2.4.0');
  assert.equal(standalone.volumes.length, 3);
  const [data, tls, cfg] = standalone.volumes;
  assert.equal(data.type, 'bind');
  assert.equal(data.source, './volumes/milvus');
  assert.equal(data.hostPath, path.join(DIR, 'volumes', 'milvus'));
  assert.equal(data.target, '/var/lib/milvus');
  assert.equal(tls.hostPath, path.join(DIR, 'tls'));
  assert.equal(tls.target, '/milvus/tls');
  assert.equal(tls.readOnly, false);
  assert.equal(cfg.hostPath, path.join(DIR, 'milvus.yaml'));
  assert.equal(cfg.target, '/milvus/configs/milvus.yaml');
  assert.ok(standalone.volumes.every((v) => v.syntax === 'short' && v.problems.length === 0 && v.createHostPath));
  assert.deepEqual(m.interpolationProblems, []);
  // the name range
  const at = lineOf(OFFICIAL, 'standalone:');
  assert.deepEqual(standalone.nameRange, { start: at, end: { line: at.line, character: at.character + 10 } });
});

test('DOCKER_VOLUME_DIRECTORY from the environment moves the host paths', () => {
  const m = parseComposeVolumes(OFFICIAL, COMPOSE, { DOCKER_VOLUME_DIRECTORY: '/srv/milvus' });
  const tls = only(m, 'standalone', 1);
  assert.equal(tls.source, '/srv/milvus/tls');
  assert.equal(tls.hostPath, path.resolve('/srv/milvus/tls'));
  // an empty value falls back to the default with :-
  const e = parseComposeVolumes(OFFICIAL, COMPOSE, { DOCKER_VOLUME_DIRECTORY: '' });
  assert.equal(only(e, 'standalone', 1).hostPath, path.join(DIR, 'tls'));
});

test('short syntax ranges: whole entry, source (with the ${…}), target, mode', () => {
  const text = `services:
  s:
    volumes:
      - \${DOCKER_VOLUME_DIRECTORY:-.}/tls:/milvus/tls:ro,z
      - "./certs:/milvus/certs:Z"
`;
  const m = parseComposeVolumes(text, COMPOSE, {});
  const a = only(m, 's', 0);
  const line = 3;
  const col = 8; // after "      - "
  assert.deepEqual(a.range, { start: { line, character: col }, end: { line, character: col + 50 } });
  assert.deepEqual(a.sourceRange, { start: { line, character: col }, end: { line, character: col + 33 } });
  assert.deepEqual(a.targetRange, { start: { line, character: col + 34 }, end: { line, character: col + 45 } });
  assert.deepEqual(a.modeRange, { start: { line, character: col + 46 }, end: { line, character: col + 50 } });
  assert.equal(a.readOnly, true);
  assert.deepEqual(a.modes, ['ro', 'z']);
  const b = only(m, 's', 1);
  // quoted: the range of the entry includes the quotes, source/target do not
  assert.deepEqual(b.range, { start: { line: 4, character: 8 }, end: { line: 4, character: 33 } });
  assert.deepEqual(b.sourceRange, { start: { line: 4, character: 9 }, end: { line: 4, character: 16 } });
  assert.deepEqual(b.targetRange, { start: { line: 4, character: 17 }, end: { line: 4, character: 30 } });
  assert.equal(b.readOnly, false);
  assert.deepEqual(b.modes, ['Z']);
});

test('short syntax kinds: named, anonymous, rw, ~, relative parent, Windows drive', () => {
  const text = `services:
  s:
    volumes:
      - data:/var/lib/milvus
      - /var/cache
      - ./tls:/milvus/tls:rw
      - ~/certs:/milvus/tls/home:ro
      - ../shared/ca.pem:/milvus/tls/ca.pem
      - 'C:\\certs:/milvus/tls/win:ro'
      - "D:/x/y:/data"
      - /abs/dir:/target/
volumes:
  data: {}
`;
  const m = parseComposeVolumes(text, COMPOSE, {});
  const v = m.services[0].volumes;
  assert.equal(v.length, 8);
  assert.deepEqual([v[0].type, v[0].source, v[0].target, v[0].hostPath], ['volume', 'data', '/var/lib/milvus', undefined]);
  assert.deepEqual(v[0].problems, []);
  assert.deepEqual([v[1].type, v[1].source, v[1].target], ['volume', undefined, '/var/cache']);
  assert.deepEqual([v[2].type, v[2].readOnly, v[2].hostPath], ['bind', false, path.join(DIR, 'tls')]);
  assert.deepEqual([v[3].hostPath, v[3].readOnly], [path.join(os.homedir(), 'certs'), true]);
  assert.equal(v[4].hostPath, path.resolve(DIR, '../shared/ca.pem'));
  assert.deepEqual([v[5].type, v[5].source, v[5].target, v[5].readOnly], ['bind', 'C:\\certs', '/milvus/tls/win', true]);
  assert.match(v[5].hostPath ?? '', /^C:\\certs$/);
  assert.deepEqual([v[6].source, v[6].target], ['D:/x/y', '/data']);
  assert.equal(v[7].target, '/target');
});

test('a named volume not declared at top level is a problem', () => {
  const m = parseComposeVolumes('services:\n  s:\n    volumes:\n      - tls:/milvus/tls\n', COMPOSE, {});
  const v = only(m, 's');
  assert.equal(v.type, 'volume');
  assert.equal(v.problems.length, 1);
  assert.equal(v.problems[0].code, 'compose-volume-undeclared');
  assert.match(v.problems[0].message, /\.\/tls/);
});

test('short syntax parse errors', () => {
  assert.equal(splitShortVolume('').error, 'empty volume entry');
  assert.equal(splitShortVolume('./a::/b').error, 'empty section between colons');
  assert.equal(splitShortVolume('./a:/b:ro:x').error, 'too many colons');
  assert.deepEqual(splitShortVolume('C:\\x:/y'), { source: [0, 4], target: [5, 7] });
  const m = parseComposeVolumes('services:\n  s:\n    volumes:\n      - "./a::/b"\n', COMPOSE, {});
  assert.equal(only(m, 's').problems[0].code, 'compose-volume-invalid');
});

test('long syntax: bind, volume, tmpfs; read_only; create_host_path; ranges', () => {
  const text = `services:
  s:
    volumes:
      - type: bind
        source: \${CERTS:-./tls}
        target: /milvus/tls
        read_only: true
      - type: bind
        source: ./milvus.yaml
        target: /milvus/configs/milvus.yaml
        bind:
          create_host_path: true
      - type: volume
        source: data
        target: /var/lib/milvus
      - type: tmpfs
        target: /tmp
volumes:
  data:
`;
  const m = parseComposeVolumes(text, COMPOSE, {});
  const [a, b, c, d] = m.services[0].volumes;
  assert.deepEqual(
    [a.syntax, a.type, a.source, a.raw, a.hostPath, a.target, a.readOnly, a.createHostPath],
    ['long', 'bind', './tls', '${CERTS:-./tls}', path.join(DIR, 'tls'), '/milvus/tls', true, false],
  );
  assert.deepEqual(a.range, { start: { line: 3, character: 8 }, end: { line: 6, character: 23 } });
  assert.deepEqual(a.sourceRange, { start: { line: 4, character: 16 }, end: { line: 4, character: 31 } });
  assert.deepEqual(a.targetRange, { start: { line: 5, character: 16 }, end: { line: 5, character: 27 } });
  assert.deepEqual([b.type, b.createHostPath, b.readOnly], ['bind', true, false]);
  assert.deepEqual([c.type, c.source, c.hostPath], ['volume', 'data', undefined]);
  assert.deepEqual([d.type, d.target], ['tmpfs', '/tmp']);
});

test('interpolation problems carry exact ranges', () => {
  const text = 'services:\n  s:\n    volumes:\n      - ${CERT_DIR}/tls:/milvus/tls\n';
  const m = parseComposeVolumes(text, COMPOSE, {});
  const v = only(m, 's');
  assert.equal(v.problems.length, 1);
  assert.deepEqual(v.problems[0].range, { start: { line: 3, character: 8 }, end: { line: 3, character: 19 } });
  assert.equal(m.interpolationProblems.length, 1);
  assert.deepEqual(m.interpolationProblems[0].range, v.problems[0].range);
});

test('double-quoted escapes keep ranges exact', () => {
  const text = 'services:\n  s:\n    volumes:\n      - "\\x2e/tls:/milvus/${X}"\n';
  const m = parseComposeVolumes(text, COMPOSE, {});
  const v = only(m, 's');
  assert.equal(v.source, './tls');
  assert.deepEqual(v.sourceRange, { start: { line: 3, character: 9 }, end: { line: 3, character: 17 } });
  assert.deepEqual(v.problems[0].range, { start: { line: 3, character: 26 }, end: { line: 3, character: 30 } });
});

test('anchors, aliases and merge keys', () => {
  const text = `x-common: &common
  volumes:
    - ./tls:/milvus/tls:ro
services:
  a:
    <<: *common
    image: milvusdb/milvus:v2.4.0
  b:
    volumes: *vols
  c:
    volumes:
      - &v ./ca.pem:/milvus/tls/ca.pem
      - *v
`;
  const m = parseComposeVolumes(text, COMPOSE, {});
  const a = m.services.find((s) => s.name === 'a');
  assert.equal(a?.volumes[0]?.target, '/milvus/tls');
  const c = m.services.find((s) => s.name === 'c');
  assert.equal(c?.volumes.length, 2);
});

test('bad input never throws', () => {
  const cases: unknown[] = [
    '',
    'services: [',
    '- a\n- b\n',
    'services: null\n',
    'services:\n  s: null\n',
    'services:\n  s:\n    volumes: null\n',
    'services:\n  s:\n    volumes:\n      - 1\n      - 2.5\n      - true\n      - null\n      - [a, b]\n',
    'services:\n  s:\n    volumes: {a: b}\n',
    'services:\n  - s\n',
    'services:\n  s:\n    volumes:\n      - type: bind\n',
    'services:\n  s:\n    volumes:\n      - type: bind\n        source: [x]\n        target: {y: 1}\n        read_only: [1]\n',
    'services:\n  ? [complex]\n  : {volumes: ["./a:/b"]}\n',
    'a: &a [*a]\n',
    '\t\tservices:\n\tx',
    'services:\n  s:\n    volumes:\n      - "${A:-${B:-${C"\n',
    '%YAML 1.2\n---\nservices: {}\n---\nsecond: doc\n',
    undefined,
    null,
    42,
  ];
  for (const c of cases) {
    assert.doesNotThrow(() => parseComposeVolumes(c as string, COMPOSE, {}), String(c));
  }
  const list = parseComposeVolumes('- a\n- b\n', COMPOSE, {});
  assert.deepEqual(list.services, []);
  const broken = parseComposeVolumes('services:\n  s:\n    volumes:\n      - ./a:/b\n   bad: [\n', COMPOSE, {});
  assert.ok(broken.yamlErrors.length > 0);
  assert.ok(broken.yamlErrors.every((e) => e.range.start.line >= 0 && typeof e.message === 'string'));
  const numbers = parseComposeVolumes('services:\n  s:\n    volumes:\n      - 1\n      - 2\n', COMPOSE, {});
  assert.equal(numbers.services[0].volumes.length, 0);
  assert.equal(numbers.problems.length, 2);
  assert.deepEqual(numbers.problems[0].range, { start: { line: 3, character: 8 }, end: { line: 3, character: 9 } });
});

test('a huge compose file parses in reasonable time', () => {
  let text = 'services:\n';
  for (let i = 0; i < 5000; i++) {
    text += `  s${i}:\n    image: milvusdb/milvus:v2.4.0\n    volumes:\n      - \${D:-.}/tls${i}:/milvus/tls:ro\n      - type: bind\n        source: ./c${i}\n        target: /c\n`;
  }
  text += '#' + 'x'.repeat(2_000_000) + '\n';
  const t0 = Date.now();
  const m = parseComposeVolumes(text, COMPOSE, {});
  const ms = Date.now() - t0;
  assert.equal(m.services.length, 5000);
  assert.equal(m.services[4999].volumes.length, 2);
  assert.ok(ms < 15000, `took ${ms} ms`);
});
