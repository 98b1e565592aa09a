/**
 * Real-TLS test harness: asks Go's crypto/tls (what Milvus runs) and Node's
 * OpenSSL-based TLS (a stand-in for a pymilvus-like client) whether they
 * accept a certificate set.
 *
 *   const r = await goHandshake(pemsFromSet(files), 'localhost', 2);
 *   assert.ok(r.ok, r.serverError ?? r.clientError);
 *
 * The Go helper (test/support/go-tls/) uses the standard library only and is
 * built once per source hash into os.tmpdir(); no network is needed.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';

const SRC_DIR = path.join(__dirname, 'go-tls');
const TIMEOUT_MS = 15_000;

export type TlsMode = 1 | 2;

/** PEM texts of one set. */
export interface CertPems {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert?: string;
  clientKey?: string;
}

/** Picks the PEMs out of a generated set ({ name, contents }[]); `ca` may come from elsewhere when a CA was reused. */
export function pemsFromSet(files: ReadonlyArray<{ name: string; contents: string }>, ca?: string): CertPems {
  const get = (n: string) => files.find((f) => f.name === n)?.contents;
  const caPem = ca ?? get('ca.pem');
  const serverCert = get('server.pem');
  const serverKey = get('server.key');
  if (!caPem || !serverCert || !serverKey) throw new Error('pemsFromSet: the set lacks ca.pem, server.pem or server.key');
  return { ca: caPem, serverCert, serverKey, clientCert: get('client.pem'), clientKey: get('client.key') };
}

// ---------------------------------------------------------------- build

let built: Promise<string> | undefined;

/** Builds the Go helper once (per source hash) and returns the binary's path. */
export function buildGoTls(): Promise<string> {
  built ??= build();
  return built;
}

async function build(): Promise<string> {
  const sources = readdirSync(SRC_DIR)
    .filter((f) => f.endsWith('.go') || f === 'go.mod')
    .sort();
  const hash = createHash('sha256');
  for (const f of sources)
    hash
      .update(f)
      .update('\0')
      .update(readFileSync(path.join(SRC_DIR, f)))
      .update('\0');
  const root = path.join(os.tmpdir(), 'milvus-tls-gotls');
  const exe = path.join(root, `gotls-${hash.digest('hex').slice(0, 16)}${process.platform === 'win32' ? '.exe' : ''}`);
  if (existsSync(exe)) return exe;
  mkdirSync(root, { recursive: true });
  // Build to a private name, then rename: test files run in parallel processes.
  const tmp = `${exe}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const env = {
    ...process.env,
    GOFLAGS: '-mod=mod',
    GOCACHE: path.join(root, 'gocache'),
    GOPATH: path.join(root, 'gopath'),
    GOPROXY: 'off',
    GOTOOLCHAIN: 'local',
    GOTELEMETRY: 'off',
    CGO_ENABLED: '0',
  };
  await run('go', ['build', '-trimpath', '-o', tmp, '.'], { cwd: SRC_DIR, env, timeout: 180_000 });
  renameSync(tmp, exe);
  return exe;
}

function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeout: number },
): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { ...opts, killSignal: 'SIGKILL', maxBuffer: 8 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      if (err && code === -1) return reject(new Error(`${cmd} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      if (err && cmd === 'go') return reject(new Error(`go build failed:\n${stderr}`));
      resolve({ stdout: String(stdout), stderr: String(stderr), code });
    });
  });
}

// ---------------------------------------------------------------- files

