/**
 * The postgres target against a real PostgreSQL 15 (Debian's postgresql-15, installed by .ci/run):
 * one server with ssl=on on 127.0.0.1, started once for the file as uid 65534 (setpriv, since CI
 * runs as root) on a temp data dir, stopped by pid. For every workspace the checker must be clean
 * exactly when psql connects, and each finding must come with psql (or the server at start)
 * failing with the words our message quotes. The messages are libpq's own
 * (postgres src/interfaces/libpq/fe-connect.c, fe-secure-openssl.c; server:
 * src/backend/libpq/be-secure-common.c check_ssl_key_file, hba.c).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as net from 'node:net';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { URI } from 'vscode-uri';
import { LanguageService, Workspace } from '../../server/src/service';
import { DEFAULT_SETTINGS } from '../../server/src/service/types';
import { makeCa, makeLeaf, EKU, type Issued } from '../support/certs';
import { tmpWorkspace } from '../support/workspace';
import { postgresWiring } from '../../server/src/service/targets/postgres/layout';
import { planPostgresWiring } from '../../server/src/service/targets/postgres/wire';
import { parsePgCompose } from '../../server/src/service/targets/postgres/compose';
import { loadComposeModel, containerToHost } from '../../server/src/service/deploy/compose';
import { generate } from '../../server/src/commands';
import { applyWorkspaceEdit } from '../support/apply-edit';

const BIN = '/usr/lib/postgresql/15/bin';
const PSQL = '/usr/bin/psql';
const have = fs.existsSync(path.join(BIN, 'postgres')) && fs.existsSync(PSQL);
const root = process.getuid?.() === 0;
const asPg = (cmd: string[]) => (root ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--', ...cmd] : cmd);

let base = '';
let data = '';
/** A copy of the fresh data dir taken before the shared server starts, for one-off server starts. */
let template = '';
let port = 0;
let server: ChildProcess | undefined;
let ca: Issued;
let otherCa: Issued;
let leaf: Issued;
let client: Issued;
let otherClient: Issued;
let strangerClient: Issued;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
    s.on('error', reject);
  });
}

function own(p: string, mode: number): void {
  fs.chmodSync(p, mode);
  if (root) fs.chownSync(p, 65534, 65534);
}

/** Server files live in the workspace folder `srv/` of every case that mirrors the server (postgresql.conf beside .env). */
function serverFiles(dir: string): { cert: string; key: string; ca: string } {
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  const cert = path.join(dir, 'server.crt');
  const key = path.join(dir, 'server.key');
  const caf = path.join(dir, 'ca.crt');
  fs.writeFileSync(cert, leaf.certPem);
  fs.writeFileSync(key, leaf.keyPem);
  fs.writeFileSync(caf, ca.certPem);
  own(cert, 0o644);
  own(key, 0o600);
  own(caf, 0o644);
  own(dir, 0o755);
  return { cert, key, ca: caf };
}

