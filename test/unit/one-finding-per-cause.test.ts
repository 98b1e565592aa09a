/**
 * One root cause, one finding: a TLS path no compose volume covers is reported on the milvus.yaml
 * line that sets it, with the compose service's volumes as related information, and the compose
 * file repeats it only when no config document is checked against that service. A key a compose
 * service mounts is judged by what runs there, not by the generic permission lint.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { generateCertSet, DEFAULT_OPTIONS, type GeneratedFile } from '../../server/src/service/certgen';
import { tmpWorkspace, writeFiles, serviceFor, docOf, composeYaml, milvusYaml } from '../support/workspace';

let set: GeneratedFile[];
const file = (n: string) => set.find((f) => f.name === n)!.contents;
before(async () => {
  set = await generateCertSet(DEFAULT_OPTIONS);
});

function milvusWorkspace(compose: string, milvus: string, milvusAt = 'milvus.yaml'): string {
  const root = tmpWorkspace('once-');
  writeFiles(root, {
    'docker-compose.yml': compose,
    [milvusAt]: milvus,
    'tls/ca.pem': file('ca.pem'),
    'tls/server.pem': file('server.pem'),
    'tls/server.key': file('server.key'),
    'tls/client.pem': file('client.pem'),
    'tls/client.key': file('client.key'),
  });
  fs.mkdirSync(path.join(root, 'volumes/milvus'), { recursive: true });
  return root;
}

test('a CA path no volume covers is one finding, on the milvus.yaml value, pointing at the compose volumes', () => {
  const compose = composeYaml();
  const root = milvusWorkspace(compose, milvusYaml({ ca: '/etc/milvus/tls/ca.pem' }));
  const service = serviceFor(root);
  const onCompose = service.validate(docOf(root, 'docker-compose.yml'));
  assert.deepEqual(
    onCompose.map((d) => d.code),
    [],
    'the compose file stays quiet: milvus.yaml reports it',
  );
  const onConfig = service.validate(docOf(root, 'milvus.yaml')).filter((d) => d.code === 'milvus-path-not-mounted');
  assert.equal(onConfig.length, 1);
  const lastVolume = compose.split('\n').findIndex((l) => l.includes('/milvus/configs/milvus.yaml'));
  for (const d of onConfig) {
    assert.equal(d.relatedInformation?.length, 1);
    const rel = d.relatedInformation![0];
    assert.equal(rel.location.uri, URI.file(path.join(root, 'docker-compose.yml')).toString());
    assert.equal(rel.location.range.start.line, lastVolume);
    assert.equal(
      rel.message,
      'service standalone in docker-compose.yml: no volume covers /etc/milvus/tls; add `- ./tls:/etc/milvus/tls:ro`',
    );
  }
});

test('a compose file in another folder than the config it mounts reports the path itself: milvus.yaml is not judged against it', () => {
  // deploy/docker-compose.yml mounts ../milvus.yaml; milvus.yaml finds no compose file beside or above it, so it is read on the host.
  const compose = composeYaml().replaceAll('${DOCKER_VOLUME_DIRECTORY:-.}/', '../');
  const root = milvusWorkspace('', milvusYaml({ ca: '/etc/milvus/tls/ca.pem' }));
  fs.rmSync(path.join(root, 'docker-compose.yml'));
  writeFiles(root, { 'deploy/docker-compose.yml': compose });
  const service = serviceFor(root);
  const onCompose = service.validate(docOf(root, 'deploy/docker-compose.yml'));
  assert.deepEqual(
    onCompose.map((d) => d.code),
    ['milvus-compose-path-not-mounted'],
  );
  assert.match(
    String(onCompose[0].message),
    /sets tls\.caPemPath: \/etc\/milvus\/tls\/ca\.pem, but no volume of service standalone covers it/,
  );
  const onConfig = service.validate(docOf(root, 'milvus.yaml'));
  assert.ok(!onConfig.some((d) => d.code === 'milvus-path-not-mounted'), JSON.stringify(onConfig.map((d) => d.code)));
});

test('a 0644 key that a compose service mounts gets no generic permission warning; one used on the host does', () => {
  const root = milvusWorkspace(composeYaml(), milvusYaml());
  for (const k of ['tls/server.key', 'tls/client.key']) fs.chmodSync(path.join(root, k), 0o644);
  const service = serviceFor(root);
  assert.deepEqual(service.validate(docOf(root, 'tls/server.key')), []);

  const host = tmpWorkspace('host-key-');
  writeFiles(host, { 'server.pem': file('server.pem'), 'server.key': file('server.key') });
  fs.chmodSync(path.join(host, 'server.key'), 0o644);
  const ds = serviceFor(host).validate(docOf(host, 'server.key'));
  assert.deepEqual(
    ds.map((d) => d.code),
    ['pem-key-permissions'],
  );
  assert.match(String(ds[0].message), /mode 644/);
});

test('a 0644 key mounted into PostgreSQL: the generic lint is silent, the server rule that really refuses it speaks on the setting', () => {
  const root = tmpWorkspace('pg-key-');
  const compose = [
    'services:',
    '  db:',
    '    image: postgres:16',
    '    command: -c ssl=on -c ssl_cert_file=/certs/server.crt -c ssl_key_file=/certs/server.key',
    '    volumes:',
    '      - ./certs:/certs:ro',
    '',
  ].join('\n');
  writeFiles(root, { 'docker-compose.yml': compose, 'certs/server.crt': file('server.pem'), 'certs/server.key': file('server.key') });
  fs.chmodSync(path.join(root, 'certs/server.key'), 0o644);
  const service = serviceFor(root);
  assert.deepEqual(service.validate(docOf(root, 'certs/server.key')), []);
  const onCompose = service.validate(docOf(root, 'docker-compose.yml'));
  const perm = onCompose.find((d) => d.code === 'pg-server-key-permissions');
  assert.ok(perm, JSON.stringify(onCompose.map((d) => d.code)));
  assert.equal(perm.range.start.line, 3);
});
