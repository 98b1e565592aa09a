/**
 * Performance benchmark of the TLS Config language server, CLI and certificate
 * generator, against the tools a user would otherwise reach for
 * (yaml-language-server with a JSON schema, openssl, the docs' gen.sh).
 *
 *   npm run bench        (builds dist/, then runs this file with tsx)
 *
 * Prints a table and writes bench/results.json. Every section fails soft: a
 * failure becomes an "error: …" row and the run goes on. Targets are shown as
 * PASS/FAIL; the bench exits 0 whatever they say (it is not a CI gate).
 * Everything happens in temp folders, removed at the end; every server it
 * spawned is shut down (or killed by pid).
 */
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { BenchLspClient, killAllServers } from './lsp';
import {
  makeCertFolder,
  makeDeploymentsWorkspace,
  makeMilvusWorkspace,
  removeTemps,
  tempDir,
  type ManyFile,
  type MilvusWorkspace,
} from './fixture';
import { fmtBytes, fmtMs, msSince, summarize, table, timeAsync } from './stats';

const execFileP = promisify(execFile);

const REPO = path.resolve(__dirname, '..');
const DIST = path.join(REPO, 'dist');
const SERVER_JS = path.join(DIST, 'server.js');
const CLI_JS = path.join(DIST, 'cli.js');
const TOOLS = path.join(__dirname, '.tools');
/** The latest 1.x release of the comparison server; installed into bench/.tools when absent. */
const YLS_VERSION = '1.25.0';
const YLS_BIN = path.join(TOOLS, 'node_modules/yaml-language-server/bin/yaml-language-server');

const REPS = {
  latency: Number(process.env.BENCH_LATENCY_REPS ?? 30),
  latencyWarmup: 5,
  spawn: Number(process.env.BENCH_SPAWN_REPS ?? 5),
  cliRuns: 3,
  certCount: 1000,
  /** Section 6: this many deployments of compose + milvus.yaml + 8 PEM files (200 → 2,000 files). */
  deployments: Number(process.env.BENCH_DEPLOYMENTS ?? 200),
  gen: 10,
  genSh: 5,
};

/** BENCH_SECTIONS=1-2,4 runs only those sections (ids as in the table); unset runs all. */
const SECTIONS = (process.env.BENCH_SECTIONS ?? '')
  .split(',')
  .map((x) => x.trim())
  .filter(Boolean);
const wanted = (id: string) => SECTIONS.length === 0 || SECTIONS.includes(id);
/** A partial run must not overwrite the figures of the last full one. */
const RESULTS = SECTIONS.length ? 'results.partial.json' : 'results.json';

// ---------------------------------------------------------------- results

interface Row {
  section: string;
  metric: string;
  tool: string;
  unit: 'ms' | 'bytes';
  n?: number;
  median?: number;
  p95?: number;
  /** Free text shown instead of numbers (n/a with a reason). */
  text?: string;
  target?: string;
  pass?: boolean;
  error?: string;
  samples?: number[];
}

const rows: Row[] = [];
const notes: string[] = [];

function addSamples(
  section: string,
  metric: string,
  tool: string,
  samples: number[],
  target?: { label: string; ok: (s: ReturnType<typeof summarize>) => boolean },
): void {
  const s = summarize(samples);
  rows.push({
    section,
    metric,
    tool,
    unit: 'ms',
    n: s.n,
    median: s.median,
    p95: s.p95,
    target: target?.label,
    pass: target ? target.ok(s) : undefined,
    samples: samples.map((x) => Math.round(x * 1000) / 1000),
  });
}

function addValue(
  section: string,
  metric: string,
  tool: string,
  unit: Row['unit'],
  value: number,
  target?: { label: string; ok: (v: number) => boolean },
): void {
  rows.push({ section, metric, tool, unit, n: 1, median: value, target: target?.label, pass: target ? target.ok(value) : undefined });
}

function addError(section: string, metric: string, tool: string, e: unknown, target?: string): void {
  const msg = e instanceof Error ? e.message : String(e);
  rows.push({ section, metric, tool, unit: 'ms', error: msg.split('\n')[0].slice(0, 160), target });
}

function addText(section: string, metric: string, tool: string, text: string, target?: string, pass?: boolean): void {
  rows.push({ section, metric, tool, unit: 'ms', text, target, pass });
}

/** Runs a section; an exception becomes an error row (for `metric`) instead of ending the bench. */
async function soft(section: string, metric: string, tool: string, f: () => Promise<void>, target?: string): Promise<void> {
  try {
    await f();
  } catch (e) {
    addError(section, metric, tool, e, target);
  }
}

function log(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- servers

type Json = any;

function oursEnv(debounce: string | undefined): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.TLS_CONFIG_DEBOUNCE_MS;
  if (debounce !== undefined) env.TLS_CONFIG_DEBOUNCE_MS = debounce;
  return env;
}

function spawnOurs(debounce?: string): BenchLspClient {
  return new BenchLspClient([process.execPath, SERVER_JS, '--stdio'], { env: oursEnv(debounce), cwd: os.tmpdir() });
}

function ylsSettings(ws: MilvusWorkspace): Json {
  return {
    yaml: {
      schemas: { [ws.schemaUri]: 'milvus.yaml' },
      validate: true,
      hover: true,
      completion: true,
      format: { enable: false },
      // The bench may not reach the network: no schemastore.org catalogue.
      schemaStore: { enable: false },
    },
    http: { proxy: '', proxyStrictSSL: false },
    '[yaml]': {},
    editor: {},
  };
}

function spawnYls(ws: MilvusWorkspace): BenchLspClient {
  return new BenchLspClient([process.execPath, YLS_BIN, '--stdio'], { settings: ylsSettings(ws), cwd: os.tmpdir() });
}