function startServer(dataDir: string, flags: string[]): { child: ChildProcess; ready: Promise<string> } {
  const child = spawn(
    asPg([path.join(BIN, 'postgres'), '-D', dataDir, ...flags])[0],
    asPg([path.join(BIN, 'postgres'), '-D', dataDir, ...flags]).slice(1),
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  const ready = new Promise<string>((resolve) => {
    const on = (b: Buffer) => {
      log += b.toString();
      if (/ready to accept connections/.test(log)) resolve(log);
    };
    child.stdout!.on('data', on);
    child.stderr!.on('data', on);
    child.on('exit', () => resolve(log));
    setTimeout(() => resolve(log), 20000).unref();
  });
  return { child, ready };
}

/** The server's start, as a one-off with some flags: its log when it refuses to start. */
async function serverStartLog(flags: string[]): Promise<{ started: boolean; log: string; psql?: string }> {
  const dir = path.join(base, `data-${Math.random().toString(16).slice(2)}`);
  fs.cpSync(template, dir, { recursive: true });
  spawnSync('chown', ['-R', '65534:65534', dir]);
  fs.chmodSync(dir, 0o700);
  const p = await freePort();
  const s = startServer(dir, ['-c', `port=${p}`, '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dir}`, ...flags]);
  const log = await s.ready;
  const started = /ready to accept connections/.test(log);
  // A started server: what a TLS client meets (pg_hba.conf rules are judged per connection).
  const probe = started
    ? spawnSync(PSQL, [`host=127.0.0.1 port=${p} dbname=postgres user=postgres sslmode=require`, '-tAc', 'select 1'], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: base, PGCONNECT_TIMEOUT: '5' },
      })
    : undefined;
  if (s.child.exitCode === null) s.child.kill('SIGINT');
  await new Promise((r) => (s.child.exitCode !== null ? r(null) : s.child.on('exit', r)));
  return { started, log, psql: probe && (probe.status === 0 ? 'ok' : probe.stderr) };
}

before(async () => {
  if (!have) return;
  ca = await makeCa('PG Test CA');
  otherCa = await makeCa('Some Other CA');
  leaf = await makeLeaf(ca, { cn: 'localhost', sans: ['localhost'], eku: [EKU.serverAuth] });
  client = await makeLeaf(ca, { cn: 'certuser', sans: [], eku: [EKU.clientAuth] });
  otherClient = await makeLeaf(ca, { cn: 'certuser', sans: [], eku: [EKU.clientAuth] });
  strangerClient = await makeLeaf(otherCa, { cn: 'certuser', sans: [], eku: [EKU.clientAuth] });
  base = tmpWorkspace('pg-real-');
  fs.chmodSync(base, 0o755);
  data = path.join(base, 'data');
  fs.mkdirSync(data, { mode: 0o700 });
  own(data, 0o700);
  const init = spawnSync(
    asPg([path.join(BIN, 'initdb')])[0],
    asPg([path.join(BIN, 'initdb'), '-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']).slice(1),
    { encoding: 'utf8' },
  );
  assert.equal(init.status, 0, init.stderr);
  fs.writeFileSync(
    path.join(data, 'pg_hba.conf'),
    [
      'local all all trust',
      'hostssl all certuser 127.0.0.1/32 cert',
      'hostssl all all 127.0.0.1/32 trust',
      'hostssl all all ::1/128 trust',
      '',
    ].join('\n'),
  );
  own(path.join(data, 'pg_hba.conf'), 0o600);
  template = path.join(base, 'template');
  fs.cpSync(data, template, { recursive: true });
  const srv = serverFiles(path.join(base, 'srv'));
  port = await freePort();
  const s = startServer(data, [
    '-c',
    `port=${port}`,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    `unix_socket_directories=${data}`,
    '-c',
    'ssl=on',
    '-c',
    `ssl_cert_file=${srv.cert}`,
    '-c',
    `ssl_key_file=${srv.key}`,
    '-c',
    `ssl_ca_file=${srv.ca}`,
  ]);
  server = s.child;
  const log = await s.ready;
  assert.match(log, /ready to accept connections/, log);
  spawnSync(PSQL, ['-h', data, '-p', String(port), '-U', 'postgres', '-c', 'CREATE USER certuser'], { encoding: 'utf8' });
});

after(() => {
  if (server?.pid && server.exitCode === null) process.kill(server.pid, 'SIGINT');
  if (base) fs.rmSync(base, { recursive: true, force: true });
});

interface Case {
  name: string;
  /** libpq keyword/value settings besides host/port/dbname/user (written into the workspace's .env). */
  conn: string;
  host?: string;
  user?: string;
  files?: Record<string, string>;
  modes?: Record<string, number>;
  libpq?: number;
  /** Codes the checker must report for .env; [] means clean, and psql must connect. */
  expect: string[];
  /** What psql prints when it fails. */
  psql?: RegExp;
}

/** One workspace: .env with the connection, postgresql.conf mirroring the server, the client files. */
function workspace(c: Case): { dir: string; kv: string; home: string } {
  const dir = fs.mkdtempSync(path.join(base, 'ws-'));
  fs.chmodSync(dir, 0o755);
  const home = path.join(dir, 'home');
  fs.mkdirSync(home);
  for (const [rel, text] of Object.entries(c.files ?? {})) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text, { mode: 0o600 });
  }
  for (const [rel, mode] of Object.entries(c.modes ?? {})) fs.chmodSync(path.join(dir, rel), mode);
  const srv = path.join(base, 'srv');
  fs.writeFileSync(
    path.join(dir, 'postgresql.conf'),
    `ssl = on\nssl_cert_file = '${srv}/server.crt'\nssl_key_file = '${srv}/server.key'\nssl_ca_file = '${srv}/ca.crt'\n`,
  );
  const kv = `host=${c.host ?? 'localhost'} port=${port} dbname=postgres user=${c.user ?? 'postgres'} ${c.conn}`.trim();
  fs.writeFileSync(path.join(dir, '.env'), `DATABASE_URL="${kv}"\n`);
  return { dir, kv, home };
}

