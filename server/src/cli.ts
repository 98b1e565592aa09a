/**
 * The CI door: the same checks as the editor, headless.
 *   tls-config check <folder|files…> [--format text|json|sarif]
 *   tls-config generate --out DIR [--name N …] [--mode one-way|mutual] [--key-type P-256] …
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workspace } from './service';
import { DEFAULT_SETTINGS } from './service/types';
import { check } from './cli/check';
import { formatText } from './cli/text';
import { toSarif } from './cli/sarif';
import { probeCommand } from './cli/probe';
import { generate } from './commands';
import { k8sDefaults, k8sNextSteps } from './cli/k8s';
import { DEFAULT_OPTIONS } from './service/certgen/options';
import type { GenerateOptions } from './service/certgen';

export { check, type Finding, type CheckResult } from './cli/check';

const USAGE = `usage:
  tls-config check <folder|files…> [--format text|json|sarif] [--expiry-days N]
  tls-config generate --out DIR [--name NAME …] [--mode one-way|mutual] [--key-type P-256|P-384|RSA-2048|RSA-3072|RSA-4096]
                      [--days N] [--ca-days N] [--csr] [--reuse-ca] [--force] [--layout postgres [--db-user NAME]]
                      [--layout k8s [--namespace NS] [--secret-name NAME]]
  tls-config probe HOST:PORT [--servername NAME] [--ca FILE] [--cert FILE --key FILE] [--alpn h2]
                   [--protocol tls|postgres|postgres-direct] [--timeout MS] [--format text|json]
  tls-config probe --config FILE [--target N] [the flags above override what the config gives]
check exits 0 when no error is found, 1 when one is, 2 on bad arguments, a path that does not exist
or a folder with no supported file.`;

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

/** The CLI; dist/cli.js starts it from dist/core.js (cli-entry.ts), sharing the service bundle with the server. */
export async function runCli(argv: string[]): Promise<number> {
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
    const result = check(positional, { expiryDays: days ? Number(days) : undefined });
    // A wrong path must not pass CI as "no findings".
    if (result.filesChecked === 0)
      throw new Error(
        `no supported file in ${positional.join(', ')}: nothing was checked (looked for Milvus, compose, nginx, APISIX and PostgreSQL configs and PEM files)`,
      );
    const out =
      format === 'json'
        ? JSON.stringify(result.findings, null, 2)
        : format === 'sarif'
          ? JSON.stringify(toSarif(result.findings, result.base), null, 2)
          : formatText(result);
    process.stdout.write(out + '\n');
    return result.findings.some((f) => f.severity === 'error') ? 1 : 0;
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
    const layout = one('--layout');
    if (layout !== undefined && layout !== 'postgres' && layout !== 'k8s') throw new Error(`unknown --layout ${layout} (postgres or k8s)`);
    if (layout) options.layout = layout;
    if (one('--db-user')) options.clientCommonName = one('--db-user');
    const abs = path.resolve(out);
    const ws = new Workspace([abs, path.dirname(abs)], { ...DEFAULT_SETTINGS });
    const near = layout === 'k8s' ? k8sDefaults(abs, ws, one('--namespace')) : undefined;
    if (near && !names.length) options.names = near.names;
    const kubernetes = near ? { namespace: near.namespace, secretName: one('--secret-name') } : undefined;
    const res = await generate({ out: abs, options, overwrite: !!one('--force'), reuseCa: !!one('--reuse-ca'), kubernetes }, ws);
    process.stdout.write(res.written.map((w) => `wrote ${w}`).join('\n') + '\n');
    if (near && kubernetes) process.stdout.write(k8sNextSteps(abs, options.mode ?? DEFAULT_OPTIONS.mode, kubernetes, near.target, ws));
    return 0;
  }
  if (cmd === 'probe') return probeCommand(positional, one, (k) => flags.get(k) ?? []);
  throw new Error(`unknown command ${cmd}\n${USAGE}`);
}