async function ensureYamlLanguageServer(): Promise<string> {
  const pkg = path.join(TOOLS, 'node_modules/yaml-language-server/package.json');
  const installed = () => {
    try {
      return JSON.parse(fs.readFileSync(pkg, 'utf8')).version as string;
    } catch {
      return undefined;
    }
  };
  if (installed() !== YLS_VERSION) {
    log(`installing yaml-language-server@${YLS_VERSION} into bench/.tools …`);
    fs.mkdirSync(TOOLS, { recursive: true });
    await execFileP(
      'npm',
      ['install', '--no-save', '--no-audit', '--no-fund', '--no-package-lock', '--prefix', TOOLS, `yaml-language-server@${YLS_VERSION}`],
      {
        cwd: TOOLS,
        timeout: 300_000,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
  }
  const v = installed();
  if (!v) throw new Error('yaml-language-server is not installed in bench/.tools');
  return v;
}

/** Spawn → initialize result, fresh process each time; one unmeasured warm-up. */
async function initTimes(make: () => BenchLspClient, root: string, reps: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < reps + 1; i++) {
    const c = make();
    try {
      await c.initialize(root);
      const ms = msSince(c.spawnedAt);
      if (i > 0) out.push(ms);
    } finally {
      await c.shutdown();
    }
  }
  return out;
}

/**
 * didChange (full text) → the matching publishDiagnostics, alternating a
 * harmless comment edit. Returns the measured samples and the version reached.
 */
async function editLatency(
  c: BenchLspClient,
  uri: string,
  text: string,
  startVersion: number,
  reps: number,
  warmup: number,
): Promise<{ samples: number[]; version: number; diagnostics: number }> {
  const samples: number[] = [];
  let version = startVersion;
  let diagnostics = 0;
  for (let i = 0; i < warmup + reps; i++) {
    version++;
    const next = version % 2 ? `${text}\n# bench edit ${version}\n` : text;
    const t0 = process.hrtime.bigint();
    c.change(uri, version, next);
    const p = await c.diagnosticsAfter(uri, t0, version);
    if (i >= warmup) samples.push(msSince(t0, p.at));
    diagnostics = p.diagnostics.length;
    await sleep(5);
  }
  return { samples, version, diagnostics };
}

async function hoverLatency(
  c: BenchLspClient,
  uri: string,
  position: { line: number; character: number },
  reps: number,
  warmup: number,
): Promise<{ samples: number[]; sample: Json }> {
  const samples: number[] = [];
  let sample: Json = null;
  for (let i = 0; i < warmup + reps; i++) {
    const t0 = process.hrtime.bigint();
    const h = await c.request('textDocument/hover', { textDocument: { uri }, position });
    if (i >= warmup) samples.push(msSince(t0));
    sample = h;
  }
  return { samples, sample };
}

function hoverText(h: Json): string {
  if (!h) return '';
  const c = h.contents;
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((x) => (typeof x === 'string' ? x : x.value)).join('\n');
  return c?.value ?? '';
}

/** A deliberate error (tlsMode: 5): proves the server really validates the file, schema applied. */
async function sanityCheck(c: BenchLspClient, ws: MilvusWorkspace, version: number, name: string): Promise<number> {
  version++;
  const t0 = process.hrtime.bigint();
  c.change(
    ws.milvusUri,
    version,
    ws.milvusText.replace(/^(\s+tlsMode:\s*)2\b/m, (_m, lead: string) => `${lead}5`),
  );
  const p = await c.diagnosticsAfter(ws.milvusUri, t0, version);
  notes.push(
    `${name}: tlsMode: 5 → ${p.diagnostics.length} diagnostic(s)${p.diagnostics[0] ? ` (“${String(p.diagnostics[0].message).split('\n')[0].slice(0, 80)}”)` : ' — NOT VALIDATING'}`,
  );
  version++;
  const t1 = process.hrtime.bigint();
  c.change(ws.milvusUri, version, ws.milvusText);
  await c.diagnosticsAfter(ws.milvusUri, t1, version);
  return version;
}

// ---------------------------------------------------------------- sections

/** Times a synchronous call REPS.latency times after REPS.latencyWarmup warm-up calls; `f` gets the call's index. */
function time(f: (i: number) => unknown): number[] {
  const samples: number[] = [];
  for (let i = 0; i < REPS.latencyWarmup + REPS.latency; i++) {
    const t0 = process.hrtime.bigint();
    f(i);
    if (i >= REPS.latencyWarmup) samples.push(msSince(t0));
  }
  return samples;
}

async function sectionOurServer(ws: MilvusWorkspace): Promise<void> {
  const S = '1-2 tls-config server';
  const tool = 'tls-config';
  const src = fs.readFileSync(path.join(REPO, 'server/src/server.ts'), 'utf8');
  const configured = /TLS_CONFIG_DEBOUNCE_MS\s*\?\?\s*(\d+)/.exec(src);
  const debounce = configured ? Number(configured[1]) : NaN;

  // Default debounce: what an editor gets.
  let a: BenchLspClient | undefined;
  let editDefault: number[] = [];
  await soft(S, 'edit→diagnostics (default debounce)', tool, async () => {
    a = spawnOurs(undefined);
    await a.initialize(ws.root);
    const t0 = process.hrtime.bigint();
    a.open(ws.milvusPath, ws.milvusText, 'yaml', 1);
    const first = await a.diagnosticsAfter(ws.milvusUri, t0, 1);
    notes.push(
      `tls-config: the mode-2 stock milvus.yaml (${ws.milvusText.replace(/\n$/, '').split('\n').length} lines) opens with ${first.diagnostics.length} diagnostic(s)${first.diagnostics.length ? ': ' + first.diagnostics.map((d: Json) => d.code).join(', ') : ''}`,
    );
    const r = await editLatency(a, ws.milvusUri, ws.milvusText, 1, REPS.latency, REPS.latencyWarmup);
    editDefault = r.samples;
    addSamples(S, 'edit→diagnostics (default debounce)', tool, r.samples);
    await sanityCheck(a, ws, r.version, 'tls-config sanity');
  });

  // Debounce 0: the work alone.
  await soft(
    S,
    'edit→diagnostics work (debounce 0)',
    tool,
    async () => {
      const b = spawnOurs('0');
      try {
        await b.initialize(ws.root);
        const t0 = process.hrtime.bigint();
        b.open(ws.milvusPath, ws.milvusText, 'yaml', 1);
        await b.diagnosticsAfter(ws.milvusUri, t0, 1);
        const r = await editLatency(b, ws.milvusUri, ws.milvusText, 1, REPS.latency, REPS.latencyWarmup);
        addSamples(S, 'edit→diagnostics work (debounce 0)', tool, r.samples, {
          label: '<10 med, <25 p95',
          ok: (s) => s.median < 10 && s.p95 < 25,
        });
        if (editDefault.length) {
          const overhead = summarize(editDefault).median - summarize(r.samples).median;
          notes.push(`tls-config: default − debounce-0 medians = ${fmtMs(overhead)} ms (≈ the debounce)`);
        }
        const rss = b.peakRssKb();
        if (rss) notes.push(`tls-config (debounce-0 server, edits only): peak RSS ${((rss * 1024) / 1e6).toFixed(1)} MB`);
      } finally {
        await b.shutdown();
      }
    },
    '<10 med, <25 p95',
  );

  if (Number.isFinite(debounce)) {
    rows.push({
      section: S,
      metric: 'debounce (configured default)',
      tool,
      unit: 'ms',
      n: 1,
      median: debounce,
      target: '≤50',
      pass: debounce <= 50,
    });
  } else addText(S, 'debounce (configured default)', tool, 'n/a: not found in server.ts', '≤50');

  // Hovers, on the default server (all work lands on one process, then its peak RSS is read).
  await soft(
    S,
    'hover: serverPemPath value (milvus.yaml)',
    tool,
    async () => {
      if (!a) throw new Error('server not running');
      const r = await hoverLatency(a, ws.milvusUri, ws.serverPemValuePos, REPS.latency, REPS.latencyWarmup);
      const txt = hoverText(r.sample);
      if (!txt) throw new Error('hover returned nothing');
      notes.push(
        `tls-config hover on tls.serverPemPath: ${txt.length} chars, names the host file: ${txt.includes(ws.serverPemPath) ? 'yes' : 'no'}`,
      );
      addSamples(S, 'hover: serverPemPath value (milvus.yaml)', tool, r.samples, { label: '<2 med', ok: (s) => s.median < 2 });
    },
    '<2 med',
  );
  await soft(
    S,
    'hover: inside a certificate (server.pem)',
    tool,
    async () => {
      if (!a) throw new Error('server not running');
      const t0 = process.hrtime.bigint();
      a.open(ws.serverPemPath, ws.serverPemText, 'pem', 1);
      await a.diagnosticsAfter(ws.serverPemUri, t0, 1);
      const r = await hoverLatency(a, ws.serverPemUri, ws.insideCertPos, REPS.latency, REPS.latencyWarmup);
      const txt = hoverText(r.sample);
      if (!txt) throw new Error('hover returned nothing');
      notes.push(`tls-config hover inside server.pem: ${txt.length} chars`);
      addSamples(S, 'hover: inside a certificate (server.pem)', tool, r.samples, { label: '<2 med', ok: (s) => s.median < 2 });
    },
    '<2 med',
  );

  await soft(
    S,
    'spawn→initialize result',
    tool,
    async () => {
      const t = await initTimes(() => spawnOurs(undefined), ws.root, REPS.spawn);
      addSamples(S, 'spawn→initialize result', tool, t, { label: '<150 med', ok: (s) => s.median < 150 });
    },
    '<150 med',
  );

  await soft(
    S,
    'peak RSS (VmHWM, after all work)',
    tool,
    async () => {
      if (!a) throw new Error('server not running');
      const kb = a.peakRssKb();
      if (!kb) throw new Error('VmHWM unavailable (/proc not readable)');
      addValue(S, 'peak RSS (VmHWM, after all work)', tool, 'bytes', kb * 1024, { label: '<70 MB', ok: (v) => v < 70e6 });
    },
    '<70 MB',
  );
  if (a) await a.shutdown();
}

async function sectionInProcess(ws: MilvusWorkspace): Promise<void> {
  const S = '1 pure service';
  const tool = 'tls-config (in-process)';
  await soft(S, 'LanguageService.validate(milvus.yaml)', tool, async () => {
    const svc = await import('../server/src/service');
    const service = new svc.LanguageService(new svc.Workspace([ws.root]));
    const docFor = (text: string) => ({ path: ws.milvusPath, uri: ws.milvusUri, languageId: 'yaml', text });
    const alt = `${ws.milvusText}\n# bench edit\n`;
    const samples: number[] = [];
    let count = 0;
    for (let i = 0; i < REPS.latencyWarmup * 2 + REPS.latency; i++) {
      const doc = docFor(i % 2 ? alt : ws.milvusText);
      const t0 = process.hrtime.bigint();
      count = service.validate(doc).length;
      const ms = msSince(t0);
      if (i >= REPS.latencyWarmup * 2) samples.push(ms);
    }
    notes.push(`in-process validate: ${count} diagnostic(s) on the mode-2 stock config`);
    addSamples(S, 'LanguageService.validate(milvus.yaml)', tool, samples);
  });
}

async function sectionYamlLs(ws: MilvusWorkspace): Promise<void> {
  const S = '3 yaml-language-server';
  let version: string;
  try {
    version = await ensureYamlLanguageServer();
  } catch (e) {
    for (const m of [
      'edit→diagnostics (built-in delay)',
      'hover: serverPemPath value (milvus.yaml)',
      'spawn→initialize result',
      'peak RSS (VmHWM, after all work)',
    ])
      addError(S, m, 'yaml-language-server', e);
    return;
  }
  const tool = `yaml-language-server ${version}`;
  notes.push(
    `yaml-language-server ${version}: schema ${path.basename(ws.schemaPath)} → "milvus.yaml", schemaStore off, validationDelayMs built in (200 ms)`,
  );
  let c: BenchLspClient | undefined;
  await soft(S, 'edit→diagnostics (built-in delay)', tool, async () => {
    c = spawnYls(ws);
    await c.initialize(ws.root);
    c.notify('workspace/didChangeConfiguration', { settings: ylsSettings(ws) });
    await sleep(200);
    const t0 = process.hrtime.bigint();
    c.open(ws.milvusPath, ws.milvusText, 'yaml', 1);
    const first = await c.diagnosticsAfter(ws.milvusUri, t0, 1);
    notes.push(`yaml-language-server: the mode-2 stock milvus.yaml opens with ${first.diagnostics.length} diagnostic(s)`);
    await sleep(400); // let any configuration-triggered re-validation land before measuring
    const r = await editLatency(c, ws.milvusUri, ws.milvusText, 1, REPS.latency, REPS.latencyWarmup);
    addSamples(S, 'edit→diagnostics (built-in delay)', tool, r.samples);
    await sanityCheck(c, ws, r.version, 'yaml-language-server sanity');
  });
  await soft(S, 'hover: serverPemPath value (milvus.yaml)', tool, async () => {
    if (!c) throw new Error('server not running');
    const r = await hoverLatency(c, ws.milvusUri, ws.serverPemValuePos, REPS.latency, REPS.latencyWarmup);
    notes.push(`yaml-language-server hover on tls.serverPemPath: ${hoverText(r.sample).length} chars (schema description)`);
    addSamples(S, 'hover: serverPemPath value (milvus.yaml)', tool, r.samples);
  });
  addText(S, 'hover: inside a certificate (server.pem)', tool, 'n/a: not a YAML file');
  await soft(S, 'spawn→initialize result', tool, async () => {
    const t = await initTimes(() => spawnYls(ws), ws.root, REPS.spawn);
    addSamples(S, 'spawn→initialize result', tool, t);
  });
  await soft(S, 'peak RSS (VmHWM, after all work)', tool, async () => {
    if (!c) throw new Error('server not running');
    const kb = c.peakRssKb();
    if (!kb) throw new Error('VmHWM unavailable');
    addValue(S, 'peak RSS (VmHWM, after all work)', tool, 'bytes', kb * 1024);
  });
  if (c) await c.shutdown();
}

function dirSize(d: string): number {
  let total = 0;
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) total += dirSize(p);
    else if (e.isFile()) total += fs.statSync(p).size;
  }
  return total;
}

