/**
 * One Go crypto/tls process serving many certificate sets, each on its own 127.0.0.1 port
 * (test/support/go-tls/sets.go), so a test file starts Go once:
 *
 *   const servers = await startGoSets([{ cert, key, alpn: ['h2'] }, …]);
 *   servers.port(0); … await servers.stop();
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildGoTls } from './go-tls';

export interface GoSet {
  cert: string;
  key: string;
  /** 2 = mutual TLS with `ca` as the client CA pool (tls.RequireAndVerifyClientCert). */
  mode?: 1 | 2;
  ca?: string;
  /** ALPN the server offers; the Milvus proxy (grpc-go) offers h2. */
  alpn?: string[];
}

export interface GoSets {
  /** The port of set i; throws with Go's load error when Go refused the set. */
  port(i: number): number;
  stop(): Promise<void>;
}

export async function startGoSets(sets: GoSet[]): Promise<GoSets> {
  const exe = await buildGoTls();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'milvus-tls-sets-'));
  const lines = sets.map((s, i) => {
    const put = (name: string, text: string | undefined) => {
      if (text === undefined) return '';
      const f = path.join(dir, `${i}-${name}`);
      writeFileSync(f, text, { mode: 0o600 });
      return f;
    };
    return [put('cert.pem', s.cert), put('key.pem', s.key), String(s.mode ?? 1), put('ca.pem', s.ca), (s.alpn ?? []).join(',')].join('\t');
  });
  const list = path.join(dir, 'sets.tsv');
  writeFileSync(list, lines.join('\n') + '\n');
  const child = spawn(exe, ['-sets', list], { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const got = new Map<number, number | string>();
  try {
    await new Promise<void>((resolve, reject) => {
      let buf = '';
      let stderr = '';
      child.stderr!.on('data', (d) => (stderr += String(d)));
      child.stdout!.on('data', (d) => {
        buf += String(d);
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          const m = /^SET (\d+) (.*)$/.exec(line);
          if (m) got.set(Number(m[1]), /^\d+$/.test(m[2]) ? Number(m[2]) : m[2]);
          else if (line.startsWith('SETSDONE')) resolve();
          else if (line.startsWith('LOADERROR')) reject(new Error(line));
        }
      });
      child.once('close', (code) => reject(new Error(`Go sets server exited with ${code}: ${stderr}`)));
    });
  } catch (e) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    port(i) {
      const v = got.get(i);
      if (typeof v !== 'number') throw new Error(`set ${i}: ${v ?? 'not served'}`);
      return v;
    },
    async stop() {
      child.stdin!.end();
      child.kill('SIGKILL');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
