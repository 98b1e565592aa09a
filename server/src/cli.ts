/**
 * The CI door: the same checks as the editor, headless.
 *   tls-config check <folder|files…> [--format text|json|sarif]
 *   tls-config generate --out DIR [--name N …] [--mode one-way|mutual] [--key-type P-256] …
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { LanguageService, Workspace, MAX_DOCUMENT_CHARS } from './service';
import { DEFAULT_SETTINGS } from './service/types';
import { toSarif } from './cli/sarif';
import { probeCommand } from './cli/probe';
import { generate } from './commands';
import type { GenerateOptions } from './service/certgen';
import type { Diagnostic } from 'vscode-languageserver-types';

const SEVERITY = ['', 'error', 'warning', 'information', 'hint'] as const;
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'out', '.e2e', '.vscode-test']);
const MAX_FILES = 20000;

export interface Finding {
  file: string;
  range: Diagnostic['range'];
  severity: 'error' | 'warning' | 'information' | 'hint';
  code: string;
  message: string;
}

const USAGE = `usage:
  tls-config check <folder|files…> [--format text|json|sarif] [--expiry-days N]
  tls-config generate --out DIR [--name NAME …] [--mode one-way|mutual] [--key-type P-256|P-384|RSA-2048|RSA-3072|RSA-4096]
                      [--days N] [--ca-days N] [--csr] [--reuse-ca] [--force] [--layout postgres [--db-user NAME]]
  tls-config probe HOST:PORT [--servername NAME] [--ca FILE] [--cert FILE --key FILE] [--alpn h2]
                   [--protocol tls|postgres|postgres-direct] [--timeout MS] [--format text|json]
  tls-config probe --config FILE [--target N] [the flags above override what the config gives]`;

function walk(dir: string, out: string[], seen: Set<string>): void {
  let real: string;
  try {
    real = fs.realpathSync(dir);
  } catch {
    return;
  }
  if (seen.has(real)) return; // symlink loops
  seen.add(real);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (out.length >= MAX_FILES) return;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) walk(p, out, seen);
    } else if (e.isFile() || e.isSymbolicLink()) out.push(p);
  }
}

const CANDIDATE = /\.(pem|crt|cer|key|csr|ca-bundle|ya?ml)$/i;
/** The postgres target's files: .env, pg_service.conf, postgresql.conf, JSON/properties configs holding connection strings. */
const PG_CANDIDATE = /(^|[\\/])\.env(\.[^\\/]*)?$|\.(env|conf|json|properties|toml|ini)$/i;
/** nginx keeps configs without an extension in sites-available/, sites-enabled/ (Debian). */
const CANDIDATE_DIR = /(^|[\\/])(sites-available|sites-enabled)[\\/][^\\/]+$/;
/** .sh holds APISIX admin calls and curl to Milvus; .py pymilvus clients; .md the curl commands of READMEs. */
const CANDIDATE_EXT = /\.(conf|json|sh|py|md)$/i;

export function check(targets: string[], opts: { expiryDays?: number } = {}): { findings: Finding[]; base: string } {
  const absTargets = targets.map((t) => path.resolve(t));
  const base = absTargets.length === 1 && safeIsDir(absTargets[0]) ? absTargets[0] : process.cwd();
  const roots = absTargets.map((t) => (safeIsDir(t) ? t : path.dirname(t)));
  const ws = new Workspace(roots, { ...DEFAULT_SETTINGS, expiryWarningDays: opts.expiryDays ?? DEFAULT_SETTINGS.expiryWarningDays });
  const service = new LanguageService(ws);
  const files: string[] = [];
  for (const t of absTargets) {
    if (safeIsDir(t)) walk(t, files, new Set());
    else files.push(t);
  }
  const findings: Finding[] = [];
  const rel = (f: string) => path.relative(base, f).split(path.sep).join('/') || path.basename(f);
  for (const f of files) {
    if (!CANDIDATE.test(f) && !PG_CANDIDATE.test(f) && !CANDIDATE_EXT.test(f) && !CANDIDATE_DIR.test(f) && !absTargets.includes(f))
      continue;
    const r = ws.read(f);
    // A *.conf or sites-enabled/ entry is only maybe ours (most are not nginx): one we cannot read is not a finding.
    if (!r.ok && !CANDIDATE.test(f) && !absTargets.includes(f)) continue;
    if (!r.ok) {
      findings.push({ file: rel(f), range: zero(), severity: 'error', code: 'file-unreadable', message: r.message });
      continue;
    }
    const text = r.size > MAX_DOCUMENT_CHARS ? 'x'.repeat(MAX_DOCUMENT_CHARS + 1) : Buffer.from(r.bytes).toString('utf8');
    const doc = { path: f, uri: URI.file(f).toString(), text };
    for (const d of service.validate(doc)) {
      findings.push({
        file: rel(f),
        range: d.range,
        severity: SEVERITY[d.severity ?? 1] as Finding['severity'],
        code: String(d.code),
        message: typeof d.message === 'string' ? d.message : d.message.value,
      });
    }
  }
  return { findings, base };
}