/** Runs a command in its own process group, killed (by group id) on timeout; resolves with code and output. */
function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; timeoutMs: number; env?: NodeJS.ProcessEnv },
): Promise<{ code: number | null; out: string; ms: number }> {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const p = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const t = setTimeout(() => {
      try {
        if (p.pid) process.kill(-p.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, opts.timeoutMs);
    p.on('error', (e) => {
      clearTimeout(t);
      resolve({ code: -1, out: out + String(e), ms: msSince(t0) });
    });
    p.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, out, ms: msSince(t0) });
    });
  });
}

// eslint-disable-next-line no-control-regex -- ANSI colour codes start with ESC
const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');

async function sectionSizes(): Promise<void> {
  const S = '2 size';
  await soft(S, 'dist/ (sum of files)', 'tls-config', async () => {
    addValue(S, 'dist/ (sum of files)', 'tls-config', 'bytes', dirSize(DIST));
  });
  await soft(
    S,
    '.vsix',
    'tls-config',
    async () => {
      const vsix = path.join(REPO, 'tls-config.vsix');
      const fresh = () => fs.existsSync(vsix) && fs.statSync(vsix).mtimeMs >= fs.statSync(SERVER_JS).mtimeMs;
      if (!fresh()) {
        log('packaging the .vsix (npm run package) …');
        const r = await run('npm', ['run', 'package'], { cwd: REPO, timeoutMs: 240_000 });
        if (r.code !== 0 || !fs.existsSync(vsix)) {
          const why =
            stripAnsi(r.out)
              .split('\n')
              .find((l) => /ERROR|error/i.test(l) && !/npm (ERR|error)/.test(l)) ?? `exit code ${r.code}`;
          addText(S, '.vsix', 'tls-config', `n/a: vsce failed: ${why.trim().slice(0, 140)}`, '<1 MB', false);
          notes.push(`vsce output (tail): ${stripAnsi(r.out).trim().split('\n').slice(-3).join(' | ').slice(0, 400)}`);
          return;
        }
      } else notes.push('.vsix: reused tls-config.vsix (newer than dist/server.js)');
      addValue(S, '.vsix', 'tls-config', 'bytes', fs.statSync(vsix).size, { label: '<1 MB', ok: (v) => v < 1e6 });
    },
    '<1 MB',
  );
  await soft(S, 'node startup baseline (spawn → exit of node -e 0)', 'node', async () => {
    const samples: number[] = [];
    for (let i = 0; i < REPS.spawn + 1; i++) {
      const r = await run(process.execPath, ['-e', '0'], { timeoutMs: 30_000 });
      if (r.code !== 0) throw new Error(`node -e 0 exited ${r.code}`);
      if (i > 0) samples.push(r.ms);
    }
    addSamples(S, 'node startup baseline (spawn → exit of node -e 0)', 'node', samples);
  });
  // What would go into the package: flags folders that make the .vsix large (no .vscodeignore).
  await soft(S, 'vsce ls', 'tls-config', async () => {
    const r = await run(path.join(REPO, 'node_modules/.bin/vsce'), ['ls', '--no-dependencies'], { cwd: REPO, timeoutMs: 60_000 });
    if (r.code !== 0) return;
    const files = stripAnsi(r.out)
      .split('\n')
      .filter((l) => l.trim() && !/^\s*(WARNING|INFO)/.test(l));
    const heavy = ['bench/.tools/', '.e2e/', 'node_modules/', 'test/', 'server/src/']
      .map((p) => [p, files.filter((f) => f.startsWith(p)).length] as const)
      .filter(([, n]) => n > 0);
    notes.push(
      `vsce ls: ${files.length} file(s) would be packaged${heavy.length ? '; including ' + heavy.map(([p, n]) => `${p} (${n})`).join(', ') + ' — consider a .vscodeignore' : ''}`,
    );
  });
}

