/**
 * Debian's nginx as the oracle: `nginx -t` on a generated config, and a real
 * nginx on 127.0.0.1 (temp prefix, its own pid and error log, stopped by pid)
 * to handshake with. Certificates are made with the openssl CLI, the same
 * OpenSSL 3 nginx links.
 */
import { execFileSync, spawnSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as tls from 'node:tls';

export const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => fs.existsSync(p));

function ossl(cwd: string, args: string[]): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

export interface Pki {
  dir: string;
  /** PEM text by name: root.crt, int.crt, leaf.crt, leaf.key, other.key, … */
  pem: Record<string, string>;
}

const EXT = `[ca]
basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
[leaf]
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=DNS:localhost,DNS:www.example.test,IP:127.0.0.1
[client]
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth
`;

function key(dir: string, name: string, rsaBits?: number): void {
  ossl(
    dir,
    rsaBits
      ? ['genpkey', '-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${rsaBits}`, '-out', name]
      : ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', name],
  );
}

function issue(dir: string, name: string, cn: string, ca: string, ext: string, rsaBits?: number): void {
  key(dir, `${name}.key`, rsaBits);
  ossl(dir, ['req', '-new', '-key', `${name}.key`, '-subj', `/CN=${cn}`, '-out', `${name}.csr`]);
  ossl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.crt`,
    '-CAkey',
    `${ca}.key`,
    '-set_serial',
    String(Math.floor(Math.random() * 1e9)),
    '-days',
    '90',
    '-extfile',
    'ext.cnf',
    '-extensions',
    ext,
    '-out',
    `${name}.crt`,
  ]);
}

/** Root → intermediate → leaf (localhost, www.example.test, 127.0.0.1); int → int2 → client; a stray key; an RSA-1024 leaf. */
export function makePki(dir: string): Pki {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'ext.cnf'), EXT);
  key(dir, 'root.key');
  ossl(dir, [
    'req',
    '-x509',
    '-new',
    '-key',
    'root.key',
    '-subj',
    '/CN=Test Root',
    '-days',
    '90',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-out',
    'root.crt',
  ]);
  issue(dir, 'int', 'Test Intermediate', 'root', 'ca');
  issue(dir, 'leaf', 'localhost', 'int', 'leaf');
  issue(dir, 'int2', 'Test Intermediate 2', 'int', 'ca');
  issue(dir, 'client', 'client', 'int2', 'client');
  issue(dir, 'weak', 'localhost', 'root', 'leaf', 1024);
  key(dir, 'other.key');
  const pem: Record<string, string> = {};
  for (const n of fs.readdirSync(dir)) if (/\.(crt|key)$/.test(n)) pem[n] = fs.readFileSync(path.join(dir, n), 'utf8');
  return { dir, pem };
}

/** The main nginx.conf around one or more conf.d files, with every path inside the prefix. */
export function mainConf(prefix: string, include = 'conf.d/*.conf'): string {
  return `events {}
http {
    access_log off;
    client_body_temp_path ${prefix}/tmp/body;
    proxy_temp_path ${prefix}/tmp/proxy;
    fastcgi_temp_path ${prefix}/tmp/fastcgi;
    uwsgi_temp_path ${prefix}/tmp/uwsgi;
    scgi_temp_path ${prefix}/tmp/scgi;
    include ${include};
}
`;
}

function globals(prefix: string, daemonOff = false): string {
  return `${daemonOff ? 'daemon off; ' : ''}pid ${prefix}/nginx.pid; error_log ${prefix}/error.log;`;
}

/** `nginx -t`: ok, and what it printed (its [emerg] line when it fails). */
export function nginxTest(prefix: string, conf = 'nginx.conf'): { ok: boolean; output: string } {
  fs.mkdirSync(path.join(prefix, 'tmp'), { recursive: true });
  const r = spawnSync(NGINX!, ['-t', '-q', '-p', prefix + '/', '-c', path.join(prefix, conf), '-g', globals(prefix)], { encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}`.trim() };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

export interface Running {
  proc: ChildProcess;
  stop(): Promise<void>;
}

/** Starts nginx in the foreground (daemon off) and waits until every port accepts. */
export async function startNginx(prefix: string, ports: number[], conf = 'nginx.conf'): Promise<Running> {
  fs.mkdirSync(path.join(prefix, 'tmp'), { recursive: true });
  const proc = spawn(NGINX!, ['-p', prefix + '/', '-c', path.join(prefix, conf), '-g', globals(prefix, true)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (b) => (stderr += b));
  const deadline = Date.now() + 10_000;
  for (const port of ports) {
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`nginx exited: ${stderr}`);
      const ok = await new Promise<boolean>((res) => {
        const s = net.connect(port, '127.0.0.1', () => (s.destroy(), res(true)));
        s.on('error', () => res(false));
      });
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`nginx did not listen on ${port}: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    proc,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGQUIT');
        setTimeout(() => proc.exitCode === null && proc.kill('SIGKILL'), 3000).unref();
      }),
  };
}

/** A TLS handshake as a verifying client (Node's OpenSSL), then one HTTP request; the error code when it fails. */
export function handshake(
  port: number,
  o: { servername: string; ca: string; cert?: string; key?: string },
): Promise<{ ok: boolean; error?: string; status?: string }> {
  return new Promise((resolve) => {
    const s = tls.connect({ host: '127.0.0.1', port, servername: o.servername, ca: o.ca, cert: o.cert, key: o.key }, () => {
      s.write(`GET / HTTP/1.0\r\nHost: ${o.servername}\r\n\r\n`);
    });
    let data = '';
    s.setTimeout(5000, () => s.destroy(new Error('timeout')));
    s.on('data', (b) => (data += b));
    s.on('end', () => {
      const status = data.split('\r\n')[0];
      resolve({ ok: / 200 /.test(status), status, error: / 200 /.test(status) ? undefined : status });
    });
    s.on('error', (e: NodeJS.ErrnoException) => resolve({ ok: false, error: e.code ?? e.message }));
  });
}
