/**
 * Issue 16 against a real PostgreSQL (Debian's postgresql-15) with ssl=on:
 * the SSLRequest before the handshake, good and wrong-CA cases, and what a
 * TLS ClientHello without the SSLRequest gets. initdb in a temp folder, the
 * server on 127.0.0.1, started once for this file and stopped by pid; as root
 * (CI) it runs as `nobody` through setpriv, since PostgreSQL refuses root.
 * Skipped when PostgreSQL is not installed.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeCa, makeLeaf, EKU } from '../support/certs';
import { cli, closedPort } from '../support/probe-servers';
import type { ProbeResult } from '../../server/src/probe/types';

const BIN = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'].find((d) =>
  fs.existsSync(path.join(d, 'postgres')),
);
const root = process.getuid?.() === 0;
const skip = !BIN
  ? 'PostgreSQL is not installed (apt-get install postgresql-15)'
  : root && !fs.existsSync('/usr/bin/setpriv')
    ? 'setpriv missing'
    : false;
const NOBODY = 65534;

let dir: string;
let pg: ChildProcess | undefined;
let port: number;

function asUser(cmd: string, args: string[]): [string, string[]] {
  return root ? ['setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', cmd, ...args]] : [cmd, args];
}

before(async () => {
  if (skip) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-pg-'));
  fs.chmodSync(dir, 0o755);
  const ca = await makeCa('PG Probe CA');
  const other = await makeCa('Other CA');
  const leaf = await makeLeaf(ca, { cn: 'localhost', sans: ['localhost', '127.0.0.1'], eku: [EKU.serverAuth] });
  fs.writeFileSync(path.join(dir, 'ca.pem'), ca.certPem);
  fs.writeFileSync(path.join(dir, 'other-ca.pem'), other.certPem);
  const data = path.join(dir, 'data');
  fs.mkdirSync(data, { mode: 0o700 });
  if (root) fs.chownSync(data, NOBODY, NOBODY);
  const [cmd, args] = asUser(path.join(BIN!, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const init = spawnSync(cmd, args, { encoding: 'utf8', cwd: dir, timeout: 120_000 });
  assert.equal(init.status, 0, `initdb failed: ${init.stdout}\n${init.stderr}`);
  for (const [name, text] of [
    ['server.crt', leaf.certPem],
    ['server.key', leaf.keyPem],
  ]) {
    const f = path.join(data, name);
    fs.writeFileSync(f, text, { mode: 0o600 });
    if (root) fs.chownSync(f, NOBODY, NOBODY);
  }
  port = await closedPort();
  const [pcmd, pargs] = asUser(path.join(BIN!, 'postgres'), [
    '-D',
    data,
    '-c',
    'ssl=on',
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    `port=${port}`,
    '-c',
    `unix_socket_directories=${data}`,
    '-c',
    'fsync=off',
  ]);
  pg = spawn(pcmd, pargs, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  await new Promise<void>((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`postgres did not start: ${log}`)), 60_000);
    const on = (d: Buffer) => {
      log += String(d);
      if (/ready to accept connections/.test(log)) {
        clearTimeout(timer);
        resolve();
      }
    };
    pg!.stdout!.on('data', on);
    pg!.stderr!.on('data', on);
    pg!.once('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`postgres exited with ${code}: ${log}`));
    });
  });
});

after(async () => {
  if (pg?.pid !== undefined && pg.exitCode === null) {
    const closed = new Promise((r) => pg!.once('close', r));
    // SIGINT: PostgreSQL's fast shutdown; the process group, so setpriv's child goes too.
    process.kill(-pg.pid, 'SIGINT');
    const t = setTimeout(() => pg?.pid !== undefined && process.kill(-pg.pid, 'SIGKILL'), 10_000);
    await closed;
    clearTimeout(t);
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function probe(...args: string[]): Promise<{ status: number; r: ProbeResult }> {
  const out = await cli('probe', `127.0.0.1:${port}`, ...args, '--format', 'json', '--timeout', '8000');
  try {
    return { status: out.status, r: JSON.parse(out.stdout) as ProbeResult };
  } catch {
    throw new Error(`no JSON (exit ${out.status}): ${out.stdout}\n${out.stderr}`);
  }
}

test('PostgreSQL ssl=on: the SSLRequest, then a verified handshake', { skip }, async () => {
  const { status, r } = await probe('--protocol', 'postgres', '--ca', path.join(dir, 'ca.pem'), '--servername', 'localhost');
  assert.equal(status, 0, JSON.stringify(r.findings));
  assert.equal(r.ok, true);
  assert.match(r.protocol!, /^TLSv1\.[23]$/);
  assert.equal(r.chain[0].subject, 'CN=localhost');
  assert.match(r.openssl, /-starttls postgres/);
});

test('PostgreSQL ssl=on, wrong CA: the server certificate does not verify', { skip }, async () => {
  const { status, r } = await probe('--protocol', 'postgres', '--ca', path.join(dir, 'other-ca.pem'), '--servername', 'localhost');
  assert.equal(status, 1);
  assert.deepEqual(
    r.findings.map((f) => f.code),
    ['probe-server-cert-untrusted'],
  );
  assert.match(r.error!, /issued by CN=PG Probe CA; other-ca\.pem holds CN=Other CA/);
});

test('PostgreSQL 15 and a direct TLS ClientHello (sslnegotiation=direct, ALPN postgresql): closed, explained', { skip }, async () => {
  const { status, r } = await probe('--protocol', 'postgres-direct', '--ca', path.join(dir, 'ca.pem'), '--servername', 'localhost');
  assert.equal(status, 1);
  assert.deepEqual(r.target.alpnOffered, ['postgresql']);
  assert.deepEqual(
    r.findings.map((f) => f.code),
    ['probe-handshake-closed'],
  );
  assert.match(
    r.error!,
    /PostgreSQL before 17 closes the connection on a direct TLS ClientHello \(sslnegotiation=direct\): use the SSLRequest/,
  );
});