function check(dir: string, home: string, libpq?: number): string[] {
  // The server's files sit outside the case folder but in the test's base folder: allow reading them.
  const ws = new Workspace([dir, path.join(base, 'srv')], { ...DEFAULT_SETTINGS, postgresLibpqVersion: libpq ?? 16 });
  const svc = new LanguageService(ws, { HOME: home });
  const p = path.join(dir, '.env');
  return svc.validate({ path: p, uri: URI.file(p).toString(), text: fs.readFileSync(p, 'utf8') }).map((d) => String(d.code));
}

function psql(dir: string, kv: string, home: string): { ok: boolean; out: string } {
  const r = spawnSync(PSQL, [kv, '-tAc', 'select 1'], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: home, PGCONNECT_TIMEOUT: '5' },
  });
  return { ok: r.status === 0 && r.stdout.trim() === '1', out: r.stderr + r.stdout };
}

function cases(): Case[] {
  return [
    {
      name: 'verify-full with the CA and a host in the SANs',
      conn: 'sslmode=verify-full sslrootcert=ca.crt',
      files: { 'ca.crt': ca.certPem },
      expect: [],
    },
    {
      name: 'verify-ca by IP (no host name check)',
      host: '127.0.0.1',
      conn: 'sslmode=verify-ca sslrootcert=ca.crt',
      files: { 'ca.crt': ca.certPem },
      expect: [],
    },
    { name: 'require without any root file', conn: 'sslmode=require', expect: [] },
    { name: 'the default root file in HOME', conn: 'sslmode=verify-full', files: { 'home/.postgresql/root.crt': ca.certPem }, expect: [] },
    {
      name: 'sslmode typo verify_full',
      conn: 'sslmode=verify_full sslrootcert=ca.crt',
      files: { 'ca.crt': ca.certPem },
      expect: ['pg-sslmode-invalid'],
      psql: /invalid sslmode value: "verify_full"/,
    },
    { name: 'sslmode typo required', conn: 'sslmode=required', expect: ['pg-sslmode-invalid'], psql: /invalid sslmode value: "required"/ },
    {
      name: 'verify-full with a root file that does not exist',
      conn: 'sslmode=verify-full sslrootcert=certs/missing.crt',
      expect: ['pg-rootcert-missing'],
      psql: /root certificate file "certs\/missing.crt" does not exist/,
    },
    {
      name: 'verify-ca without sslrootcert and no ~/.postgresql/root.crt',
      conn: 'sslmode=verify-ca',
      expect: ['pg-rootcert-missing'],
      psql: /root certificate file ".*\/home\/.postgresql\/root.crt" does not exist/,
    },
    {
      name: 'verify-full with a root file of another CA',
      conn: 'sslmode=verify-full sslrootcert=ca.crt',
      files: { 'ca.crt': otherCa.certPem },
      expect: ['pg-rootcert-not-signing'],
      psql: /certificate verify failed/,
    },
    {
      name: 'require with a ~/.postgresql/root.crt of another CA (verifies like verify-ca)',
      conn: 'sslmode=require',
      files: { 'home/.postgresql/root.crt': otherCa.certPem },
      expect: ['pg-rootcert-not-signing'],
      psql: /certificate verify failed/,
    },
    {
      name: 'verify-full to 127.0.0.1, a certificate for localhost only',
      host: '127.0.0.1',
      conn: 'sslmode=verify-full sslrootcert=ca.crt',
      files: { 'ca.crt': ca.certPem },
      expect: ['pg-host-mismatch'],
      psql: /server certificate for "localhost" \(and 1 other name\) does not match host name "127.0.0.1"/,
    },
    {
      name: 'root file holding the server leaf, not a CA',
      conn: 'sslmode=verify-ca sslrootcert=leaf.crt',
      files: { 'leaf.crt': otherClient.certPem },
      expect: ['pg-rootcert-not-ca', 'pg-rootcert-not-signing'],
      psql: /certificate verify failed/,
    },
    {
      name: 'sslrootcert=system with libpq 15 and verify-full',
      conn: 'sslmode=verify-full sslrootcert=system',
      libpq: 15,
      expect: ['pg-rootcert-system-old-libpq'],
      psql: /root certificate file "system" does not exist/,
    },
    {
      name: 'sslrootcert=system with libpq 15 and require (a missing file: no verification)',
      conn: 'sslmode=require sslrootcert=system',
      libpq: 15,
      expect: [],
    },
    {
      name: 'client certificate for cert auth',
      user: 'certuser',
      conn: 'sslmode=verify-full sslrootcert=ca.crt sslcert=client.crt sslkey=client.key',
      files: { 'ca.crt': ca.certPem, 'client.crt': client.certPem, 'client.key': client.keyPem },
      expect: [],
    },
    {
      name: 'client certificate of a CA the server does not trust',
      user: 'certuser',
      conn: 'sslmode=verify-full sslrootcert=ca.crt sslcert=client.crt sslkey=client.key',
      files: { 'ca.crt': ca.certPem, 'client.crt': strangerClient.certPem, 'client.key': strangerClient.keyPem },
      expect: ['pg-client-cert-not-trusted'],
      psql: /tlsv1 alert unknown ca/,
    },
    {
      name: 'client key readable by others',
      user: 'certuser',
      conn: 'sslmode=verify-full sslrootcert=ca.crt sslcert=client.crt sslkey=client.key',
      files: { 'ca.crt': ca.certPem, 'client.crt': client.certPem, 'client.key': client.keyPem },
      modes: { 'client.key': 0o644 },
      expect: ['pg-client-key-permissions'],
      psql: /private key file "client.key" has group or world access/,
    },
    {
      name: 'client key of another certificate',
      user: 'certuser',
      conn: 'sslmode=verify-full sslrootcert=ca.crt sslcert=client.crt sslkey=client.key',
      files: { 'ca.crt': ca.certPem, 'client.crt': client.certPem, 'client.key': otherClient.keyPem },
      expect: ['pg-client-key-mismatch'],
      psql: /could not load private key file "client.key": key values mismatch/,
    },
    {
      name: 'client certificate without its key',
      user: 'certuser',
      conn: 'sslmode=verify-full sslrootcert=ca.crt sslcert=client.crt sslkey=nokey.key',
      files: { 'ca.crt': ca.certPem, 'client.crt': client.certPem },
      expect: ['pg-client-key-missing'],
      psql: /certificate present, but not private key file "nokey.key"/,
    },
  ];
}