async function sectionCli(): Promise<void> {
  const S = '4 CLI, 1,000 certs';
  let dir = '';
  await soft(S, `generate ${REPS.certCount} certs (setup)`, 'bench', async () => {
    const r = await timeAsync(() => makeCertFolder(REPS.certCount));
    dir = r.value;
    notes.push(`${REPS.certCount} distinct leaf certificates (one CA, one P-256 leaf key) signed in-process in ${fmtMs(r.ms)} ms`);
  });
  if (!dir) return;
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.pem'))
    .map((f) => path.join(dir, f));
  await soft(S, `check DIR --format json (${files.length} files)`, 'tls-config CLI', async () => {
    const samples: number[] = [];
    let findings = -1;
    for (let i = 0; i < REPS.cliRuns + 1; i++) {
      const r = await run(process.execPath, [CLI_JS, 'check', dir, '--format', 'json'], { timeoutMs: 300_000 });
      if (r.code !== 0 && r.code !== 1) throw new Error(`cli exited ${r.code}: ${r.out.slice(0, 200)}`);
      if (i > 0) samples.push(r.ms);
      try {
        const json = JSON.parse(r.out);
        findings = Array.isArray(json) ? json.length : -1;
      } catch {
        throw new Error(`cli output is not JSON: ${r.out.slice(0, 120)}`);
      }
    }
    notes.push(
      `CLI check of ${files.length} certs: ${findings} finding(s); median ${fmtMs(summarize(samples).median / files.length)} ms per file (one process)`,
    );
    addSamples(S, `check DIR --format json (${files.length} files)`, 'tls-config CLI', samples);
  });
  await soft(S, `openssl x509 -noout -text, once per file (${files.length})`, 'openssl', async () => {
    const t0 = process.hrtime.bigint();
    for (const f of files) await execFileP('openssl', ['x509', '-noout', '-text', '-in', f], { maxBuffer: 4 * 1024 * 1024 });
    const ms = msSince(t0);
    notes.push(`openssl loop: ${fmtMs(ms / files.length)} ms per file`);
    addValue(S, `openssl x509 -noout -text, once per file (${files.length})`, 'openssl', 'ms', ms);
  });
}

/** Runs `node -r maxrss.cjs …`: the child reports its own peak RSS (getrusage ru_maxrss, KiB) when it exits. */
async function runWithPeakRss(
  args: string[],
  timeoutMs: number,
): Promise<{ code: number | null; out: string; ms: number; peakKb: number }> {
  const file = path.join(tempDir('rss'), 'maxrss');
  const r = await run(process.execPath, ['-r', path.join(__dirname, 'maxrss.cjs'), ...args], {
    timeoutMs,
    env: { ...process.env, BENCH_MAXRSS_FILE: file },
  });
  const peakKb = Number(fs.readFileSync(file, 'utf8'));
  return { ...r, peakKb };
}

async function sectionManyFiles(): Promise<void> {
  const S = `6 workspace, ${(REPS.deployments * 10).toLocaleString('en-US')} files`;
  let root = '';
  let files: ManyFile[] = [];
  await soft(S, 'generate the workspace (setup)', 'bench', async () => {
    const { composeYaml } = await import('../test/support/workspace');
    const r = await timeAsync(() => makeDeploymentsWorkspace(REPS.deployments, composeYaml()));
    ({ root, files } = r.value);
    const by = new Map<string, number>();
    for (const f of files) by.set(f.languageId, (by.get(f.languageId) ?? 0) + 1);
    notes.push(
      `${REPS.deployments} deployments (${[...by].map(([k, n]) => `${n} ${k}`).join(', ')}; mode-2 milvus.yaml with internal TLS on, compose mounting ./tls, a certgen set with CSRs each) written in ${fmtMs(r.ms)} ms`,
    );
  });
  if (!root) return;
  const n = files.length;

  await soft(S, `check DIR --format json (${n} files)`, 'tls-config CLI', async () => {
    const samples: number[] = [];
    const peaks: number[] = [];
    let findings = -1;
    for (let i = 0; i < REPS.cliRuns + 1; i++) {
      const r = await runWithPeakRss([CLI_JS, 'check', root, '--format', 'json'], 600_000);
      if (r.code !== 0 && r.code !== 1) throw new Error(`cli exited ${r.code}: ${r.out.slice(0, 200)}`);
      if (i > 0) {
        samples.push(r.ms);
        peaks.push(r.peakKb);
      }
      try {
        const json = JSON.parse(r.out);
        findings = Array.isArray(json) ? json.length : -1;
      } catch {
        throw new Error(`cli output is not JSON: ${r.out.slice(0, 120)}`);
      }
    }
    notes.push(`CLI check of the ${n}-file workspace: ${findings} finding(s); median ${fmtMs(summarize(samples).median / n)} ms per file`);
    addSamples(S, `check DIR --format json (${n} files)`, 'tls-config CLI', samples);
    addValue(S, `check DIR: peak RSS (ru_maxrss, max of ${peaks.length})`, 'tls-config CLI', 'bytes', Math.max(...peaks) * 1024);
  });

  await soft(S, `server: didOpen all ${n} → diagnostics for all`, 'tls-config', async () => {
    const c = spawnOurs(undefined);
    try {
      await c.initialize(root);
      // What an editor restoring a session with every file open does: all didOpens at once, then wait.
      const t0 = process.hrtime.bigint();
      for (const f of files) c.open(f.path, fs.readFileSync(f.path, 'utf8'), f.languageId, 1);
      const sent = msSince(t0);
      const first = new Map<string, bigint>();
      const wanted = new Set(files.map((f) => f.uri));
      let seen = 0;
      let errors = 0;
      const deadline = Date.now() + 600_000;
      while (first.size < wanted.size) {
        if (Date.now() > deadline) throw new Error(`diagnostics for ${first.size} of ${n} files within 600 s`);
        for (; seen < c.published.length; seen++) {
          const p = c.published[seen];
          if (p.version === 1 && wanted.has(p.uri) && !first.has(p.uri)) {
            first.set(p.uri, p.at);
            errors += p.diagnostics.filter((d: Json) => d.severity === 1).length;
          }
        }
        if (first.size < wanted.size) await sleep(20);
      }
      const at = [...first.values()].map((x) => msSince(t0, x)).sort((a, b) => a - b);
      notes.push(
        `server, ${n} didOpens: sent in ${fmtMs(sent)} ms; first diagnostics after ${fmtMs(at[0])} ms, half after ${fmtMs(at[at.length >> 1])} ms; ${c.published.length} publishDiagnostics in all; ${errors} error(s)`,
      );
      addValue(S, `server: didOpen all ${n} → diagnostics for all`, 'tls-config', 'ms', at[at.length - 1]);
      const kb = c.peakRssKb();
      if (!kb) throw new Error('VmHWM unavailable (/proc not readable)');
      addValue(S, `server: peak RSS (VmHWM, ${n} open)`, 'tls-config', 'bytes', kb * 1024);
    } finally {
      await c.shutdown();
    }
  });
}

async function sectionGeneration(): Promise<void> {
  const S = '5 generation';
  for (const keyType of ['P-256', 'RSA-2048'] as const) {
    const target = keyType === 'P-256' ? { label: '<100 med', ok: (s: ReturnType<typeof summarize>) => s.median < 100 } : undefined;
    await soft(
      S,
      `generateCertSet mutual ${keyType}`,
      'tls-config (in-process)',
      async () => {
        const cg = await import('../server/src/service/certgen');
        const opts = { ...cg.DEFAULT_OPTIONS, mode: 'mutual' as const, keyType };
        const samples: number[] = [];
        let names = '';
        for (let i = 0; i < REPS.gen + 1; i++) {
          const r = await timeAsync(() => cg.generateCertSet(opts));
          if (i > 0) samples.push(r.ms);
          names = r.value.map((f) => f.name).join(' ');
        }
        if (keyType === 'P-256') notes.push(`generateCertSet (mutual) writes: ${names}`);
        addSamples(S, `generateCertSet mutual ${keyType}`, 'tls-config (in-process)', samples, target);
      },
      target?.label,
    );
  }
  await soft(S, "docs' gen.sh (RSA-2048, 8 openssl runs)", 'openssl', async () => {
    const script = path.join(__dirname, 'gen.sh');
    const samples: number[] = [];
    for (let i = 0; i < REPS.genSh + 1; i++) {
      const d = tempDir('gensh');
      const r = await run('sh', [script], { cwd: d, timeoutMs: 120_000 });
      if (r.code !== 0) throw new Error(`gen.sh exited ${r.code}: ${r.out.trim().split('\n').slice(-1)[0]}`);
      for (const f of ['ca.pem', 'server.pem', 'client.pem'])
        if (!fs.existsSync(path.join(d, f))) throw new Error(`gen.sh did not write ${f}`);
      if (i > 0) samples.push(r.ms);
      fs.rmSync(d, { recursive: true, force: true });
    }
    addSamples(S, "docs' gen.sh (RSA-2048, 8 openssl runs)", 'openssl', samples);
  });
}

