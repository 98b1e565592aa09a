/**
 * `tls-config probe HOST:PORT [--servername NAME] [--ca FILE] [--cert FILE --key FILE] [--alpn h2]
 *                   [--protocol tls|postgres|postgres-direct] [--timeout MS] [--format text|json]`
 * `tls-config probe --config FILE [--target N] …`: the target derived from a config, as the editor does.
 * Exit 0 ok, 1 a check failed, 2 usage error or nothing listening.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { LanguageService, Workspace } from '../service';
import { DEFAULT_SETTINGS } from '../service/types';
import { runProbe, formatText, type ProbeTarget, type ProbeFacts, type ReadFile, DEFAULT_TIMEOUT_MS } from '../probe';

export class UsageError extends Error {}

export function parseHostPort(s: string): { host: string; port: number } {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(s) ?? /^([^:[\]]+):(\d+)$/.exec(s);
  if (!m) throw new UsageError(`expected HOST:PORT (or [IPv6]:PORT), got ${JSON.stringify(s)}`);
  const port = Number(m[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`port ${m[2]} is out of range (1–65535)`);
  return { host: m[1], port };
}

const readFile: ReadFile = (f) => {
  try {
    const st = fs.statSync(f);
    if (!st.isFile()) return { error: 'not a file' };
    if (st.size > 5 * 1024 * 1024) return { error: 'larger than 5 MB' };
    return { bytes: fs.readFileSync(f) };
  } catch (e) {
    return { error: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : ((e as NodeJS.ErrnoException).code ?? 'unreadable') };
  }
};

/** The targets a config file describes, as the editor derives them (compose ports, names, CA, client set). */
export function targetsFromConfig(file: string): ReturnType<LanguageService['connectionTargets']> {
  const abs = path.resolve(file);
  if (!fs.existsSync(abs)) throw new UsageError(`${file} does not exist`);
  // The config's folder and its parent: a compose file and the tls/ folder usually sit there.
  const ws = new Workspace([path.dirname(abs), path.dirname(path.dirname(abs))], { ...DEFAULT_SETTINGS });
  const service = new LanguageService(ws);
  const text = fs.readFileSync(abs, 'utf8');
  return service.connectionTargets({ path: abs, uri: URI.file(abs).toString(), text });
}

export async function probeCommand(
  positional: string[],
  one: (k: string) => string | undefined,
  all: (k: string) => string[],
): Promise<number> {
  const format = one('--format') ?? 'text';
  if (!['text', 'json'].includes(format)) throw new UsageError(`unknown --format ${format} (text or json)`);
  const timeoutText = one('--timeout');
  const timeoutMs = timeoutText === undefined ? DEFAULT_TIMEOUT_MS : Number(timeoutText);
  if (!Number.isFinite(timeoutMs) || timeoutMs < 100 || timeoutMs > 120_000)
    throw new UsageError(`--timeout must be 100–120000 ms, got ${timeoutText}`);
  let target: ProbeTarget;
  let facts: ProbeFacts | undefined;
  const config = one('--config');
  if (config) {
    if (positional.length) throw new UsageError('probe takes HOST:PORT or --config FILE, not both');
    const targets = targetsFromConfig(config);
    if (!targets.length) throw new UsageError(`${config} describes no TLS endpoint we know how to test (a milvus.yaml with a tls block)`);
    const n = Number(one('--target') ?? 0);
    const t = targets[n];
    if (!t) throw new UsageError(`--target ${n}: ${config} describes ${targets.length} endpoint(s)`);
    target = { ...t.target };
    facts = t.facts;
  } else {
    if (positional.length !== 1) throw new UsageError('probe needs HOST:PORT (or --config FILE)');
    target = parseHostPort(positional[0]);
  }
  // Flags override what a config gave.
  const sn = one('--servername');
  if (sn) target.serverName = sn;
  for (const k of ['ca', 'cert', 'key'] as const) {
    const v = one(`--${k}`);
    if (v) target[k] = path.resolve(v);
  }
  const alpn = all('--alpn')
    .flatMap((a) => a.split(','))
    .map((a) => a.trim())
    .filter(Boolean);
  if (alpn.length) target.alpn = alpn;
  const protocol = one('--protocol');
  if (protocol) {
    if (!['tls', 'postgres', 'postgres-direct'].includes(protocol))
      throw new UsageError(`unknown --protocol ${protocol} (tls, postgres or postgres-direct)`);
    target.protocol = protocol as ProbeTarget['protocol'];
  }
  if (!!target.cert !== !!target.key) throw new UsageError('--cert needs --key and --key needs --cert');
  const ac = new AbortController();
  const onSig = () => ac.abort();
  process.once('SIGINT', onSig);
  try {
    const r = await runProbe(target, { readFile, facts, timeoutMs, signal: ac.signal });
    process.stdout.write((format === 'json' ? JSON.stringify(r, null, 2) : formatText(r)) + '\n');
    return r.exitCode;
  } finally {
    process.off('SIGINT', onSig);
  }
}