test(
  'postgres: clean ⇔ psql connects; each finding ⇔ psql fails with the quoted error',
  { skip: !have && 'postgresql-15 is not installed' },
  async (t) => {
    for (const c of cases()) {
      await t.test(c.name, () => {
        const { dir, kv, home } = workspace(c);
        const got = check(dir, home, c.libpq);
        const r = psql(dir, kv, home);
        assert.deepEqual(got, c.expect, `checker on ${kv}`);
        if (c.expect.length === 0) assert.ok(r.ok, `psql should connect: ${r.out}`);
        else {
          assert.ok(!r.ok, `psql should fail: ${r.out}`);
          assert.match(r.out, c.psql!);
        }
      });
    }
  },
);

/** Server-side rules: the same workspace postgresql.conf is what the server starts with. */
test(
  'postgres server: the key and pg_hba.conf rules ⇔ the server refuses to start',
  { skip: !have && 'postgresql-15 is not installed' },
  async (t) => {
    const srvCases: { name: string; setup: (dir: string) => void; expect: string[]; log?: RegExp; hba?: string; connects?: false }[] = [
      { name: 'key 0600 owned by the database user', setup: () => {}, expect: [] },
      {
        name: 'key 0640 owned by the database user',
        setup: (d) => fs.chmodSync(path.join(d, 'server.key'), 0o640),
        expect: ['pg-server-key-permissions'],
        log: /private key file ".*server.key" has group or world access/,
      },
      {
        name: 'key owned by another user than the one the server runs as',
        setup: (d) => {
          if (root) fs.chownSync(path.join(d, 'server.key'), 1000, 1000);
        },
        expect: root ? ['pg-server-key-owner'] : [],
        log: /private key file ".*server.key" must be owned by the database user or root/,
      },
      {
        name: 'key of another certificate',
        setup: (d) => {
          fs.writeFileSync(path.join(d, 'server.key'), otherClient.keyPem);
          own(path.join(d, 'server.key'), 0o600);
        },
        expect: ['pg-server-key-mismatch'],
        log: /could not load private key file ".*server.key": key values mismatch/,
      },
      {
        name: 'pg_hba.conf asks for client certificates, no ssl_ca_file',
        setup: () => {},
        hba: 'local all all trust\nhostssl all all 127.0.0.1/32 cert\n',
        connects: false,
        expect: ['pg-hba-cert-without-ca'],
        log: /client certificates can only be checked if a root certificate store is available/,
      },
    ];
    for (const c of srvCases) {
      await t.test(c.name, async () => {
        const dir = fs.mkdtempSync(path.join(base, 'srvws-'));
        const srv = serverFiles(dir);
        c.setup(dir);
        const flags = ['-c', 'ssl=on', '-c', `ssl_cert_file=${srv.cert}`, '-c', `ssl_key_file=${srv.key}`];
        let conf = `ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n`;
        if (c.hba) {
          const hba = path.join(dir, 'pg_hba.conf');
          fs.writeFileSync(hba, c.hba);
          own(hba, 0o644);
          flags.push('-c', `hba_file=${hba}`);
        } else {
          conf += `ssl_ca_file = 'ca.crt'\n`;
          flags.push('-c', `ssl_ca_file=${srv.ca}`);
        }
        fs.writeFileSync(path.join(dir, 'postgresql.conf'), conf);
        // As in a data directory: postgresql.conf belongs to the user the server runs as.
        own(path.join(dir, 'postgresql.conf'), 0o600);
        const svc = new LanguageService(new Workspace([dir], { ...DEFAULT_SETTINGS }), {});
        const p = path.join(dir, 'postgresql.conf');
        const got = svc.validate({ path: p, uri: URI.file(p).toString(), text: conf }).map((x) => String(x.code));
        assert.deepEqual(got, c.expect);
        const r = await serverStartLog(flags);
        if (c.expect.length === 0) assert.ok(r.started && r.psql === 'ok', r.log + r.psql);
        else if (c.connects === false) {
          // The server starts; every connection the line matches fails.
          assert.ok(r.started, r.log);
          assert.match(r.psql ?? '', c.log!);
        } else {
          assert.ok(!r.started, `the server should refuse to start: ${r.log}`);
          assert.match(r.log, c.log!);
        }
      });
    }
  },
);