// ---------------------------------------------------------------- output

const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + '…' : s);

/**
 * Section 7: a folder of client, server and CA files judged as a set, in-process: validate and hover on
 * client.crt; and the same certificate in a folder with no key (a bundle, certificates to trust), where the
 * set checks must cost nothing beside the PEM lint.
 */
async function sectionCertSets(): Promise<void> {
  const S = '7 cert sets';
  const tool = 'tls-config (in-process)';
  const svc = await import('../server/src/service');
  const cg = await import('../server/src/service/certgen');
  const set = await cg.generateCertSet({ ...cg.DEFAULT_OPTIONS, mode: 'mutual' });
  const text = (n: string) => set.find((f) => f.name === n)!.contents;
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-set-')));
  const bare = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-bundle-')));
  try {
    for (const [n, t] of [
      ['ca.crt', 'ca.pem'],
      ['server.crt', 'server.pem'],
      ['server.key', 'server.key'],
      ['client.crt', 'client.pem'],
      ['client.key', 'client.key'],
    ])
      fs.writeFileSync(path.join(dir, n), text(t), { mode: 0o600 });
    fs.writeFileSync(path.join(bare, 'ca.crt'), text('ca.pem'));
    fs.writeFileSync(path.join(bare, 'client.crt'), text('client.pem'));
    const service = new svc.LanguageService(new svc.Workspace([dir, bare]), {});
    const doc = (d: string) => ({
      path: path.join(d, 'client.crt'),
      uri: `file://${path.join(d, 'client.crt')}`,
      text: text('client.pem'),
    });
    // A new text each time: the facade's per-version model cache must not hide the work.
    let v = 0;
    const fresh = (d: string) => ({ ...doc(d), text: `${text('client.pem')}${'\n'.repeat(++v % 2)}` });
    await soft(S, 'validate client.crt in a set folder (5 files)', tool, async () =>
      addSamples(
        S,
        'validate client.crt in a set folder (5 files)',
        tool,
        time(() => service.validate(fresh(dir))),
      ),
    );
    await soft(S, 'hover on client.crt (set status line)', tool, async () => {
      const h = service.hover(doc(dir), { line: 1, character: 0 });
      notes.push(`cert set hover: ${((h?.contents as { value: string }).value ?? '').split('\n')[0]}`);
      addSamples(
        S,
        'hover on client.crt (set status line)',
        tool,
        time(() => service.hover(fresh(dir), { line: 1, character: 0 })),
      );
    });
    await soft(S, 'validate client.crt, folder without keys', tool, async () =>
      addSamples(
        S,
        'validate client.crt, folder without keys',
        tool,
        time(() => service.validate(fresh(bare))),
      ),
    );
    await soft(S, 'the same with the set checks switched off (baseline)', tool, async () => {
      const { certSetTarget } = await import('../server/src/service/targets/cert-set');
      const hook = certSetTarget.pemChecks;
      certSetTarget.pemChecks = undefined;
      try {
        addSamples(
          S,
          'the same with the set checks switched off (baseline)',
          tool,
          time(() => service.validate(fresh(bare))),
        );
      } finally {
        certSetTarget.pemChecks = hook;
      }
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(bare, { recursive: true, force: true });
  }
}

function printTable(): string {
  const fmt = (r: Row, x: number | undefined) => (x === undefined ? '' : r.unit === 'bytes' ? fmtBytes(x) : `${fmtMs(x)} ms`);
  const body = rows.map((r) => [
    r.section,
    r.metric,
    r.tool,
    r.n === undefined ? '' : String(r.n),
    clip(r.error ? `error: ${r.error}` : (r.text ?? fmt(r, r.median)), 70),
    r.error || r.text ? '' : fmt(r, r.p95),
    r.target ?? '',
    r.pass === undefined ? (r.target ? (r.error ? 'FAIL (error)' : 'n/a') : '') : r.pass ? 'PASS' : 'FAIL',
  ]);
  return table(['Section', 'Metric', 'Tool', 'n', 'Median / value', 'p95', 'Target', 'Result'], body);
}

async function versionOf(cmd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await execFileP(cmd, args);
    return stdout.trim().split('\n')[0];
  } catch {
    return 'unavailable';
  }
}

// ---------------------------------------------------------------- postgres target (issue 14)

/** A .env, a compose file with a Postgres server and a client, postgresql.conf (the stock sample + ssl=on), a big JSON that is not ours. */
async function sectionPostgres(): Promise<void> {
  const S = '8 postgres target';
  const tool = 'tls-config (in-process)';
  const svc = await import('../server/src/service');
  const cg = await import('../server/src/service/certgen');
  const files = await cg.generateCertSet({ ...cg.DEFAULT_OPTIONS, mode: 'mutual', names: ['db', 'localhost'] });
  const root = tempDir('pg');
  for (const f of files) {
    fs.mkdirSync(path.join(root, 'certs'), { recursive: true });
    fs.writeFileSync(path.join(root, 'certs', f.name), f.contents, { mode: f.secret ? 0o600 : 0o644 });
  }
  const env = [
    '# app settings',
    ...Array.from({ length: 30 }, (_, i) => `SETTING_${i}=value-${i}`),
    'DATABASE_URL=postgresql://app:secret@db:5432/app?sslmode=verify-full&sslrootcert=certs/ca.pem&sslcert=certs/client.pem&sslkey=certs/client.key',
    'READONLY_URL="host=db port=5432 dbname=app user=ro sslmode=verify-ca sslrootcert=certs/ca.pem"',
    'PGSSLMODE=verify-full',
    'REDIS_URL=redis://cache:6379',
    '',
  ].join('\n');
  const compose = [
    'services:',
    '  db:',
    '    image: postgres:16',
    '    command: -c ssl=on -c ssl_cert_file=/certs/server.pem -c ssl_key_file=/certs/server.key -c ssl_ca_file=/certs/ca.pem',
    '    volumes:',
    '      - ./certs:/certs:ro',
    '  app:',
    '    image: app',
    '    environment:',
    '      DATABASE_URL: postgresql://app@db/app?sslmode=verify-full&sslrootcert=/certs/ca.pem',
    '    volumes:',
    '      - ./certs:/certs:ro',
    '',
  ].join('\n');
  const sample = '/usr/share/postgresql/15/postgresql.conf.sample';
  const conf =
    (fs.existsSync(sample) ? fs.readFileSync(sample, 'utf8') : '') +
    "\nssl = on\nssl_cert_file = 'certs/server.pem'\nssl_key_file = 'certs/server.key'\n";
  const bigJson = JSON.stringify(
    {
      packages: Object.fromEntries(
        Array.from({ length: 14000 }, (_, i) => [`pkg-${i}`, { version: `1.${i}.0`, resolved: `https://registry.example/pkg-${i}` }]),
      ),
    },
    null,
    2,
  );
  fs.writeFileSync(path.join(root, '.env'), env);
  fs.writeFileSync(path.join(root, 'docker-compose.yml'), compose);
  fs.writeFileSync(path.join(root, 'postgresql.conf'), conf);
  fs.writeFileSync(path.join(root, 'package-lock.json'), bigJson);
  const service = new svc.LanguageService(new svc.Workspace([root]), {});
  const docOf = (name: string, text: string) => ({ path: path.join(root, name), uri: `file://${path.join(root, name)}`, text });
  // Two texts alternate with new versions, so every call parses (the parse is part of what is measured).
  const texts = new Map<string, string[]>();
  const edited = (name: string, text: string, i: number) => {
    if (!texts.has(name)) texts.set(name, [text, `${text}\n# edit\n`]);
    return { ...docOf(name, texts.get(name)![i % 2]), version: i };
  };
  const under = (ms: number) => ({ label: `median < ${ms} ms`, ok: (x: ReturnType<typeof summarize>) => x.median < ms });
  await soft(S, 'validate(.env, 2 connections with certificates)', tool, async () => {
    let n = 0;
    addSamples(
      S,
      'validate(.env, 2 connections with certificates)',
      tool,
      time((i) => (n = service.validate(edited('.env', env, i)).length)),
      under(10),
    );
    notes.push(`postgres .env: ${n} finding(s) (a clean, wired set)`);
  });
  await soft(S, 'hover(.env, on sslmode)', tool, async () => {
    const line = env.split('\n').findIndex((l) => l.startsWith('DATABASE_URL'));
    const character = env.split('\n')[line].indexOf('verify-full') + 2;
    addSamples(
      S,
      'hover(.env, on sslmode)',
      tool,
      time((i) => service.hover(edited('.env', env, i), { line, character })),
      under(10),
    );
  });
  await soft(S, 'validate(docker-compose.yml, postgres server + client)', tool, async () => {
    addSamples(
      S,
      'validate(docker-compose.yml, postgres server + client)',
      tool,
      time((i) => service.validate(edited('docker-compose.yml', compose, i))),
      under(20),
    );
  });
  await soft(S, 'validate(postgresql.conf, stock sample + ssl=on)', tool, async () => {
    addSamples(
      S,
      'validate(postgresql.conf, stock sample + ssl=on)',
      tool,
      time((i) => service.validate(edited('postgresql.conf', conf, i))),
      under(10),
    );
  });
  const mb = (bigJson.length / 1048576).toFixed(1);
  await soft(
    S,
    `validate(package-lock.json ${mb} MB, not a postgres file) minus the same text in a file no target claims`,
    tool,
    async () => {
      // Under the 2 MB sniff limit, so the postgres target's line scan runs; the baseline pays the facade's own costs.
      const ours = time((i) => service.validate(edited('package-lock.json', bigJson, i)));
      const base = time((i) => service.validate(edited('package-lock.bin', bigJson, i)));
      addSamples(S, `validate(package-lock.json ${mb} MB, not a postgres file)`, tool, ours);
      addSamples(S, `validate(package-lock.bin ${mb} MB, no target: baseline)`, tool, base);
      const d = summarize(ours).median - summarize(base).median;
      addValue(S, 'cost of the postgres sniff on a non-postgres file (median difference)', tool, 'ms', d, {
        label: '< 2 ms',
        ok: (x) => x < 2,
      });
    },
  );
}

// ---------------------------------------------------------------- gateways (nginx, APISIX; issue 15)

/** Realistic gateway files (nginx: nginx.conf + conf.d/ with 12 TLS servers; APISIX: 20 SSL objects) and unrelated files that must cost nothing. */
async function sectionGateways(): Promise<void> {
  const S = '9 gateways';
  const tool = 'tls-config (in-process)';
  const svc = await import('../server/src/service');
  const cg = await import('../server/src/service/certgen');
  const appNames = Array.from({ length: 12 }, (_, i) => `app${i}.internal`);
  const set = await cg.generateCertSet({ ...cg.DEFAULT_OPTIONS, names: ['localhost', ...appNames], mode: 'mutual' });
  const root = tempDir('nginx');
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  for (const f of set) write(`certs/${f.name}`, f.contents);
  const servers = Array.from(
    { length: 12 },
    (_, i) => `server {
    listen 443 ssl;
    listen [::]:443 ssl;
    http2 on;
    server_name localhost app${i}.internal;
    include snippets/tls.conf;
    ssl_client_certificate certs/ca.pem;
    ssl_verify_client optional;
    location / {
        proxy_pass http://127.0.0.1:${8000 + i};
        proxy_set_header Host $host;
        proxy_set_header X-Client-Verify $ssl_client_verify;
    }
}
`,
  ).join('\n');
  write(
    'nginx.conf',
    'user www-data;\nworker_processes auto;\nevents { worker_connections 768; }\nhttp {\n    sendfile on;\n    ssl_protocols TLSv1.2 TLSv1.3;\n    include conf.d/*.conf;\n}\n',
  );
  write('snippets/tls.conf', 'ssl_certificate certs/server.pem;\nssl_certificate_key certs/server.key;\n');
  write('conf.d/site.conf', servers);
  const other = Array.from({ length: 1500 }, (_, i) => (i % 10 === 0 ? `# section ${i}` : `setting_${i} = value ${i}`)).join('\n') + '\n';
  write('conf.d/../app/settings.conf', other);
  const service = new svc.LanguageService(new svc.Workspace([root]));
  const doc = (rel: string, text = fs.readFileSync(path.join(root, rel), 'utf8')) => ({
    path: path.join(root, rel),
    uri: 'file://' + path.join(root, rel),
    text,
  });
  await soft(S, 'validate conf.d/site.conf (12 TLS servers, include)', tool, async () => {
    const base = doc('conf.d/site.conf');
    let count = 0;
    const samples = time((i) => (count = service.validate({ ...base, text: base.text + (i % 2 ? '\n# edit\n' : '') }).length));
    notes.push(`nginx bench site: ${count} diagnostic(s) (expected 0)`);
    addSamples(S, 'validate conf.d/site.conf (12 TLS servers, include)', tool, samples, {
      label: 'median < 20 ms',
      ok: (x) => x.median < 20,
    });
  });
  await soft(S, 'hover server_name (which certificate serves it)', tool, async () => {
    const d = doc('conf.d/site.conf');
    const samples = time(() => service.hover(d, { line: 4, character: 30 }));
    addSamples(S, 'hover server_name (which certificate serves it)', tool, samples, { label: 'median < 10 ms', ok: (x) => x.median < 10 });
  });
  await soft(S, 'validate an unrelated 1,500-line .conf (not nginx)', tool, async () => {
    const d = doc('app/settings.conf');
    let kind: string | undefined;
    const samples = time((i) => {
      kind = service.kindOf(d);
      service.validate({ ...d, text: d.text + (i % 2 ? '\n# edit\n' : '') });
    });
    notes.push(`unrelated .conf recognised as: ${kind ?? 'nothing'}`);
    addSamples(S, 'validate an unrelated 1,500-line .conf (not nginx)', tool, samples, {
      label: 'median < 0.5 ms',
      ok: (x) => x.median < 0.5,
    });
  });
  // APISIX standalone: 20 SSL objects with inline PEM (the names of the set), #END.
  const server = set.find((f) => f.name === 'server.pem')!.contents;
  const skey = set.find((f) => f.name === 'server.key')!.contents;
  const block = (pem: string) =>
    pem
      .trim()
      .split('\n')
      .map((l) => '      ' + l)
      .join('\n');
  const ssls = Array.from(
    { length: 20 },
    (_, i) => `  - id: ${i + 1}\n    snis: [localhost, app${i % 12}.internal]\n    cert: |\n${block(server)}\n    key: |\n${block(skey)}\n`,
  ).join('');
  write(
    'apisix.yaml',
    `routes:\n  - uri: /\n    upstream:\n      nodes:\n        "127.0.0.1:1980": 1\n      type: roundrobin\nssls:\n${ssls}#END\n`,
  );
  const bigJson = JSON.stringify({
    name: 'x',
    packages: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`node_modules/p${i}`, { version: '1.0.' + i, key: 'k' + i }])),
  });
  write('package-lock.json', bigJson);
  await soft(S, 'validate apisix.yaml (20 SSL objects, inline PEM)', tool, async () => {
    const base = doc('apisix.yaml');
    let count = 0;
    const samples = time(
      (i) => (count = service.validate({ ...base, text: base.text.replace('#END', i % 2 ? '# edit\n#END' : '#END') }).length),
    );
    notes.push(`apisix bench file: ${count} diagnostic(s) (expected 0)`);
    addSamples(S, 'validate apisix.yaml (20 SSL objects, inline PEM)', tool, samples, {
      label: 'median < 20 ms',
      ok: (x) => x.median < 20,
    });
  });
  await soft(S, 'hover an SNI in apisix.yaml', tool, async () => {
    const d = doc('apisix.yaml');
    const samples = time(() => service.hover(d, { line: 8, character: 14 }));
    notes.push(`apisix SNI hover: ${JSON.stringify(service.hover(d, { line: 8, character: 14 })?.contents).slice(0, 80)}`);
    addSamples(S, 'hover an SNI in apisix.yaml', tool, samples, { label: 'median < 10 ms', ok: (x) => x.median < 10 });
  });
  await soft(S, 'validate an unrelated package-lock.json', tool, async () => {
    const d = doc('package-lock.json');
    let kind: string | undefined;
    const samples = time((i) => {
      kind = service.kindOf(d);
      service.validate({ ...d, text: i % 2 ? d.text + ' ' : d.text });
    });
    notes.push(`unrelated package-lock.json (${(bigJson.length / 1e6).toFixed(2)} MB) recognised as: ${kind ?? 'nothing'}`);
    addSamples(S, 'validate an unrelated package-lock.json', tool, samples, { label: 'median < 1 ms', ok: (x) => x.median < 1 });
  });
}