/** Writes PEMs into a fresh private folder; `cleanup()` removes it. */
export function writePems(p: CertPems): { dir: string; files: Record<keyof CertPems, string | undefined>; cleanup(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'milvus-tls-hs-'));
  const put = (name: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    const f = path.join(dir, name);
    writeFileSync(f, text, { mode: 0o600 });
    return f;
  };
  return {
    dir,
    files: {
      ca: put('ca.pem', p.ca),
      serverCert: put('server.pem', p.serverCert),
      serverKey: put('server.key', p.serverKey),
      clientCert: put('client.pem', p.clientCert),
      clientKey: put('client.key', p.clientKey),
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

// ---------------------------------------------------------------- server

export interface HandshakeOutcome {
  ok: boolean;
  error?: string;
  /** Subject of the client certificate the server saw (mode 2). */
  peer?: string;
}

export interface GoServer {
  port: number;
  /** The server's verdict on the next connection (in order of arrival). */
  result(timeoutMs?: number): Promise<HandshakeOutcome>;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) killGroup(c);
});

function killGroup(c: ChildProcess): void {
  if (c.pid === undefined || c.exitCode !== null || c.signalCode !== null) return;
  try {
    if (process.platform === 'win32') c.kill('SIGKILL');
    else process.kill(-c.pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

/**
 * Starts the Go server. Rejects with `LOADERROR <go error>` text when Go
 * refuses the certificate, key or CA (as Milvus would at startup).
 */
export async function startGoServer(o: {
  cert: string;
  key: string;
  ca?: string;
  mode: TlsMode;
  /** ALPN protocols to offer (the Milvus proxy: ['h2']). */
  alpn?: string[];
  /** Refuse anything below TLS 1.3. */
  tls13?: boolean;
}): Promise<GoServer> {
  const exe = await buildGoTls();
  const args = ['-cert', o.cert, '-key', o.key, '-mode', String(o.mode)];
  if (o.ca) args.push('-ca', o.ca);
  if (o.alpn?.length) args.push('-alpn', o.alpn.join(','));
  if (o.tls13) args.push('-tls13');
  const child = spawn(exe, args, { stdio: ['pipe', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
  live.add(child);
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  exited.then(() => live.delete(child));

  const outcomes: HandshakeOutcome[] = [];
  const waiters: Array<(r: HandshakeOutcome) => void> = [];
  const push = (r: HandshakeOutcome) => {
    const w = waiters.shift();
    if (w) w(r);
    else outcomes.push(r);
  };
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Go TLS server did not start in time')), TIMEOUT_MS);
    let buf = '';
    child.stdout!.on('data', (d) => {
      buf += String(d);
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const [kind, ...rest] = line.split(' ');
        const text = rest.join(' ');
        if (kind === 'LISTENING') {
          clearTimeout(timer);
          resolve(Number(text));
        } else if (kind === 'LOADERROR') {
          clearTimeout(timer);
          reject(new Error(`LOADERROR ${text}`));
        } else if (kind === 'HANDSHAKEOK') push({ ok: true, peer: text === '-' ? undefined : text });
        else if (kind === 'HANDSHAKEERROR') push({ ok: false, error: text });
      }
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    // 'close', not 'exit': stdout (with a LOADERROR line) may still be unread at 'exit'.
    child.once('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`Go TLS server exited with ${code}${stderr ? `: ${stderr}` : ''}`));
    });
  }).catch(async (e) => {
    killGroup(child);
    await exited;
    throw e;
  });

  return {
    port,
    result(timeoutMs = TIMEOUT_MS) {
      const ready = outcomes.shift();
      if (ready) return Promise.resolve(ready);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          const i = waiters.indexOf(done);
          if (i >= 0) waiters.splice(i, 1);
          resolve({ ok: false, error: 'no handshake result from the Go server (timeout)' });
        }, timeoutMs);
        const done = (r: HandshakeOutcome) => {
          clearTimeout(timer);
          resolve(r);
        };
        waiters.push(done);
      });
    },
    async stop() {
      child.stdin!.end();
      killGroup(child);
      await exited;
    },
  };
}

// ---------------------------------------------------------------- clients

