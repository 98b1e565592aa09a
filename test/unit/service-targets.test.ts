import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { LanguageService, Workspace } from '../../server/src/service';
import { TARGETS } from '../../server/src/service/targets/registry';
import { composeTarget } from '../../server/src/service/targets/compose';
import { milvusTarget } from '../../server/src/service/targets/milvus';
import { loadCompose } from '../../server/src/service/deploy/compose';
import { ALL_DIAGNOSTIC_CODES } from '../../server/src/service/codes';

const COMPOSE = `services:
  standalone:
    image: milvusdb/milvus:v2.6.0
    volumes:
      - ./milvus.yaml:/milvus/configs/milvus.yaml
      - ./tls:/milvus/tls:ro
`;

function workspace(): { dir: string; ws: Workspace; service: LanguageService } {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'targets-')));
  fs.writeFileSync(path.join(dir, 'docker-compose.yml'), COMPOSE);
  fs.writeFileSync(path.join(dir, 'milvus.yaml'), 'common:\n  security:\n    tlsMode: 0\n');
  const ws = new Workspace([dir]);
  return { dir, ws, service: new LanguageService(ws, {}) };
}

function counting<T extends { parse: (...a: never[]) => unknown }>(
  target: T,
): { calls: () => number; last: () => unknown; restore: () => void } {
  const original = target.parse;
  let n = 0;
  let last: unknown;
  target.parse = ((...a: never[]) => {
    n++;
    return (last = original.apply(target, a));
  }) as T['parse'];
  return { calls: () => n, last: () => last, restore: () => void (target.parse = original) };
}

test('the registry decides the kind of a document: first target that recognises it wins', () => {
  const { dir, service } = workspace();
  const kind = (name: string, text = '', languageId?: string) => service.kindOf({ path: path.join(dir, name), text, languageId });
  assert.equal(kind('server.pem'), 'pem');
  assert.equal(kind('tls/ca.crt'), 'pem');
  assert.equal(kind('docker-compose.yml'), 'compose');
  assert.equal(kind('anything.yaml', 'services: {}', 'dockercompose'), 'compose');
  assert.equal(kind('milvus.yaml'), 'milvus');
  assert.equal(kind('configs/user.yaml'), 'milvus');
  assert.equal(kind('values.yaml', 'common:\n  security:\n    tlsMode: 2\n'), 'milvus');
  assert.equal(kind('values.yaml', 'replicas: 3\n'), undefined);
  assert.equal(kind('notes.txt', 'tls:\n  serverPemPath: x\n'), undefined);
  assert.equal(kind('conf.d/site.conf', 'server {\n  listen 443 ssl;\n}\n'), 'nginx');
  assert.equal(kind('apisix.yaml', 'ssls: []\n#END\n'), 'apisix');
  assert.equal(kind('package.json', '{"name": "x"}'), undefined);
  // A .conf that is not nginx's: the postgres target owns postgresql.conf.
  assert.equal(kind('postgresql.conf', "ssl = on\nlisten_addresses = '*'\n"), 'postgres');
  assert.equal(kind('app/settings.conf', 'setting_1 = value\n'), undefined);
  // A compose file by its top-level keys, as docker compose reads it, not by its name:
  assert.equal(kind('stack.yml', 'version: "3.8"\nservices:\n  web:\n    image: nginx\n'), 'compose');
  assert.equal(
    kind('docker_compose_up.yaml', 'command: docker compose up\nshort: Create and start containers\nusage: docker compose up\n'),
    undefined,
  );
  assert.equal(kind('docker-compose.yml', ''), 'compose', 'a new empty file goes by its name');
  assert.equal(kind('docker-compose.yml', 'command: docker compose\nlong: text\n'), undefined);
  assert.deepEqual(
    TARGETS.map((t) => t.id),
    ['pem', 'compose', 'k8s', 'milvus', 'nginx', 'apisix', 'postgres', 'milvus-client', 'cert-set'],
  );
  // Client code that connects to Milvus; the same kinds of file without such a call are nobody's.
  assert.equal(kind('app.py', 'from pymilvus import MilvusClient\nc = MilvusClient(uri="https://localhost:19530")\n'), 'milvus-client');
  assert.equal(kind('app.py', 'import requests\nrequests.get("https://example.com")\n'), undefined);
  assert.equal(kind('check.sh', 'curl --cacert tls/ca.pem https://localhost:19530/v2/vectordb/collections/list\n'), 'milvus-client');
  assert.equal(kind('build.sh', 'make all\n'), undefined);
  assert.equal(kind('README.md', '```bash\ncurl -k https://localhost:19530/v2/vectordb/collections/list\n```\n'), 'milvus-client');
  assert.equal(kind('README.md', '# Title\n\nSome text.\n'), undefined);
  assert.equal(kind('admin.sh', 'curl http://127.0.0.1:9180/apisix/admin/ssls/1 -X PUT -d @ssl.json\n'), 'apisix');
  assert.equal(kind('.env', 'DATABASE_URL=postgresql://db/app?sslmode=require\n'), 'postgres');
  assert.equal(kind('.env', 'DEBUG=1\n'), undefined);
  assert.equal(kind('pg_service.conf'), 'postgres');
  assert.equal(kind('postgresql.conf'), 'postgres');
});