// ---------------------------------------------------------------- Milvus clients (pymilvus, curl; issue 12)

/** A mode-2 Milvus (compose + milvus.yaml + a set), a 200-line pymilvus script, a shell script of curls, and a large Python file without pymilvus. */
async function sectionMilvusClients(): Promise<void> {
  const S = '10 milvus clients';
  const tool = 'tls-config (in-process)';
  const svc = await import('../server/src/service');
  const cg = await import('../server/src/service/certgen');
  const { composeYaml, milvusYaml } = await import('../test/support/workspace');
  const set = await cg.generateCertSet({ ...cg.DEFAULT_OPTIONS, mode: 'mutual' });
  const root = tempDir('milvus-client');
  fs.mkdirSync(path.join(root, 'tls'), { recursive: true });
  for (const f of set) fs.writeFileSync(path.join(root, 'tls', f.name), f.contents, { mode: f.secret ? 0o600 : 0o644 });
  fs.writeFileSync(path.join(root, 'docker-compose.yml'), composeYaml());
  fs.writeFileSync(path.join(root, 'milvus.yaml'), milvusYaml({ mode: 2 }));
  const helpers = Array.from(
    { length: 40 },
    (_, i) =>
      `def search_${i}(client, vectors):\n    """Search ${i}."""\n    return client.search("docs", data=vectors, limit=${i + 1}, output_fields=["text"])\n`,
  ).join('\n');
  const script = [
    'import os',
    'from pymilvus import MilvusClient, DataType',
    '',
    'CA = "tls/ca.pem"',
    'CERT = "tls/client.pem"',
    'KEY = "tls/client.key"',
    '',
    'client = MilvusClient(',
    '    uri="https://localhost:19530",',
    '    token=os.getenv("MILVUS_TOKEN", "root:Milvus"),',
    '    client_pem_path=CERT,',
    '    client_key_path=KEY,',
    '    ca_pem_path=CA,',
    '    server_name="localhost",',
    ')',
    '',
    helpers,
  ].join('\n');
  const shell = [
    '#!/usr/bin/env bash',
    'set -euo pipefail',
    ...Array.from(
      { length: 10 },
      (_, i) =>
        `curl -sS --cacert tls/ca.pem --cert tls/client.pem --key tls/client.key \\\n  -H 'Content-Type: application/json' -d '{"collectionName": "c${i}"}' \\\n  https://localhost:19530/v2/vectordb/collections/describe | jq .`,
    ),
    '',
  ].join('\n');
  const big = Array.from(
    { length: 3000 },
    (_, i) => `def f${i}(x):\n    return requests.get(f"https://api.example/{x}", timeout=${i})\n`,
  ).join('\n');
  for (const [n, t] of [
    ['app.py', script],
    ['check.sh', shell],
    ['big.py', big],
    ['big.bin', big],
  ])
    fs.writeFileSync(path.join(root, n), t);
  const service = new svc.LanguageService(new svc.Workspace([root]), {});
  const docOf = (name: string, text: string, i: number) => ({
    path: path.join(root, name),
    uri: `file://${path.join(root, name)}`,
    text: i % 2 ? `${text}\n# edit\n` : text,
    version: i,
  });
  const under = (ms: number) => ({ label: `median < ${ms} ms`, ok: (x: ReturnType<typeof summarize>) => x.median < ms });
  await soft(S, 'validate(app.py, a mutual-TLS MilvusClient against the workspace Milvus)', tool, async () => {
    let n = -1;
    addSamples(
      S,
      'validate(app.py, a mutual-TLS MilvusClient against the workspace Milvus)',
      tool,
      time((i) => (n = service.validate(docOf('app.py', script, i)).length)),
      under(20),
    );
    notes.push(`milvus client app.py: ${n} finding(s) (expected 0)`);
  });
  await soft(S, 'hover(app.py, on client_key_path)', tool, async () => {
    const line = script.split('\n').findIndex((l) => l.includes('client_key_path'));
    addSamples(
      S,
      'hover(app.py, on client_key_path)',
      tool,
      time((i) => service.hover(docOf('app.py', script, i), { line, character: 8 })),
      under(10),
    );
  });
  await soft(S, 'validate(check.sh, 10 curl commands with client certificates)', tool, async () => {
    addSamples(
      S,
      'validate(check.sh, 10 curl commands with client certificates)',
      tool,
      time((i) => service.validate(docOf('check.sh', shell, i))),
      under(20),
    );
  });
  await soft(S, 'cost of a 6,000-line .py without pymilvus (minus a file no target claims)', tool, async () => {
    let kind: string | undefined;
    const ours = time((i) => {
      kind = service.kindOf(docOf('big.py', big, i));
      service.validate(docOf('big.py', big, i));
    });
    const base = time((i) => service.validate(docOf('big.bin', big, i)));
    notes.push(`big.py (${(big.length / 1e6).toFixed(2)} MB, no pymilvus) recognised as: ${kind ?? 'nothing'}`);
    addValue(
      S,
      'cost of a 6,000-line .py without pymilvus (median difference)',
      tool,
      'ms',
      summarize(ours).median - summarize(base).median,
      {
        label: '< 1 ms',
        ok: (x) => x < 1,
      },
    );
  });
}

