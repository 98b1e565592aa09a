/**
 * Wiring a generated Postgres-layout set into a compose project (targets/postgres/wire.ts): the
 * edit applied to real files, then read back the way the postgres target reads them.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workspace } from '../../server/src/service';
import { DEFAULT_SETTINGS } from '../../server/src/service/types';
import { planPostgresWiring, findPostgresProject } from '../../server/src/service/targets/postgres/wire';
import { parsePgCompose } from '../../server/src/service/targets/postgres/compose';
import { scanText } from '../../server/src/service/targets/postgres/scan';
import { applyWorkspaceEdit } from '../support/apply-edit';
import { tmpWorkspace, writeFiles } from '../support/workspace';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const WANT = {
  ssl: 'on',
  ssl_cert_file: '/etc/postgresql/tls/server.crt',
  ssl_key_file: '/etc/postgresql/tls/server.key',
  ssl_ca_file: '/etc/postgresql/tls/root.crt',
};

function wire(files: Record<string, string>, req: { mode?: 1 | 2; dbUser?: string } = {}) {
  const root = tmpWorkspace('pg-wire-');
  dirs.push(root);
  writeFiles(root, files);
  const ws = new Workspace([root], { ...DEFAULT_SETTINGS });
  const composePath = path.join(root, 'docker-compose.yml');
  const plan = planPostgresWiring({ certDir: path.join(root, 'tls'), mode: req.mode ?? 2, composePath, dbUser: req.dbUser }, ws, {});
  applyWorkspaceEdit(plan.edit);
  const compose = fs.readFileSync(composePath, 'utf8');
  const env = fs.existsSync(path.join(root, '.env')) ? fs.readFileSync(path.join(root, '.env'), 'utf8') : '';
  const svc = parsePgCompose(compose).find((s) => s.name === 'db')!;
  const flags = Object.fromEntries([...(svc?.flags ?? new Map())].map(([k, v]) => [k, v.value.value]));
  const uri = scanText(env).conns.find((c) => c.kind === 'uri');
  const params = uri && Object.fromEntries([...uri.params].map(([k, v]) => [k, v.value]));
  return { root, plan, compose, env, flags, params, ws };
}

const SERVICE = [
  'services:',
  '  db:',
  '    image: postgres:16',
  '    environment:',
  '      POSTGRES_USER: app',
  '    ports:',
  '      - "5433:5432"',
];

test('a service without command gets the ssl flags, a read-only mount, and a .env URI to the published port', () => {
  const r = wire({ 'docker-compose.yml': SERVICE.join('\n') + '\n' });
  assert.deepEqual(r.flags, WANT);
  assert.match(r.compose, /\n {4}volumes:\n {6}- \.\/tls:\/etc\/postgresql\/tls:ro\n/);
  assert.equal(
    r.env,
    'DATABASE_URL=postgresql://app@localhost:5433/app?sslmode=verify-full&sslrootcert=tls/root.crt&sslcert=tls/postgresql.crt&sslkey=tls/postgresql.key\n',
  );
  assert.ok(
    r.plan.edit.documentChanges!.some((c) => 'kind' in c && c.kind === 'create'),
    'the .env is created',
  );
  assert.match(
    r.plan.todo.join('\n'),
    /server\.key must be owned by the user PostgreSQL runs as \(uid 999 in postgres:16\).*sudo chown 999 tls\/server\.key/,
  );
  // Applied once, there is nothing left to wire.
  const again = planPostgresWiring(
    { certDir: path.join(r.root, 'tls'), mode: 2, composePath: path.join(r.root, 'docker-compose.yml') },
    new Workspace([r.root], { ...DEFAULT_SETTINGS }),
    {},
  );
  assert.deepEqual(again.summary, []);
});

test('one-way TLS wires no ssl_ca_file and no client files', () => {
  const r = wire({ 'docker-compose.yml': SERVICE.join('\n') + '\n' }, { mode: 1 });
  assert.deepEqual(r.flags, { ssl: 'on', ssl_cert_file: WANT.ssl_cert_file, ssl_key_file: WANT.ssl_key_file });
  assert.equal(r.env, 'DATABASE_URL=postgresql://app@localhost:5433/app?sslmode=verify-full&sslrootcert=tls/root.crt\n');
  assert.deepEqual(r.params, { user: 'app', sslmode: 'verify-full', sslrootcert: 'tls/root.crt', host: 'localhost', port: '5433' });
});

test('an existing command keeps its flags; wrong ssl values are corrected in place, missing ones appended', () => {
  for (const command of [
    '    command: postgres -c max_connections=50 -c ssl_cert_file=/old/server.crt',
    '    command: "postgres -c max_connections=50 -c ssl_cert_file=/old/server.crt"',
    '    command: ["postgres", "-c", "max_connections=50", "-c", "ssl_cert_file=/old/server.crt"]',
    '    command:\n      - postgres\n      - -c\n      - max_connections=50\n      - -c\n      - ssl_cert_file=/old/server.crt',
  ]) {
    const r = wire({ 'docker-compose.yml': [...SERVICE, command].join('\n') + '\n' });
    assert.deepEqual(r.flags, { max_connections: '50', ...WANT }, command);
    assert.match(r.compose, /postgres/, command);
    assert.ok(!r.compose.includes('/old/'), command);
    assert.match(
      r.compose,
      /\n {4}volumes:\n {6}- \.\/tls:\/etc\/postgresql\/tls:ro\n$/,
      `the mount is a key of its own after the command: ${r.compose}`,
    );
  }
});

test('an existing mount of the folder is kept; other volumes stay and the mount is added after them', () => {
  const kept = wire({ 'docker-compose.yml': [...SERVICE, '    volumes:', '      - ./tls:/etc/postgresql/tls:ro'].join('\n') + '\n' });
  assert.equal(kept.compose.match(/\/etc\/postgresql\/tls/g)!.length, 1 + 3, 'one mount, three file flags');
  const added = wire({
    'docker-compose.yml': [...SERVICE, '    volumes:', '      - pgdata:/var/lib/postgresql/data'].join('\n') + '\nvolumes:\n  pgdata:\n',
  });
  assert.match(added.compose, /- pgdata:\/var\/lib\/postgresql\/data\n {6}- \.\/tls:\/etc\/postgresql\/tls:ro\n/);
});

test('a .env URI is corrected: sslmode and paths replaced, the missing parameters appended, other lines untouched', () => {
  const r = wire({
    'docker-compose.yml': SERVICE.join('\n') + '\n',
    '.env': 'APP_PORT=8000\nDATABASE_URL=postgresql://app:pw@localhost:5433/app?sslmode=require&application_name=web\n# end\n',
  });
  assert.equal(
    r.env,
    'APP_PORT=8000\nDATABASE_URL=postgresql://app:pw@localhost:5433/app?sslmode=verify-full&application_name=web&sslrootcert=tls/root.crt&sslcert=tls/postgresql.crt&sslkey=tls/postgresql.key\n# end\n',
  );
  assert.match(r.plan.summary.join('\n'), /\.env: sslmode=require → verify-full/);
});

test('a .env without a connection URI gets one line appended', () => {
  const r = wire({ 'docker-compose.yml': SERVICE.join('\n') + '\n', '.env': 'APP_PORT=8000' }, { dbUser: 'reporter' });
  assert.match(r.env, /^APP_PORT=8000\nDATABASE_URL=postgresql:\/\/reporter@localhost:5433\/app\?sslmode=verify-full&/);
});

test('a compose file without a Postgres service is not edited, and the summary says so', () => {
  const r = wire({ 'docker-compose.yml': 'services:\n  web:\n    image: nginx\n' });
  assert.equal(r.compose, 'services:\n  web:\n    image: nginx\n');
  assert.match(r.plan.summary[0], /no PostgreSQL service found/);
});

test('the project is found from a subfolder: service, database user and database, published port', () => {
  const root = tmpWorkspace('pg-find-');
  dirs.push(root);
  writeFiles(root, {
    'docker-compose.yml': SERVICE.join('\n') + '\n',
    'conf/postgresql.conf': '',
  });
  const ws = new Workspace([root], { ...DEFAULT_SETTINGS });
  assert.deepEqual(findPostgresProject(path.join(root, 'conf'), ws), {
    composePath: path.join(root, 'docker-compose.yml'),
    service: 'db',
    dbUser: 'app',
    db: 'app',
    hostPort: 5433,
    uid: 999,
  });
});