test('a compose document is parsed once per version for validation and hover, and the milvus.yaml check reuses that model', () => {
  const { dir, ws, service } = workspace();
  const file = path.join(dir, 'docker-compose.yml');
  const spy = counting(composeTarget);
  try {
    ws.setOverlay(file, COMPOSE, 7);
    const doc = { path: file, uri: URI.file(file).toString(), text: COMPOSE, version: 7 };
    service.validate(doc);
    service.hover(doc, { line: 4, character: 10 });
    service.validate({ ...doc });
    assert.equal(spy.calls(), 1, 'one parse for three requests on one version');
    // The milvus.yaml beside it resolves its paths through loadCompose: the same model object, not a second parse.
    const model = (spy.last() as { model: unknown }).model;
    assert.ok(model);
    assert.equal(loadCompose(file, ws, {}), model);
    const next = COMPOSE + '  attu:\n    image: zilliz/attu\n';
    ws.setOverlay(file, next, 8);
    service.validate({ ...doc, text: next, version: 8 });
    assert.equal(spy.calls(), 2, 'a new version parses again');
  } finally {
    spy.restore();
  }
});

test('a milvus.yaml recognised by its content is parsed once per version for validation and hover', () => {
  const { dir, service } = workspace();
  const file = path.join(dir, 'values.yaml');
  const text = 'common:\n  security:\n    tlsMode: 5\n';
  const spy = counting(milvusTarget);
  try {
    const ds = service.validate({ path: file, uri: URI.file(file).toString(), text, version: 1 });
    assert.deepEqual(
      ds.map((d) => d.code),
      ['milvus-tls-mode-invalid'],
    );
    service.hover({ path: file, uri: URI.file(file).toString(), text, version: 1 }, { line: 2, character: 6 });
    assert.equal(spy.calls(), 1);
  } finally {
    spy.restore();
  }
});

test('each target publishes codes with its own prefix, and the shared pipeline the tls- ones', () => {
  const prefix: Record<string, RegExp> = {
    pem: /^pem-/,
    compose: /^compose-/,
    k8s: /^k8s-/,
    milvus: /^milvus-/,
    nginx: /^nginx-/,
    apisix: /^apisix-/,
    postgres: /^pg-/,
    'cert-set': /^set-/,
    'milvus-client': /^milvus-client-/,
  };
  for (const t of TARGETS) for (const c of t.codes) assert.match(c.code, prefix[t.id], `${t.id}: ${c.code}`);
  const all = ALL_DIAGNOSTIC_CODES.map((c) => c.code);
  assert.equal(new Set(all).size, all.length, 'no code is listed twice');
  for (const c of ALL_DIAGNOSTIC_CODES)
    assert.ok(['error', 'warning', 'information', 'hint'].includes(c.severity), `${c.code}: ${c.severity}`);
  assert.ok(all.includes('tls-cert-expired') && !all.some((c) => /^(pem|milvus)-cert-expired$/.test(c)));
});

test('a closed document drops its model', () => {
  const { dir, service } = workspace();
  const file = path.join(dir, 'milvus.yaml');
  const doc = { path: file, uri: URI.file(file).toString(), text: 'tls:\n  serverPemPath: /x\n', version: 1 };
  const spy = counting(milvusTarget);
  try {
    service.validate(doc);
    service.forget(doc.uri);
    service.validate(doc);
    assert.equal(spy.calls(), 2);
  } finally {
    spy.restore();
  }
});

test('a milvus.yaml hands its certificate settings to the pipeline as slots: role, group, whether Milvus uses them, the names dialled', () => {
  const { dir, service } = workspace();
  const file = path.join(dir, 'milvus.yaml');
  const text = [
    'tls:',
    '  serverPemPath: /milvus/tls/server.pem',
    '  serverKeyPath: /milvus/tls/server.key',
    '  caPemPath: /milvus/tls/ca.pem',
    'internaltls:',
    '  serverPemPath: /milvus/itls/server.pem',
    '  sni: proxy.internal',
    'common:',
    '  security:',
    '    tlsMode: 1',
    '    internaltlsEnabled: false',
    '',
  ].join('\n');
  const slots = service.slots({ path: file, uri: URI.file(file).toString(), text, version: 1 });
  assert.deepEqual(
    slots.map((s) => [s.group, s.role, s.active, 'path' in s.value ? s.value.path : '', s.range.start.line, s.names ?? []]),
    [
      ['tls', 'server-cert', true, '/milvus/tls/server.pem', 1, []],
      ['tls', 'server-key', true, '/milvus/tls/server.key', 2, []],
      // Mode 1: the server does not load the CA; clients do.
      ['tls', 'ca', false, '/milvus/tls/ca.pem', 3, []],
      ['internaltls', 'server-cert', false, '/milvus/itls/server.pem', 5, ['proxy.internal']],
    ],
  );
  assert.ok(slots.every((s) => s.consumer === 'go'));
  const mutual = service.slots({
    path: file,
    uri: URI.file(file).toString(),
    text: text.replace('tlsMode: 1', 'tlsMode: 2').replace('internaltlsEnabled: false', 'internaltlsEnabled: true'),
    version: 2,
  });
  assert.deepEqual(
    mutual.map((s) => s.active),
    [true, true, true, true],
  );
});
