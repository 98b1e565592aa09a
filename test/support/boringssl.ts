/**
 * A gRPC C-core-like TLS client on BoringSSL (what pymilvus runs from PyPI wheels), for tests:
 *
 *   const r = await boringDial({ port, serverName: 'localhost', ca: caPem });
 *   assert.equal(r.ok, false, r.error);
 *
 * test/support/boringssl-client/client.c is compiled once per source hash into os.tmpdir()
 * against Debian's BoringSSL (android-libboringssl-dev: headers in /usr/include/android,
 * libraries in /usr/lib/<triplet>/android). One client process serves every dial of a test
 * file, one stdin line per dial, so a few hundred dials cost no process spawns.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const SOURCE = path.join(__dirname, 'boringssl-client', 'client.c');
const INCLUDE = '/usr/include/android';
const TIMEOUT_MS = 20_000;

function libDir(): string {
  const arch = process.arch === 'arm64' ? 'aarch64-linux-gnu' : 'x86_64-linux-gnu';
  return `/usr/lib/${arch}/android`;
}

let built: Promise<string> | undefined;

/** Compiles the client once (per source hash) and returns the binary's path. */
export function buildBoringClient(): Promise<string> {
  built ??= build();
  return built;
}

async function build(): Promise<string> {
  const lib = libDir();
  if (!existsSync(path.join(INCLUDE, 'openssl', 'ssl.h')) || !existsSync(path.join(lib, 'libssl.so'))) {
    throw new Error(
      `BoringSSL is not installed (${INCLUDE}/openssl/ssl.h, ${lib}/libssl.so): apt-get install android-libboringssl-dev (.ci/run installs it)`,
    );
  }
  const source = readFileSync(SOURCE);
  const hash = createHash('sha256').update(source).update(lib).digest('hex').slice(0, 16);
  const root = path.join(os.tmpdir(), 'milvus-tls-boringssl');
  const exe = path.join(root, `boringssl-client-${hash}`);
  if (existsSync(exe)) return exe;
  mkdirSync(root, { recursive: true });
  // Build to a private name, then rename: test files run in parallel processes.
  const tmp = `${exe}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const args = ['-O1', '-Wall', '-o', tmp, SOURCE, `-I${INCLUDE}`, `-L${lib}`, `-Wl,-rpath,${lib}`, '-lssl', '-lcrypto'];
  await new Promise<void>((resolve, reject) =>
    execFile('gcc', args, { timeout: 120_000 }, (err, _stdout, stderr) =>
      err ? reject(new Error(`building the BoringSSL client failed (gcc ${args.join(' ')}): ${err.message}\n${stderr}`)) : resolve(),
    ),
  );
  renameSync(tmp, exe);
  return exe;
}

export interface BoringOutcome {
  ok: boolean;
  /** BoringSSL's error string, the verify error, or gRPC's ALPN / peer-name refusal. */
  error?: string;
}

interface Pending {
  resolve(r: BoringOutcome): void;
}

let client: { child: ChildProcess; pending: Pending[] } | undefined;

process.once('exit', () => client?.child.kill('SIGKILL'));

async function batchClient(): Promise<{ child: ChildProcess; pending: Pending[] }> {
  if (client && client.child.exitCode === null && client.child.signalCode === null) return client;
  const exe = await buildBoringClient();
  const child = spawn(exe, ['-batch'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const c = { child, pending: [] as Pending[] };
  let buf = '';
  child.stdout!.on('data', (d) => {
    buf += String(d);
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      const p = c.pending.shift();
      p?.resolve(line === 'OK' ? { ok: true } : { ok: false, error: line.replace(/^FAIL /, '') });
    }
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  child.once('close', (code) => {
    for (const p of c.pending.splice(0)) p.resolve({ ok: false, error: `the BoringSSL client exited (${code}) ${stderr}`.trim() });
    if (client === c) client = undefined;
  });
  // The client waits on stdin only between dials; it must not keep a finished test alive.
  child.unref();
  (child.stdin as unknown as { unref?(): void }).unref?.();
  (child.stdout as unknown as { unref?(): void }).unref?.();
  (child.stderr as unknown as { unref?(): void }).unref?.();
  client = c;
  return c;
}

/** Dials 127.0.0.1:port with files already on disk (paths). */
export async function boringDialFiles(o: {
  port: number;
  serverName: string;
  caFile: string;
  certFile?: string;
  keyFile?: string;
}): Promise<BoringOutcome> {
  for (const v of [o.serverName, o.caFile, o.certFile ?? '', o.keyFile ?? ''])
    if (/[\t\n\r]/.test(v)) throw new Error(`boringDial: tab or newline in ${JSON.stringify(v)}`);
  const c = await batchClient();
  return new Promise<BoringOutcome>((resolve) => {
    const timer = setTimeout(() => {
      resolve({ ok: false, error: 'no answer from the BoringSSL client (timeout)' });
      // Later answers would pair with the wrong dials: start a fresh client for the next one.
      c.child.kill('SIGKILL');
    }, TIMEOUT_MS);
    c.pending.push({
      resolve: (r) => {
        clearTimeout(timer);
        resolve(r);
      },
    });
    c.child.stdin!.write([o.port, o.serverName, o.caFile, o.certFile ?? '', o.keyFile ?? ''].join('\t') + '\n');
  });
}

/**
 * Dials like a gRPC C-core channel with ssl_channel_credentials(root_certificates=ca,
 * private_key=key, certificate_chain=cert) and the target name `serverName`.
 */
export async function boringDial(o: { port: number; serverName: string; ca: string; cert?: string; key?: string }): Promise<BoringOutcome> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'milvus-tls-boring-'));
  try {
    const put = (name: string, text: string | undefined) => {
      if (text === undefined) return undefined;
      const f = path.join(dir, name);
      writeFileSync(f, text, { mode: 0o600 });
      return f;
    };
    return await boringDialFiles({
      port: o.port,
      serverName: o.serverName,
      caFile: put('ca.pem', o.ca)!,
      certFile: put('client.pem', o.cert),
      keyFile: put('client.key', o.key),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
