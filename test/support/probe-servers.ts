/**
 * Servers on 127.0.0.1 for the connection tester's tests: `openssl s_server`
 * (each started once per test file and stopped by pid), a plaintext listener,
 * a port nothing listens on, and the CLI run asynchronously (the plaintext
 * listener lives in the test process, so the CLI must not block it).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';

const CLI = path.join(__dirname, '../../dist/cli.js');

export interface Stoppable {
  port: number;
  pid?: number;
  stop(): Promise<void>;
}

function stopChild(c: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (c.pid === undefined || c.exitCode !== null || c.signalCode !== null) return resolve();
    c.once('close', () => resolve());
    try {
      process.kill(-c.pid, 'SIGKILL');
    } catch {
      try {
        c.kill('SIGKILL');
      } catch {
        resolve();
      }
    }
  });
}

/** `openssl s_server -verify_return_error` on a free port; `verify` makes a client certificate mandatory. */
export function startOpenssl(o: { cert: string; key: string; ca?: string; verify?: boolean; version: '1.2' | '1.3' }): Promise<Stoppable> {
  const args = ['s_server', '-accept', '127.0.0.1:0', '-cert', o.cert, '-key', o.key, `-tls1_${o.version === '1.2' ? '2' : '3'}`];
  if (o.ca) args.push('-CAfile', o.ca);
  if (o.verify) args.push('-Verify', '1', '-verify_return_error');
  // stdin stays open (a pipe): s_server closes a connection when its stdin ends.
  const child = spawn('openssl', args, { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`openssl s_server did not start: ${out}`)), 10_000);
    child.stdout!.on('data', (d) => {
      out += String(d);
      const m = /ACCEPT [^\n]*:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ port: Number(m[1]), pid: child.pid, stop: () => stopChild(child) });
      }
    });
    child.stderr!.on('data', (d) => (out += String(d)));
    child.once('error', reject);
  });
}

/** A listener that answers like a plaintext server: an HTTP/2 SETTINGS frame (gRPC without TLS) and a close. */
export function startPlaintext(reply = Buffer.from([0, 0, 6, 4, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0x40, 0])): Promise<Stoppable> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    s.once('data', () => s.end(reply));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        stop: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      }),
    ),
  );
}

/** A port that nothing listens on (bound, then released). */
export function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export function cli(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      const status = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ status, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}