// ---------------------------------------------------------------- kubernetes (issue 13)

/** A Milvus CR with its Secret, an Ingress and a Deployment in one multi-document file; a chart values file; an unrelated YAML. */
async function sectionKubernetes(): Promise<void> {
  const S = '13 kubernetes';
  const tool = 'tls-config (in-process)';
  const svc = await import('../server/src/service');
  const cg = await import('../server/src/service/certgen');
  const k = await import('../test/support/k8s');
  const set = await cg.generateCertSet({ ...cg.DEFAULT_OPTIONS, names: ['localhost', 'milvus.example.test'], mode: 'mutual' });
  const pem = (n: string) => set.find((f) => f.name === n)!.contents;
  const root = tempDir('k8s');
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  const secret = k.secretYaml('certs', { 'server.pem': pem('server.pem'), 'server.key': pem('server.key'), 'ca.pem': pem('ca.pem') });
  const tlsSecret = k.secretYaml(
    'milvus-tls',
    { 'tls.crt': pem('server.pem'), 'tls.key': pem('server.key') },
    { type: 'kubernetes.io/tls' },
  );
  const cr = k.milvusCr({ tlsMode: 2, mode: 'cluster' });
  const ingress = `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: milvus\nspec:\n  tls:\n    - secretName: milvus-tls\n      hosts: [milvus.example.test]\n  rules:\n    - host: milvus.example.test\n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service:\n                name: my-release-milvus\n                port:\n                  number: 19530\n`;
  const deployment = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: client\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: app:1\n          volumeMounts:\n            - name: ca\n              mountPath: /etc/milvus-ca\n      volumes:\n        - name: ca\n          secret:\n            secretName: certs\n            items:\n              - key: ca.pem\n                path: ca.pem\n`;
  write('k8s/milvus.yaml', [secret, tlsSecret, cr, ingress, deployment].join('---\n'));
  const values = `cluster:\n  enabled: true\nextraConfigFiles:\n  user.yaml: |+\n    common:\n      security:\n        tlsMode: 1\n    tls:\n      serverPemPath: /etc/milvus/certs/tls.crt\n      serverKeyPath: /etc/milvus/certs/tls.key\nproxy:\n  enabled: true\n  tls:\n    enabled: true\n    secretName: milvus-tls\n    crt: ${k.b64(pem('server.pem'))}\n    key: ${k.b64(pem('server.key'))}\n  volumes:\n  - secret:\n      secretName: milvus-tls\n    name: milvus-tls\n  volumeMounts:\n  - mountPath: /etc/milvus/certs/\n    name: milvus-tls\n${Array.from({ length: 40 }, (_, i) => `component${i}:\n  enabled: false\n  replicas: 1\n  resources: {}\n  nodeSelector: {}\n`).join('')}`;
  write('chart/Chart.yaml', 'apiVersion: v2\nname: milvus\nversion: 4.2.0\n');
  write('chart/values.yaml', values);
  const other = `openapi: 3.0.0\ninfo:\n  title: x\n  version: '1'\npaths:\n${Array.from({ length: 300 }, (_, i) => `  /items/${i}:\n    get:\n      summary: item ${i}\n      responses:\n        '200':\n          description: ok\n`).join('')}`;
  write('api/openapi.yaml', other);
  const service = new svc.LanguageService(new svc.Workspace([root]));
  const doc = (rel: string) => ({
    path: path.join(root, rel),
    uri: 'file://' + path.join(root, rel),
    text: fs.readFileSync(path.join(root, rel), 'utf8'),
  });
  await soft(S, 'validate a CR + Secrets + Ingress + Deployment manifest (5 documents)', tool, async () => {
    const base = doc('k8s/milvus.yaml');
    let count = 0;
    const samples = time((i) => (count = service.validate({ ...base, text: base.text + (i % 2 ? '# edit\n' : '') }).length));
    notes.push(`k8s bench manifest: ${count} diagnostic(s) (expected 0: the CA is a key of the same Secret)`);
    addSamples(S, 'validate a CR + Secrets + Ingress + Deployment manifest (5 documents)', tool, samples, {
      label: 'median < 20 ms',
      ok: (x) => x.median < 20,
    });
  });
  await soft(S, 'hover a tls path in spec.config (→ Secret key)', tool, async () => {
    const d = doc('k8s/milvus.yaml');
    const line = d.text.split('\n').findIndex((l) => l.includes('serverPemPath:'));
    const at = { line, character: d.text.split('\n')[line].indexOf('/certs') + 2 };
    const samples = time(() => service.hover(d, at));
    notes.push(`k8s path hover: ${JSON.stringify(service.hover(d, at)?.contents).slice(0, 90)}`);
    addSamples(S, 'hover a tls path in spec.config (→ Secret key)', tool, samples, { label: 'median < 10 ms', ok: (x) => x.median < 10 });
  });
  await soft(S, 'validate chart values.yaml (proxy.tls, extraConfigFiles)', tool, async () => {
    const base = doc('chart/values.yaml');
    let count = 0;
    const samples = time((i) => (count = service.validate({ ...base, text: base.text + (i % 2 ? '# edit\n' : '') }).length));
    notes.push(
      `chart values bench file: ${count} diagnostic(s) (expected 1: the tls-public-ca-lifetime hint, no CA at hand for the 825-day leaf)`,
    );
    addSamples(S, 'validate chart values.yaml (proxy.tls, extraConfigFiles)', tool, samples, {
      label: 'median < 20 ms',
      ok: (x) => x.median < 20,
    });
  });
  await soft(S, 'validate an unrelated 1,800-line YAML (OpenAPI)', tool, async () => {
    const d = doc('api/openapi.yaml');
    let kind: string | undefined;
    const samples = time((i) => {
      kind = service.kindOf(d);
      service.validate({ ...d, text: d.text + (i % 2 ? '# edit\n' : '') });
    });
    notes.push(`unrelated OpenAPI YAML recognised as: ${kind ?? 'nothing'}`);
    addSamples(S, 'validate an unrelated 1,800-line YAML (OpenAPI)', tool, samples, {
      label: 'median < 0.5 ms',
      ok: (x) => x.median < 0.5,
    });
  });
}

async function main(): Promise<void> {
  const t0 = process.hrtime.bigint();
  const startedAt = new Date();
  const loadStart = os.loadavg()[0];
  log(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, reps: latency ${REPS.latency}, spawn ${REPS.spawn}`);

  let ws: MilvusWorkspace | undefined;
  let wsError: unknown;
  try {
    if (!fs.existsSync(SERVER_JS)) throw new Error('dist/server.js missing: run npm run build');
    const cg = await import('../server/src/service/certgen');
    const { composeYaml } = await import('../test/support/workspace');
    const set = await cg.generateCertSet({ ...cg.DEFAULT_OPTIONS, mode: 'mutual' });
    ws = makeMilvusWorkspace(set, composeYaml());
  } catch (e) {
    wsError = e;
  }

  if (ws) {
    if (wanted('1-2')) {
      log('section 1-2: tls-config server …');
      await sectionOurServer(ws);
    }
    if (wanted('1')) {
      log('section 1: pure service in-process …');
      await sectionInProcess(ws);
    }
    if (wanted('3')) {
      log('section 3: yaml-language-server …');
      await sectionYamlLs(ws);
    }
  } else {
    addError('1-3 servers', 'workspace setup (mode-2 milvus.yaml + certgen set)', 'bench', wsError);
  }
  if (wanted('2')) {
    log('section 2: sizes …');
    await sectionSizes();
  }
  if (wanted('4')) {
    log('section 4: CLI vs openssl …');
    await sectionCli();
  }
  if (wanted('5')) {
    log('section 5: generation …');
    await sectionGeneration();
  }
  if (wanted('6')) {
    log(`section 6: workspace of ${REPS.deployments * 10} files …`);
    await sectionManyFiles();
  }
  if (wanted('7')) {
    log('section 7: certificate sets …');
    await sectionCertSets();
  }
  if (wanted('8')) {
    log('section 8: postgres target …');
    await soft('8 postgres target', 'setup', 'bench', sectionPostgres);
  }
  if (wanted('9')) {
    log('section 9: gateways …');
    await sectionGateways();
  }
  if (wanted('10')) {
    log('section 10: milvus clients …');
    await soft('10 milvus clients', 'setup', 'bench', sectionMilvusClients);
  }
  if (wanted('13')) {
    log('section 13: kubernetes …');
    await sectionKubernetes();
  }

  const totalMs = msSince(t0);
  const loadEnd = os.loadavg()[0];
  const printed = printTable();
  process.stdout.write(
    `\nTLS Config benchmark — ${startedAt.toISOString()} — node ${process.version} — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'} — load average ${loadStart.toFixed(2)} at start, ${loadEnd.toFixed(2)} at end\n\n`,
  );
  process.stdout.write(printed + '\n\n');
  for (const n of notes) process.stdout.write(`  · ${n}\n`);
  process.stdout.write(`\nbench wall time ${(totalMs / 1000).toFixed(1)} s (after the build); results in bench/${RESULTS}\n`);

  const results = {
    startedAt: startedAt.toISOString(),
    totalWallMs: Math.round(totalMs),
    machine: {
      loadAverage1m: { start: loadStart, end: loadEnd },
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      totalMemBytes: os.totalmem(),
    },
    versions: { openssl: await versionOf('openssl', ['version']), yamlLanguageServer: YLS_VERSION },
    reps: REPS,
    rows,
    notes,
  };
  fs.writeFileSync(path.join(__dirname, RESULTS), JSON.stringify(results, null, 2) + '\n');
}

function cleanup(): void {
  killAllServers();
  try {
    removeTemps();
  } catch {
    /* best effort */
  }
}

process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    cleanup();
    process.exit(130);
  });
}

main()
  .catch((e) => process.stderr.write(`[bench] unexpected failure: ${(e as Error)?.stack ?? e}\n`))
  .finally(() => {
    cleanup();
    process.exitCode = 0;
  });