function zero() {
  return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}

function safeIsDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function formatText(findings: Finding[]): string {
  const lines = findings.map(
    (f) => `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} [${f.code}] ${f.message}`,
  );
  const errors = findings.filter((f) => f.severity === 'error').length;
  lines.push(`${findings.length} finding(s), ${errors} error(s)`);
  return lines.join('\n');
}

function parseArgs(argv: string[]): { positional: string[]; flags: Map<string, string[]> } {
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  const boolean = new Set(['--csr', '--reuse-ca', '--force', '--help', '-h']);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('-')) {
      const [k, inline] = a.split('=', 2);
      const v = boolean.has(k) ? 'true' : (inline ?? argv[++i]);
      if (v === undefined) throw new Error(`${k} needs a value`);
      flags.set(k, [...(flags.get(k) ?? []), v]);
    } else positional.push(a);
  }
  return { positional, flags };
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(USAGE + '\n');
    return cmd ? 0 : 2;
  }
  const { positional, flags } = parseArgs(rest);
  const one = (k: string) => flags.get(k)?.at(-1);
  if (cmd === 'check') {
    if (positional.length === 0) throw new Error('check needs a folder or files');
    for (const p of positional) if (!fs.existsSync(p)) throw new Error(`${p} does not exist`);
    const format = one('--format') ?? 'text';
    if (!['text', 'json', 'sarif'].includes(format)) throw new Error(`unknown --format ${format} (text, json or sarif)`);
    const days = one('--expiry-days');
    const { findings, base } = check(positional, { expiryDays: days ? Number(days) : undefined });
    const out =
      format === 'json'
        ? JSON.stringify(findings, null, 2)
        : format === 'sarif'
          ? JSON.stringify(toSarif(findings, base), null, 2)
          : formatText(findings);
    process.stdout.write(out + '\n');
    return findings.some((f) => f.severity === 'error') ? 1 : 0;
  }
  if (cmd === 'generate') {
    const out = one('--out');
    if (!out) throw new Error('generate needs --out DIR');
    const options: Partial<GenerateOptions> = {};
    const names = [...(flags.get('--name') ?? [])]
      .flatMap((n) => n.split(','))
      .map((n) => n.trim())
      .filter(Boolean);
    if (names.length) options.names = names;
    const mode = one('--mode');
    if (mode) options.mode = mode as GenerateOptions['mode'];
    const kt = one('--key-type');
    if (kt) options.keyType = kt as GenerateOptions['keyType'];
    if (one('--days')) options.leafDays = Number(one('--days'));
    if (one('--ca-days')) options.caDays = Number(one('--ca-days'));
    if (one('--csr')) options.csr = true;
    if (one('--layout') === 'postgres') options.layout = 'postgres';
    if (one('--db-user')) options.clientCommonName = one('--db-user');
    const abs = path.resolve(out);
    const ws = new Workspace([abs, path.dirname(abs)], { ...DEFAULT_SETTINGS });
    const res = await generate({ out: abs, options, overwrite: !!one('--force'), reuseCa: !!one('--reuse-ca') }, ws);
    process.stdout.write(res.written.map((w) => `wrote ${w}`).join('\n') + '\n');
    return 0;
  }
  if (cmd === 'probe') return probeCommand(positional, one, (k) => flags.get(k) ?? []);
  throw new Error(`unknown command ${cmd}\n${USAGE}`);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: Error) => {
      process.stderr.write(`tls-config: ${e.message}\n`);
      process.exit(2);
    },
  );
}