/** "Generate TLS certs" with the Postgres layout: the CLI's set, wired as postgresWiring says, connects with cert auth. */
test(
  'postgres layout: the generated set starts the server and psql connects with cert auth as the CN user',
  { skip: !have && 'postgresql-15 is not installed' },
  async () => {
    const dir = fs.mkdtempSync(path.join(base, 'gen-'));
    fs.chmodSync(dir, 0o755);
    const cli = path.resolve(__dirname, '../../dist/cli.js');
    const g = spawnSync(
      process.execPath,
      [cli, 'generate', '--out', path.join(dir, 'certs'), '--name', 'localhost', '--layout', 'postgres', '--db-user', 'certuser'],
      { encoding: 'utf8' },
    );
    assert.equal(g.status, 0, g.stderr);
    assert.deepEqual(fs.readdirSync(path.join(dir, 'certs')).sort(), [
      'ca.key',
      'postgresql.crt',
      'postgresql.key',
      'root.crt',
      'server.crt',
      'server.key',
    ]);
    for (const k of ['server.key', 'postgresql.key']) assert.equal(fs.statSync(path.join(dir, 'certs', k)).mode & 0o777, 0o600, k);
    // The server's copy belongs to the user it runs as (the wiring says chown 999 for the official image).
    const srv = path.join(dir, 'srv');
    fs.mkdirSync(srv);
    for (const f of ['server.crt', 'server.key', 'root.crt']) {
      fs.copyFileSync(path.join(dir, 'certs', f), path.join(srv, f));
      own(path.join(srv, f), f.endsWith('.key') ? 0o600 : 0o644);
    }
    own(srv, 0o755);
    const hba = path.join(srv, 'pg_hba.conf');
    fs.writeFileSync(hba, 'local all all trust\nhostssl all all 127.0.0.1/32 cert\n');
    own(hba, 0o644);
    const w = postgresWiring({ certDir: 'certs', host: 'localhost', dbUser: 'certuser', db: 'postgres', mutual: true });
    const dataDir = path.join(base, `data-gen`);
    fs.cpSync(template, dataDir, { recursive: true });
    spawnSync('chown', ['-R', '65534:65534', dataDir]);
    const p = await freePort();
    const s = startServer(dataDir, [
      '-c',
      `port=${p}`,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${dataDir}`,
      '-c',
      `hba_file=${hba}`,
      '-c',
      'ssl=on',
      '-c',
      `ssl_cert_file=${srv}/server.crt`,
      '-c',
      `ssl_key_file=${srv}/server.key`,
      '-c',
      `ssl_ca_file=${srv}/root.crt`,
    ]);
    try {
      assert.match(await s.ready, /ready to accept connections/);
      spawnSync(PSQL, ['-h', dataDir, '-p', String(p), '-U', 'postgres', '-d', 'postgres', '-c', 'CREATE USER certuser'], {
        encoding: 'utf8',
      });
      const uri = w.envUri.replace('DATABASE_URL=', '').replace(':5432/', `:${p}/`);
      fs.writeFileSync(path.join(dir, '.env'), `DATABASE_URL=${uri}\n`);
      assert.deepEqual(check(dir, path.join(dir, 'home')), [], 'the wired .env is clean');
      const r = psql(dir, uri, path.join(dir, 'home'));
      assert.ok(r.ok, r.out);
    } finally {
      if (s.child.exitCode === null) s.child.kill('SIGINT');
      await new Promise((r) => (s.child.exitCode !== null ? r(null) : s.child.on('exit', r)));
    }
  },
);

/**
 * The wizard's Postgres wiring as an edit (targets/postgres/wire.ts) applied to a compose project:
 * the server started with exactly the `-c` flags the edited compose file gives (container paths
 * mapped back through its mount, files chowned as the summary tells), and psql connects with
 * the URI the edited .env holds, authenticated by the client certificate.
 */
test(
  'postgres wiring edit: the wired compose flags start the server and the wired .env URI connects with cert auth',
  { skip: !have && 'postgresql-15 is not installed' },
  async () => {
    const dir = fs.mkdtempSync(path.join(base, 'wired-'));
    fs.chmodSync(dir, 0o755);
    const composePath = path.join(dir, 'docker-compose.yml');
    fs.writeFileSync(
      composePath,
      'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: certuser\n      POSTGRES_DB: postgres\n    ports:\n      - "5433:5432"\n',
    );
    const ws = new Workspace([dir], { ...DEFAULT_SETTINGS });
    const certDir = path.join(dir, 'tls');
    await generate({ out: certDir, options: { names: ['localhost'], layout: 'postgres', clientCommonName: 'certuser' } }, ws);
    const plan = planPostgresWiring({ certDir, mode: 2, composePath }, ws, {});
    applyWorkspaceEdit(plan.edit);
    const wired = fs.readFileSync(composePath, 'utf8');
    const svc = parsePgCompose(wired).find((s) => s.name === 'db')!;
    const mounts = loadComposeModel(composePath, new Workspace([dir], { ...DEFAULT_SETTINGS }), {})!.model.services[0].volumes;
    const srv = path.join(dir, 'srv');
    fs.mkdirSync(srv);
    own(srv, 0o755);
    const flags: string[] = [];
    for (const [k, f] of svc.flags) {
      let v = f.value.value;
      if (k.endsWith('_file')) {
        // What the container sees through the wired mount, owned by the server's user as the summary says.
        const host = containerToHost(v, mounts).hostPath;
        assert.ok(host && fs.existsSync(host), `${k}=${v} reaches a generated file through the mount`);
        v = path.join(srv, path.basename(host));
        fs.copyFileSync(host, v);
        own(v, k === 'ssl_key_file' ? 0o600 : 0o644);
      }
      flags.push('-c', `${k}=${v}`);
    }
    assert.deepEqual([...svc.flags.keys()], ['ssl', 'ssl_cert_file', 'ssl_key_file', 'ssl_ca_file']);
    const hba = path.join(srv, 'pg_hba.conf');
    fs.writeFileSync(hba, 'local all all trust\nhostssl all all 127.0.0.1/32 cert\n');
    own(hba, 0o644);
    const dataDir = path.join(base, 'data-wired');
    fs.cpSync(template, dataDir, { recursive: true });
    spawnSync('chown', ['-R', '65534:65534', dataDir]);
    const p = await freePort();
    const s = startServer(dataDir, [
      '-c',
      `port=${p}`,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${dataDir}`,
      '-c',
      `hba_file=${hba}`,
      ...flags,
    ]);
    try {
      assert.match(await s.ready, /ready to accept connections/);
      spawnSync(PSQL, ['-h', dataDir, '-p', String(p), '-U', 'postgres', '-d', 'postgres', '-c', 'CREATE USER certuser'], {
        encoding: 'utf8',
      });
      const env = fs.readFileSync(path.join(dir, '.env'), 'utf8');
      const uri = /^DATABASE_URL=(\S+)$/m.exec(env)![1];
      assert.match(
        uri,
        /^postgresql:\/\/certuser@localhost:5433\/postgres\?sslmode=verify-full&sslrootcert=tls\/root\.crt&sslcert=tls\/postgresql\.crt&sslkey=tls\/postgresql\.key$/,
      );
      // The published port stands for the container's 5432; here the server listens on a free port.
      const r = psql(dir, uri.replace(':5433/', `:${p}/`), path.join(dir, 'home'));
      assert.ok(r.ok, r.out);
    } finally {
      if (s.child.exitCode === null) s.child.kill('SIGINT');
      await new Promise((r) => (s.child.exitCode !== null ? r(null) : s.child.on('exit', r)));
    }
  },
);