/** Dials with Go's crypto/tls: how a Go client (and, for client certs, the Go server) judges certificates. */
export async function goDial(o: {
  port: number;
  serverName: string;
  ca: string;
  cert?: string;
  key?: string;
}): Promise<{ ok: boolean; error?: string }> {
  const exe = await buildGoTls();
  const args = ['-client', '-addr', `127.0.0.1:${o.port}`, '-servername', o.serverName, '-ca', o.ca];
  if (o.cert) args.push('-cert', o.cert, '-key', o.key ?? '');
  const r = await run(exe, args, { timeout: TIMEOUT_MS });
  const line = r.stdout.split('\n').find((l) => /^(HANDSHAKEOK|HANDSHAKEERROR|LOADERROR)/.test(l));
  if (!line) return { ok: false, error: `no verdict from the Go client (exit ${r.code}) ${r.stderr}`.trim() };
  if (line.startsWith('HANDSHAKEOK')) return { ok: true };
  return { ok: false, error: line };
}

/**
 * Node's TLS client (OpenSSL), configured like pymilvus' gRPC channel: trust
 * only `ca`, verify `serverName` with the default identity check, present
 * the client certificate when given.
 */
export function nodeDial(o: {
  port: number;
  serverName: string;
  ca: string;
  cert?: string;
  key?: string;
}): Promise<{ ok: boolean; error?: string }> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (r: { ok: boolean; error?: string }) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(r);
    };
    const socket = tls.connect({
      host: '127.0.0.1',
      port: o.port,
      // SNI may not carry an IP address (RFC 6066); the identity check still uses serverName.
      servername: isIP(o.serverName) ? undefined : o.serverName,
      ca: o.ca,
      cert: o.cert,
      key: o.key,
      checkServerIdentity: (_host, cert) => tls.checkServerIdentity(o.serverName, cert),
    });
    socket.setTimeout(TIMEOUT_MS, () => finish({ ok: false, error: 'timeout' }));
    let data = '';
    socket.on('data', (d) => {
      data += String(d);
      if (data.includes('\n')) finish(data === 'ok\n' ? { ok: true } : { ok: false, error: `unexpected reply ${JSON.stringify(data)}` });
    });
    socket.on('error', (e) => finish({ ok: false, error: `${(e as NodeJS.ErrnoException).code ?? ''} ${e.message}`.trim() }));
    socket.on('end', () => finish({ ok: false, error: 'connection closed by the server' }));
  });
}

export interface GoHandshakeResult {
  ok: boolean;
  /** Why the Go server refused (load or handshake), if it did. */
  serverError?: string;
  /** Why the client refused or failed, if it did. */
  clientError?: string;
}

/**
 * One full handshake: Go server configured as Milvus with `mode`, and a client
 * (`node`, default: pymilvus-like; or `go`) dialling with `serverName`.
 */
export async function goHandshake(
  pems: CertPems,
  serverName: string,
  mode: TlsMode,
  opts: { client?: 'node' | 'go' } = {},
): Promise<GoHandshakeResult> {
  const w = writePems(pems);
  let server: GoServer | undefined;
  try {
    try {
      server = await startGoServer({ cert: w.files.serverCert!, key: w.files.serverKey!, ca: mode === 2 ? w.files.ca : undefined, mode });
    } catch (e) {
      return { ok: false, serverError: (e as Error).message };
    }
    const dial = { port: server.port, serverName };
    const client =
      opts.client === 'go'
        ? await goDial({ ...dial, ca: w.files.ca!, cert: w.files.clientCert, key: w.files.clientKey })
        : await nodeDial({ ...dial, ca: pems.ca, cert: pems.clientCert, key: pems.clientKey });
    // A client that gave up before the server finished still produces a server line (EOF / bad certificate).
    const verdict = await server.result(client.ok ? TIMEOUT_MS : 3_000);
    const r: GoHandshakeResult = { ok: client.ok && verdict.ok };
    if (!verdict.ok) r.serverError = verdict.error;
    if (!client.ok) r.clientError = client.error;
    return r;
  } finally {
    await server?.stop();
    w.cleanup();
  }
}
