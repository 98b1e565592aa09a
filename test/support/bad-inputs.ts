/**
 * Bad inputs for the robustness suite (issue 7): fast-check arbitraries that
 * mutate valid milvus.yaml / compose / PEM text, a real temp workspace to run
 * them against, and the checks every LanguageService answer must pass
 * (well-formed LSP values, ranges inside the document, bounded time, no
 * swallowed crash). Shared by test/unit/robustness-fuzz.test.ts (fixed seed,
 * fixed runs) and scripts/fuzz-long.ts (FUZZ_RUNS, random seed).
 */
import * as os from 'node:os';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, Position, Range } from 'vscode-languageserver-types';
import fc from 'fast-check';
import { keyStem, certStem, isCaName, namedRole } from '../../server/src/service/targets/cert-set/naming';
import { parse as parseYaml } from 'yaml';
import { LanguageService, Workspace, type Doc } from '../../server/src/service';
import { DEFAULT_SETTINGS } from '../../server/src/service/types';
import { pemHover } from '../../server/src/service/pem/hover';
import { pemSymbols, pemFolding } from '../../server/src/service/pem/symbols';
import { milvusHover } from '../../server/src/service/targets/milvus/hover';
import { milvusCompletion } from '../../server/src/service/targets/milvus/completion';
import { milvusLinks } from '../../server/src/service/targets/milvus/links';
import { milvusCodeActions } from '../../server/src/service/targets/milvus/actions';
import { composeVolumeHover } from '../../server/src/service/targets/compose/hover';
import { postgresHover } from '../../server/src/service/targets/postgres/hover';
import { parsePgDocument } from '../../server/src/service/targets/postgres/validate';
import { lspLines } from '../../server/src/service/text';
import { tmpWorkspace, writeFiles, composeYaml, milvusYaml } from './workspace';
import { pemFixtures } from './pem-fixtures';

/**
 * A single service call taking longer than this is a hang, not slowness: 2 s on an idle machine,
 * stretched by the run queue (load average per core, at most 8×) so a machine busy with other
 * work does not turn slowness into a "hang"; a real hang (quadratic or worse) still blows past it.
 */
export const CALL_LIMIT_MS = Math.round(2000 * Math.min(8, Math.max(1, os.loadavg()[0] / Math.max(1, os.cpus().length))));

// ---------------------------------------------------------------------------
// Checks on answers
// ---------------------------------------------------------------------------

/** Lines as an LSP client counts them (\n, \r\n and a lone \r all end a line). */
export class LspText {
  readonly td: TextDocument;
  constructor(readonly text: string) {
    this.td = TextDocument.create('file:///x', 'plaintext', 1, text);
  }
  get lineCount(): number {
    return this.td.lineCount;
  }
  lineLength(line: number): number {
    return this.td.offsetAt({ line, character: Number.MAX_SAFE_INTEGER }) - this.td.offsetAt({ line, character: 0 });
  }
}

export class Broken extends Error {
  override name = 'Broken';
}

function fail(what: string, detail: unknown): never {
  throw new Broken(`${what}: ${JSON.stringify(detail)?.slice(0, 600)}`);
}

function isInt(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0;
}

export function checkPosition(t: LspText, p: Position | undefined, what: string): void {
  if (!p || !isInt(p.line) || !isInt(p.character)) fail(`${what}: malformed position`, p);
  if (p.line >= t.lineCount) fail(`${what}: line ${p.line} outside the document (${t.lineCount} lines)`, p);
  const len = t.lineLength(p.line);
  if (p.character > len) fail(`${what}: character ${p.character} past the end of line ${p.line} (length ${len})`, p);
}

export function checkRange(t: LspText, r: Range | undefined, what: string): void {
  if (!r) fail(`${what}: missing range`, r);
  checkPosition(t, r.start, `${what} start`);
  checkPosition(t, r.end, `${what} end`);
  if (r.start.line > r.end.line || (r.start.line === r.end.line && r.start.character > r.end.character))
    fail(`${what}: start after end`, r);
}

export function checkDiagnostics(t: LspText, ds: unknown, opts: { allowInternalError?: boolean } = {}): asserts ds is Diagnostic[] {
  if (!Array.isArray(ds)) fail('diagnostics: not an array', ds);
  for (const d of ds as Diagnostic[]) {
    if (typeof d.code !== 'string' || d.code === '') fail('diagnostic without a string code', d);
    if (d.source !== 'tls-config') fail('diagnostic with a wrong source', d);
    if (!isInt(d.severity) || d.severity < 1 || d.severity > 4) fail('diagnostic severity outside 1..4', d);
    if (typeof d.message !== 'string' || d.message === '') fail('diagnostic without a message', d);
    checkRange(t, d.range, `diagnostic ${d.code}`);
    if (!opts.allowInternalError && d.code === 'internal-error') fail('a swallowed crash (internal-error)', d);
  }
}

function checkHover(t: LspText, h: unknown): void {
  if (h === null || h === undefined) return;
  const hv = h as { contents?: { kind?: string; value?: unknown }; range?: Range };
  if (!hv.contents || typeof hv.contents.value !== 'string' || (hv.contents.kind !== 'markdown' && hv.contents.kind !== 'plaintext'))
    fail('hover without markup contents', h);
  if (hv.range) checkRange(t, hv.range, 'hover');
}

function checkSymbols(t: LspText, syms: unknown, depth = 0): void {
  if (!Array.isArray(syms)) fail('symbols: not an array', syms);
  for (const s of syms) {
    if (typeof s.name !== 'string' || s.name.trim() === '') fail('symbol with an empty name (VS Code rejects it)', s);
    if (!isInt(s.kind) || s.kind < 1 || s.kind > 26) fail('symbol kind outside 1..26', s);
    checkRange(t, s.range, 'symbol range');
    checkRange(t, s.selectionRange, 'symbol selectionRange');
    const inside = (a: Range, b: Range) =>
      (a.start.line > b.start.line || (a.start.line === b.start.line && a.start.character >= b.start.character)) &&
      (a.end.line < b.end.line || (a.end.line === b.end.line && a.end.character <= b.end.character));
    if (!inside(s.selectionRange, s.range)) fail('symbol selectionRange not inside its range (VS Code rejects it)', s);
    if (s.children) checkSymbols(t, s.children, depth + 1);
  }
}

function checkFolding(t: LspText, fr: unknown): void {
  if (!Array.isArray(fr)) fail('folding: not an array', fr);
  for (const f of fr) {
    if (!isInt(f.startLine) || !isInt(f.endLine) || f.startLine > f.endLine || f.endLine >= t.lineCount)
      fail('folding range outside the document', f);
  }
}

function checkLinks(t: LspText, links: unknown): void {
  if (!Array.isArray(links)) fail('links: not an array', links);
  for (const l of links) {
    checkRange(t, l.range, 'link');
    if (l.target !== undefined && typeof l.target !== 'string') fail('link target not a string', l);
  }
}

function checkCompletion(t: LspText, items: unknown): void {
  if (!Array.isArray(items)) fail('completion: not an array', items);
  for (const i of items) {
    if (typeof i.label !== 'string' || i.label === '') fail('completion item without a label', i);
    if (i.textEdit?.range) checkRange(t, i.textEdit.range, 'completion textEdit');
  }
}

function checkActions(t: LspText, uri: string, actions: unknown): void {
  if (!Array.isArray(actions)) fail('code actions: not an array', actions);
  for (const a of actions) {
    if (typeof a.title !== 'string' || a.title === '') fail('code action without a title', a);
    for (const e of a.edit?.changes?.[uri] ?? []) checkRange(t, e.range, 'code action edit');
  }
}

// ---------------------------------------------------------------------------
// Running every request on a document
// ---------------------------------------------------------------------------

export interface Timing {
  calls: number;
  slowest: { ms: number; what: string };
}

export const timing: Timing = { calls: 0, slowest: { ms: 0, what: '' } };

/** Runs f; fails when it throws (message says so) or takes over CALL_LIMIT_MS. */
export function timed<T>(what: string, f: () => T): T {
  const t0 = performance.now();
  let v: T;
  try {
    v = f();
  } catch (e) {
    if (e instanceof Broken) throw e;
    throw new Broken(`${what} threw: ${(e as Error)?.stack ?? e}`);
  }
  const ms = performance.now() - t0;
  timing.calls++;
  if (ms > timing.slowest.ms) timing.slowest = { ms, what };
  if (ms > CALL_LIMIT_MS) throw new Broken(`${what} took ${ms.toFixed(0)} ms (limit ${CALL_LIMIT_MS} ms): a hang`);
  return v;
}

/** Lines to hover: all of them for small documents, an even sample of `max` otherwise, plus one past the end. */
export function probePositions(t: LspText, max = 12): Position[] {
  const n = t.lineCount;
  const lines = n <= max ? [...Array(n).keys()] : [...new Set([...Array(max).keys()].map((i) => Math.floor((i * (n - 1)) / (max - 1))))];
  const out: Position[] = [];
  for (const line of lines) {
    const len = t.lineLength(line);
    out.push({ line, character: Math.min(len, 2 + (line % 7)) });
    if (line % 5 === 0) out.push({ line, character: len });
  }
  out.push({ line: n + 3, character: 0 }, { line: 0, character: 10_000 });
  return out;
}

/**
 * Every request a client makes on a document, through the facade (which must
 * answer well-formed values) and again through the room functions the facade
 * wraps in try/catch, so a crash the facade would swallow is still a failure.
 */
export function exercise(service: LanguageService, doc: Doc, opts: { positions?: Position[] } = {}): number {
  const t = new LspText(doc.text);
  // The room functions get the text as the facade hands it to them (lone \r as \n).
  const raw = { ...doc, text: lspLines(doc.text) };
  const svc = service as unknown as { ctx(): Parameters<typeof milvusHover>[3]; describeFile(p: string): string };
  const kind = timed('kindOf', () => service.kindOf(doc));
  const diags = timed(`validate ${kind}`, () => service.validate(doc));
  checkDiagnostics(t, diags);
  const positions = opts.positions ?? probePositions(t);
  const big = doc.text.length > 5 * 1024 * 1024;
  for (const [i, pos] of positions.entries()) {
    checkHover(
      t,
      timed(`hover ${kind} ${pos.line}:${pos.character}`, () => service.hover(doc, pos)),
    );
    if (i % 3 !== 0) continue; // the unwrapped room calls on a third of the positions
    if (!big && kind === 'pem') timed('pemHover (raw)', () => pemHover(raw.text, pos, { now: new Date() }));
    if (!big && kind === 'milvus')
      checkHover(
        t,
        timed('milvusHover (raw)', () => milvusHover(raw.text, raw.path, pos, svc.ctx())),
      );
    if (!big && kind === 'postgres')
      checkHover(
        t,
        timed('postgresHover (raw)', () =>
          postgresHover(
            raw.path,
            raw.text,
            parsePgDocument(raw.path, raw.text),
            pos,
            svc.ctx() as unknown as Parameters<typeof postgresHover>[4],
          ),
        ),
      );
    if (!big && kind === 'compose')
      checkHover(
        t,
        timed('composeVolumeHover (raw)', () => composeVolumeHover(raw.text, pos, doc.path, service.ws, {}, (p) => svc.describeFile(p))),
      );
  }
  for (const pos of positions.filter((_, i) => i % 4 === 0)) {
    checkCompletion(
      t,
      timed('completion', () => service.completion(doc, pos)),
    );
    if (!big && kind === 'milvus') timed('milvusCompletion (raw)', () => milvusCompletion(raw.text, raw.path, pos, svc.ctx()));
  }
  checkSymbols(
    t,
    timed('symbols', () => service.symbols(doc)),
  );
  checkFolding(
    t,
    timed('folding', () => service.folding(doc)),
  );
  checkLinks(
    t,
    timed('links', () => service.links(doc)),
  );
  checkActions(
    t,
    doc.uri,
    timed('codeActions', () => service.codeActions(doc, diags)),
  );
  if (!big && kind === 'pem') {
    timed('pemSymbols (raw)', () => pemSymbols(raw.text));
    timed('pemFolding (raw)', () => pemFolding(raw.text));
  }
  if (!big && kind === 'milvus') {
    checkLinks(
      t,
      timed('milvusLinks (raw)', () => milvusLinks(raw.text, raw.path, svc.ctx())),
    );
    checkActions(
      t,
      doc.uri,
      timed('milvusCodeActions (raw)', () => milvusCodeActions(doc.uri, raw.text, diags, service.ws)),
    );
  }
  return 1;
}

// ---------------------------------------------------------------------------
// The workspace fuzzed documents live in
// ---------------------------------------------------------------------------

export interface FuzzWorkspace {
  root: string;
  ws: Workspace;
  service: LanguageService;
  texts: {
    milvus: string;
    compose: string;
    pem: Record<string, string>;
    der: Uint8Array;
    nginx: string;
    apisix: string;
    /** Clients of the Milvus in the workspace: a pymilvus script, a shell script and a README with curl. */
    client: { python: string; shell: string; markdown: string };
    k8s: string;
    values: string;
  };
  /** Opens `text` at `rel` as the server does (an overlay), runs f, closes it. */
  withOpen<T>(rel: string, text: string, f: (doc: Doc) => T): T;
  dispose(): void;
}

let seq = 0;

export async function fuzzWorkspace(): Promise<FuzzWorkspace> {
  const fx = await pemFixtures();
  const root = tmpWorkspace('fuzz-');
  const milvus = milvusYaml({ mode: 2, internal: true });
  const compose = composeYaml();
  const pem: Record<string, string> = {
    cert: fx.leaf.certPem,
    chain: fx.leaf.certPem + fx.ca.certPem,
    rsaCert: fx.rsaLeaf.certPem,
    ecPkcs8: fx.keys.ecPkcs8,
    ecSec1: fx.keys.ecSec1,
    rsaPkcs1: fx.keys.rsaPkcs1,
    encrypted: fx.keys.encryptedPkcs8,
    legacyEncrypted: fx.keys.legacyEncrypted,
    csr: fx.csrPem,
    certAndKey: fx.leaf.certPem + fx.keys.ecPkcs8,
    ca: fx.ca.certPem,
  };
  if (fx.keys.openssh) pem.openssh = fx.keys.openssh;
  const nginx = NGINX_FUZZ_BASE;
  const block = (pem: string) =>
    pem
      .trim()
      .split('\n')
      .map((l) => '      ' + l)
      .join('\n');
  const apisix = `ssls:\n  - snis: [localhost, "*.example.test"]\n    cert: |\n${block(fx.leaf.certPem)}\n    key: |\n${block(fx.keys.ecPkcs8)}\n    certs: [$env://X]\n    keys: [$secret://vault/1/k]\n    client:\n      ca: |\n${block(fx.ca.certPem)}\n      depth: 2\n  - sni: a.test\n    certificates:\n      - certificate: x\n        key: y\n#END\n`;
  // A Secret (literal, folded and base64 PEM), a Milvus CR mounting it, an Ingress on it; a chart values file.
  const k8s = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: certs\ntype: kubernetes.io/tls\nstringData:\n  tls.crt: |\n${block(fx.leaf.certPem).replace(/^ {2}/gm, '')}\n  tls.key:\n${block(fx.keys.ecPkcs8).replace(/^ {2}/gm, '')}\ndata:\n  ca.crt: ${Buffer.from(fx.ca.certPem).toString('base64')}\n---\napiVersion: milvus.io/v1beta1\nkind: Milvus\nmetadata:\n  name: my-release\nspec:\n  mode: cluster\n  config:\n    common:\n      security:\n        tlsMode: 2\n      tls:\n        serverPemPath: /certs/tls.crt\n    tls:\n      serverPemPath: /certs/tls.crt\n      serverKeyPath: /certs/tls.key\n      caPemPath: /certs/ca.crt\n  components:\n    volumes:\n      - name: certs\n        secret:\n          secretName: certs\n          items:\n            - key: tls.crt\n              path: tls.crt\n    volumeMounts:\n      - name: certs\n        mountPath: /certs\n    proxy:\n      volumeMounts:\n        - name: certs\n          mountPath: /certs/tls.key\n          subPath: tls.key\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: milvus\nspec:\n  tls:\n    - secretName: certs\n      hosts: [localhost, milvus.example.test]\n`;
  const values = `extraConfigFiles:\n  user.yaml: |+\n    common:\n      security:\n        tlsMode: 1\n    tls:\n      serverPemPath: /etc/milvus/certs/tls.crt\n      serverKeyPath: /etc/milvus/certs/tls.key\nproxy:\n  tls:\n    enabled: true\n    secretName: milvus-tls\n    crt: ${Buffer.from(fx.leaf.certPem).toString('base64')}\n    key: ${Buffer.from(fx.keys.ecPkcs8).toString('base64')}\n  volumes:\n  - name: milvus-tls\n    secret:\n      secretName: milvus-tls\n  volumeMounts:\n  - mountPath: /etc/milvus/certs/\n    name: milvus-tls\n`;
  writeFiles(root, {
    'chart/Chart.yaml': 'apiVersion: v2\nname: milvus\nversion: 1.0.0\n',
    'nginx/nginx.conf': nginx,
    'nginx/snippets/tls.conf': 'ssl_certificate ../tls/chain.pem;\nssl_certificate_key ../tls/server.key;\n',
    'milvus.yaml': milvus,
    'docker-compose.yml': compose,
    'tls/server.pem': fx.leaf.certPem,
    'tls/server.key': fx.keys.ecPkcs8,
    'tls/ca.pem': fx.ca.certPem,
    'tls/chain.pem': pem.chain,
    'configs/milvus.yaml': milvus,
  });
  fs.mkdirSync(path.join(root, 'volumes/milvus'), { recursive: true });
  const ws = new Workspace([root], { ...DEFAULT_SETTINGS });
  const service = new LanguageService(ws, {});
  return {
    root,
    ws,
    service,
    texts: { milvus, compose, pem, der: new Uint8Array(fx.leaf.cert.rawData), nginx, apisix, client: CLIENT_FUZZ_BASE, k8s, values },
    withOpen(rel, text, f) {
      const p = path.join(root, rel);
      ws.setOverlay(p, text, ++seq);
      try {
        return f({ path: p, uri: URI.file(p).toString(), text });
      } finally {
        ws.clearOverlay(p);
      }
    },
    dispose() {
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------

/** Scalars that have broken parsers before: types, YAML syntax, paths, interpolation. */
export const NASTY_SCALARS = [
  '',
  '~',
  'null',
  'true',
  '"2"',
  "'1'",
  '2.0',
  '0x2',
  '-1',
  '99999999999999999999',
  '.inf',
  '.nan',
  '[1, 2]',
  '{a: b}',
  '[',
  '{',
  '"',
  "'",
  '|',
  '>-',
  '? x',
  '- x',
  '!!binary aGVsbG8=',
  '!!str 2',
  '!tag x',
  '*undefined',
  '&x',
  '&x 2',
  '*x',
  '<<',
  '@',
  '`',
  '%YAML 1.2',
  '#',
  ' # comment',
  '/milvus/tls/../../etc/passwd',
  '../../../../etc/shadow',
  '~/certs/server.pem',
  '~root/x',
  'C:\\certs\\server.pem',
  'C:/certs/server.pem',
  '\\\\server\\share\\a.pem',
  '/milvus/tls/',
  '/milvus/tls',
  '.',
  '..',
  '/',
  '//',
  '/dev/zero',
  '/proc/self/mem',
  '/milvus/tls/\u0000',
  '/milvus/tls/ca.pem\u0000.txt',
  'file:///etc/passwd',
  '${HOME}/x.pem',
  '${UNDEFINED_VAR}',
  '${X:?must be set}',
  '${A:-${B:-${C}}}',
  '$$',
  '${',
  '$',
  '/milvus/tls/' + 'a'.repeat(5000),
  'é/ü/日本.pem',
  '/milvus/tls/🔐.pem',
  './tls:/milvus/tls:ro',
  '${DOCKER_VOLUME_DIRECTORY:-.}/../../etc:/milvus/tls',
  '/etc:/milvus/tls',
  '~/certs:/milvus/tls',
  'C:\\certs:/milvus/tls',
  'named:/milvus/tls',
  ':',
  '::::',
  './tls:',
  ':/milvus/tls',
  '{type: bind, source: ./tls, target: /milvus/tls}',
  '{type: bind}',
  '{type: volume, source: x, target: /milvus/tls}',
  '{source: ${UNDEF}, target: /milvus/tls, type: bind}',
];

export type LineOp =
  | { op: 'delete' | 'dup' | 'comment' | 'docsep' | 'docend' | 'quote' | 'flow'; a: number }
  | { op: 'swap'; a: number; b: number }
  | { op: 'indent'; a: number; n: number }
  | { op: 'tab'; a: number; b: number }
  | { op: 'insert'; a: number; b: number; s: string }
  | { op: 'scalar'; a: number; s: string }
  | { op: 'anchor'; a: number; b: number }
  | { op: 'merge'; a: number }
  | { op: 'bomb'; a: number; depth: number }
  | { op: 'truncate'; a: number }
  | { op: 'repeat'; a: number; n: number };

const smallString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.constantFrom(
    '\t',
    '\r',
    '\r\n',
    '\u0000',
    '\ufeff',
    '\u2028',
    '\u00a0',
    '\ud800',
    '\udfff',
    ': ',
    ' #',
    '- ',
    '&a ',
    '*a',
    '!!',
    '---',
    '"',
    "'",
    '{',
    '[',
    '\\',
  ),
);

const scalar = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_SCALARS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
);

export const lineOp: fc.Arbitrary<LineOp> = fc.oneof(
  fc.record({ op: fc.constantFrom('delete', 'dup', 'comment', 'docsep', 'docend', 'quote', 'flow'), a: fc.nat() }) as fc.Arbitrary<LineOp>,
  fc.record({ op: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ op: fc.constant('indent' as const), a: fc.nat(), n: fc.nat({ max: 9 }) }),
  fc.record({ op: fc.constant('tab' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), a: fc.nat(), b: fc.nat(), s: smallString }),
  { weight: 3, arbitrary: fc.record({ op: fc.constant('scalar' as const), a: fc.nat(), s: scalar }) },
  fc.record({ op: fc.constant('anchor' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ op: fc.constant('merge' as const), a: fc.nat() }),
  fc.record({ op: fc.constant('bomb' as const), a: fc.nat(), depth: fc.integer({ min: 2, max: 12 }) }),
  fc.record({ op: fc.constant('truncate' as const), a: fc.nat() }),
);

/** Size: one line many times, so work quadratic in the number of lines shows up as a hang past CALL_LIMIT_MS. */
export const repeatOp: fc.Arbitrary<LineOp> = fc.record({
  op: fc.constant('repeat' as const),
  a: fc.nat(),
  n: fc.integer({ min: 200, max: 2500 }),
});

/** "Billion laughs": each level aliases the previous one `width` times. */
export function aliasBomb(depth: number, width = 9, indent = ''): string[] {
  const lines = [`${indent}lol0: &l0 "lol"`];
  for (let i = 1; i <= depth; i++)
    lines.push(
      `${indent}lol${i}: &l${i} [${Array(width)
        .fill(`*l${i - 1}`)
        .join(', ')}]`,
    );
  return lines;
}

const VALUE_LINE = /^(\s*(?:-\s+)?[^:#\s][^:#]*:\s?|\s*-\s+)(.*)$/;

export function applyLineOps(text: string, ops: LineOp[]): string {
  const lines = text.split('\n');
  let anchors = 0;
  for (const o of ops) {
    if (lines.length === 0) lines.push('');
    const i = o.a % lines.length;
    switch (o.op) {
      case 'delete':
        lines.splice(i, 1);
        break;
      case 'dup':
        lines.splice(i, 0, lines[i]);
        break;
      case 'comment':
        lines[i] = '#' + lines[i];
        break;
      case 'docsep':
        lines.splice(i, 0, '---');
        break;
      case 'docend':
        lines.splice(i, 0, '...');
        break;
      case 'quote':
        lines[i] = lines[i] + (i % 2 ? ' "' : " '");
        break;
      case 'flow':
        lines[i] = lines[i].replace(/:\s*.*$/, ': {') || '{';
        break;
      case 'swap': {
        const j = o.b % lines.length;
        [lines[i], lines[j]] = [lines[j], lines[i]];
        break;
      }
      case 'indent':
        lines[i] = ' '.repeat(o.n) + lines[i].trimStart();
        break;
      case 'tab': {
        const p = o.b % (lines[i].length + 1);
        lines[i] = lines[i].slice(0, p) + '\t' + lines[i].slice(p);
        break;
      }
      case 'insert': {
        const p = o.b % (lines[i].length + 1);
        lines[i] = lines[i].slice(0, p) + o.s + lines[i].slice(p);
        break;
      }
      case 'scalar': {
        // Replace the value of the a-th line that has one (key: value, or a list item).
        const withValue = lines.map((l, k) => (VALUE_LINE.test(l) ? k : -1)).filter((k) => k >= 0);
        if (withValue.length === 0) break;
        const k = withValue[o.a % withValue.length];
        lines[k] = lines[k].replace(VALUE_LINE, (_, head: string) => head + (head.endsWith(' ') || head.endsWith(':') ? '' : ' ') + o.s);
        break;
      }
      case 'anchor': {
        const withValue = lines.map((l, k) => (VALUE_LINE.test(l) ? k : -1)).filter((k) => k >= 0);
        if (withValue.length === 0) break;
        const name = `a${anchors++}`;
        const k1 = withValue[o.a % withValue.length];
        const k2 = withValue[o.b % withValue.length];
        lines[k1] = lines[k1].replace(VALUE_LINE, (_, head: string, v: string) => `${head}${head.endsWith(' ') ? '' : ' '}&${name} ${v}`);
        lines[k2] = lines[k2].replace(VALUE_LINE, (_, head: string) => `${head}${head.endsWith(' ') ? '' : ' '}*${name}`);
        break;
      }
      case 'merge': {
        const indent = /^\s*/.exec(lines[i])![0];
        lines.splice(i, 0, `${indent}<<: *a${anchors ? anchors - 1 : 0}`);
        break;
      }
      case 'bomb': {
        const indent = /^\s*/.exec(lines[i])![0];
        lines.splice(i, 0, ...aliasBomb(o.depth, 9, indent));
        break;
      }
      case 'repeat':
        lines.splice(i, 0, ...Array<string>(o.n).fill(lines[i]));
        break;
      case 'truncate': {
        const all = lines.join('\n');
        const cut = all.slice(0, o.a % (all.length + 1));
        lines.splice(0, lines.length, ...cut.split('\n'));
        break;
      }
    }
  }
  return lines.join('\n');
}

export type Wrap = 'none' | 'crlf' | 'cr' | 'bom' | 'bom-crlf' | 'nul-tail';

export function wrapText(text: string, w: Wrap): string {
  switch (w) {
    case 'none':
      return text;
    case 'crlf':
      return text.replace(/\r?\n/g, '\r\n');
    case 'cr':
      return text.replace(/\r?\n/g, '\r');
    case 'bom':
      return '\ufeff' + text;
    case 'bom-crlf':
      return '\ufeff' + text.replace(/\r?\n/g, '\r\n');
    case 'nul-tail':
      return text + '\u0000'.repeat(3);
  }
}

export const wrap: fc.Arbitrary<Wrap> = fc.oneof(
  { weight: 6, arbitrary: fc.constant('none' as const) },
  fc.constantFrom('crlf', 'cr', 'bom', 'bom-crlf', 'nul-tail'),
);

/** A mutated YAML document: 1..8 line operations, then an optional line-ending / BOM change. */
export function mutatedYaml(base: string, opts: { large?: boolean } = {}): fc.Arbitrary<{ text: string; ops: LineOp[]; wrap: Wrap }> {
  const ops = opts.large
    ? fc
        .tuple(fc.array(lineOp, { maxLength: 6 }), fc.array(repeatOp, { minLength: 1, maxLength: 2 }), fc.array(lineOp, { maxLength: 3 }))
        .map(([a, b, c]) => [...a, ...b, ...c])
    : fc.array(lineOp, { minLength: 1, maxLength: 8 });
  return fc.record({ ops, wrap }).map(({ ops: o, wrap: w }) => ({ ops: o, wrap: w, text: wrapText(applyLineOps(base, o), w) }));
}

// --- PEM ---------------------------------------------------------------------

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LABELS = [
  'CERTIFICATE',
  'PRIVATE KEY',
  'RSA PRIVATE KEY',
  'EC PRIVATE KEY',
  'CERTIFICATE REQUEST',
  'NEW CERTIFICATE REQUEST',
  'PUBLIC KEY',
  'RSA PUBLIC KEY',
  'X509 CRL',
  'TRUSTED CERTIFICATE',
  'ENCRYPTED PRIVATE KEY',
  'OPENSSH PRIVATE KEY',
  'EC PARAMETERS',
  'DH PARAMETERS',
  'PKCS7',
  'CMS',
  '',
  ' ',
  'CERT IFICATE',
  'certificate',
  'CERTIFICATE-----',
  '-----',
];

export type PemOp =
  | { op: 'flip'; a: number; c: string }
  | { op: 'der-truncate'; a: number }
  | { op: 'der-byte'; a: number; v: number }
  | { op: 'der-length-bomb'; a: number }
  | { op: 'label'; which: 'begin' | 'end' | 'both'; label: string }
  | { op: 'nested-begin'; a: number; label: string }
  | { op: 'header'; n: number; kind: number }
  | { op: 'rewrap'; width: number }
  | { op: 'lines'; ops: LineOp[] }
  | { op: 'concat'; other: string }
  | { op: 'bytes'; a: number; bytes: Uint8Array };

function blocksOf(text: string): { label: string; start: number; end: number; body: string }[] {
  const re = /-----BEGIN ([^-\r\n]*)-----\r?\n([\s\S]*?)-----END \1-----/g;
  const out: { label: string; start: number; end: number; body: string }[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ label: m[1], start: m.index, end: m.index + m[0].length, body: m[2] });
  return out;
}

function encodePem(label: string, der: Uint8Array, width = 64): string {
  const b = Buffer.from(der).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b.length; i += width) lines.push(b.slice(i, i + width));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}${lines.length ? '\n' : ''}-----END ${label}-----`;
}

function withFirstDer(text: string, f: (der: Uint8Array, label: string) => { der: Uint8Array; width?: number }): string {
  const b = blocksOf(text)[0];
  if (!b || /:/.test(b.body)) return text;
  const der = new Uint8Array(Buffer.from(b.body.replace(/\s+/g, ''), 'base64'));
  const r = f(der, b.label);
  return text.slice(0, b.start) + encodePem(b.label, r.der, r.width) + text.slice(b.end);
}

export function applyPemOp(text: string, o: PemOp, fixtures: Record<string, string>): string {
  switch (o.op) {
    case 'flip': {
      const positions: number[] = [];
      for (const b of blocksOf(text)) {
        const bodyStart = text.indexOf('\n', b.start) + 1;
        for (let i = bodyStart; i < b.end - `-----END ${b.label}-----`.length; i++) if (B64.includes(text[i])) positions.push(i);
      }
      if (positions.length === 0) return text;
      const p = positions[o.a % positions.length];
      return text.slice(0, p) + o.c + text.slice(p + 1);
    }
    case 'der-truncate':
      return withFirstDer(text, (der) => ({ der: der.slice(0, o.a % Math.max(1, der.length)) }));
    case 'der-byte':
      return withFirstDer(text, (der) => {
        const c = der.slice();
        if (c.length) c[o.a % c.length] = o.v;
        return { der: c };
      });
    case 'der-length-bomb':
      // A length field claiming 4 GB right after a tag: a parser trusting it allocates or loops.
      return withFirstDer(text, (der) => {
        if (der.length < 4) return { der };
        const i = o.a % (der.length - 1);
        return { der: new Uint8Array([...der.slice(0, i + 1), 0x84, 0xff, 0xff, 0xff, 0xff, ...der.slice(i + 2)]) };
      });
    case 'label': {
      let t = text;
      if (o.which !== 'end') t = t.replace(/-----BEGIN [^-\r\n]*-----/, `-----BEGIN ${o.label}-----`);
      if (o.which !== 'begin') t = t.replace(/-----END [^-\r\n]*-----/, `-----END ${o.label}-----`);
      return t;
    }
    case 'nested-begin': {
      const lines = text.split('\n');
      lines.splice(o.a % (lines.length + 1), 0, `-----BEGIN ${o.label}-----`);
      return lines.join('\n');
    }
    case 'header': {
      const big = 'A'.repeat(o.n);
      const headers = [
        `Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,${big}\n`,
        `X-Header: ${big}\n`,
        `${'Comment: x\n'.repeat(Math.min(o.n, 20000))}`,
        `Proc-Type: 4,ENCRYPTED\nDEK-Info: ${big}\n\n`,
        `${big}:${big}\n`,
      ][o.kind % 5];
      return text.replace(/(-----BEGIN [^-\r\n]*-----\r?\n)/, `$1${headers}`);
    }
    case 'rewrap':
      return withFirstDer(text, (der) => ({ der, width: o.width }));
    case 'lines':
      return applyLineOps(text, o.ops);
    case 'concat':
      return text + (fixtures[o.other] ?? '');
    case 'bytes': {
      const p = o.a % (text.length + 1);
      return text.slice(0, p) + Buffer.from(o.bytes).toString('latin1') + text.slice(p);
    }
  }
}

export function pemOp(fixtureNames: string[]): fc.Arbitrary<PemOp> {
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        op: fc.constant('flip' as const),
        a: fc.nat(),
        c: fc.oneof(fc.constantFrom(...B64.split('')), fc.constantFrom('=', '-', '*', ' ', '\t', '\u00e9', '\n', '\r', '\u0000')),
      }),
    },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('der-truncate' as const), a: fc.nat() }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('der-byte' as const), a: fc.nat(), v: fc.integer({ min: 0, max: 255 }) }) },
    fc.record({ op: fc.constant('der-length-bomb' as const), a: fc.nat() }),
    fc.record({
      op: fc.constant('label' as const),
      which: fc.constantFrom('begin' as const, 'end' as const, 'both' as const),
      label: fc.oneof(fc.constantFrom(...LABELS), fc.string({ unit: 'binary', maxLength: 12 })),
    }),
    fc.record({ op: fc.constant('nested-begin' as const), a: fc.nat(), label: fc.constantFrom(...LABELS) }),
    fc.record({ op: fc.constant('header' as const), n: fc.oneof(fc.nat({ max: 100 }), fc.constant(100_000)), kind: fc.nat() }),
    fc.record({ op: fc.constant('rewrap' as const), width: fc.integer({ min: 1, max: 300 }) }),
    { weight: 2, arbitrary: fc.record({ op: fc.constant('lines' as const), ops: fc.array(lineOp, { minLength: 1, maxLength: 4 }) }) },
    fc.record({ op: fc.constant('concat' as const), other: fc.constantFrom(...fixtureNames) }),
    fc.record({ op: fc.constant('bytes' as const), a: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  );
}

export function mutatedPem(fixtures: Record<string, string>): fc.Arbitrary<{ base: string; ops: PemOp[]; wrap: Wrap; text: string }> {
  const names = Object.keys(fixtures);
  return fc.record({ base: fc.constantFrom(...names), ops: fc.array(pemOp(names), { minLength: 1, maxLength: 4 }), wrap }).map((r) => ({
    ...r,
    text: wrapText(
      r.ops.reduce((t, o) => applyPemOp(t, o, fixtures), fixtures[r.base]),
      r.wrap,
    ),
  }));
}

/** Random bytes as the server sees them: decoded as UTF-8 (invalid sequences become U+FFFD) or as Latin-1. */
export const randomBytesText: fc.Arbitrary<string> = fc
  .record({ bytes: fc.uint8Array({ maxLength: 4096 }), enc: fc.constantFrom('utf8' as const, 'latin1' as const) })
  .map(({ bytes, enc }) => Buffer.from(bytes).toString(enc));

/** Where a fuzzed text is opened: decides which room answers. */
export const DOC_PATHS = {
  milvus: ['milvus.yaml', 'configs/milvus.yaml', 'conf/milvus-standalone.yaml'],
  compose: ['docker-compose.yml', 'compose.yaml'],
  // tls/ holds server.pem + server.key, so PEM documents there also get the certificate-set checks.
  pem: ['tls/fuzz.pem', 'tls/fuzz.key', 'tls/fuzz.crt', 'tls/fuzz.csr', 'tls/server.key', 'tls/client.crt', 'tls/localhost+1-key.pem'],
  nginx: ['nginx/nginx.conf', 'nginx/conf.d/fuzz.conf', 'nginx/sites-enabled/fuzz'],
  apisix: ['apisix/apisix.yaml', 'apisix/adc.yaml'],
  k8s: ['k8s/milvus.yaml', 'k8s/secret.yml', 'chart/values.yaml', 'chart/values-prod.yaml'],
} as const;

/** Client code touching every argument and option the milvus-client target reads. */
const CLIENT_FUZZ_BASE = {
  python: [
    'from pymilvus import MilvusClient, connections',
    'CA = "tls/ca.pem"',
    'client = MilvusClient(',
    '    uri="https://localhost:19530",',
    '    secure=True,',
    "    server_pem_path=r'tls/server.pem',",
    '    client_pem_path="tls/client.pem", client_key_path="tls/server.key",',
    '    ca_pem_path=CA,  # the CA',
    '    server_name=f"{host}",',
    '    **extra,',
    ')',
    'connections.connect("default", host="127.0.0.1", port="19530", secure=True, ca_pem_path="""tls/ca.pem""")',
    'lite = MilvusClient("./milvus.db")',
    '',
  ].join('\n'),
  shell: [
    '#!/bin/sh',
    'curl -sS --cacert tls/ca.pem \\',
    '  --cert tls/server.pem:pw --key "tls/server.key" \\',
    "  'https://localhost:19530/v2/vectordb/collections/list' -d '{}'",
    'curl -Etls/server.pem --key tls/server.key http://localhost:19530/v2/vectordb/x | jq .',
    'curl -k --url "https://$HOST:19530/v1/vector/collections" ; echo done',
    '',
  ].join('\n'),
  markdown: [
    '# Connect',
    '',
    '```bash',
    'curl --cacert tls/ca.pem --cert tls/client.pem --key tls/client.key https://localhost:19530/v2/vectordb/collections/list',
    '```',
    '',
    '~~~sh',
    'curl --capath tls https://127.0.0.1:19530/v2/vectordb/x',
    '~~~',
    '',
  ].join('\n'),
};

/** An nginx.conf touching every TLS directive the nginx target reads (includes, data:, variables, stream). */
const NGINX_FUZZ_BASE = `events {}
http {
    ssl_protocols TLSv1.2 TLSv1.3;
    server {
        listen 443 ssl;
        server_name localhost .example.test *.a.test ~^re$;
        include snippets/*.conf;
        ssl_client_certificate ../tls/ca.pem;
        ssl_verify_client optional;
        ssl_verify_depth 2;
        ssl_trusted_certificate "../tls/ca.pem";
        location /up {
            proxy_pass https://127.0.0.1:9443;
            proxy_ssl_verify on;
            proxy_ssl_trusted_certificate ../tls/ca.pem;
            proxy_ssl_certificate ../tls/server.pem;
            proxy_ssl_certificate_key ../tls/server.key;
        }
    }
    server {
        listen 8443 ssl;
        ssl_certificate /etc/ssl/$ssl_server_name.crt;
        ssl_certificate_key 'data:-----BEGIN PRIVATE KEY-----\\nAAAA\\n-----END PRIVATE KEY-----';
    }
}
stream { server { listen 5432 ssl; } }
`;

// ---------------------------------------------------------------------------
// The properties, shared by the CI test and the long run
// ---------------------------------------------------------------------------

export interface FuzzCase {
  name: string;
  /** Share of the total runs (weights are normalised). */
  weight: number;

  property: (w: FuzzWorkspace) => fc.IProperty<any>;
}

// --- PostgreSQL (issue 14) ----------------------------------------------------

/** Realistic libpq / server files the postgres case mutates, and the files they name (written once per workspace). */
export const PG_TEXTS: Record<string, string> = {
  '.env': [
    'DATABASE_URL=postgresql://app:pw@db:5432,db2/app?sslmode=verify-full&sslrootcert=pg/ca.crt&sslcert=pg/client.crt&sslkey=pg/client.key',
    "RO=\"host=db dbname=app user=ro sslmode=verify-ca sslrootcert='pg/ca.crt' password='a\\'b'\"",
    'export PGSSLMODE=require',
    'PGSSLROOTCERT=system',
    'JDBC=jdbc:postgresql://x.dsql.us-east-1.on.aws:5432/postgres?sslmode=require&ssl=true',
    'SVC="service=prod dbname=app"',
    '',
  ].join('\n'),
  'pg_service.conf': '[prod]\nhost=db\nsslmode=verify-full\nsslrootcert=pg/ca.crt\n\n[dev]\nhost=localhost\nsslmode=disable\n',
  'postgresql.conf':
    "listen_addresses = '*'\nssl = on\nssl_cert_file = 'pg/server.crt'\nssl_key_file = 'pg/server.key'\nssl_ca_file = 'pg/ca.crt'\n",
  'pg-compose.yml': [
    'services:',
    '  db:',
    '    image: postgres:16',
    '    command: ["postgres", "-c", "ssl=on", "-c", "ssl_cert_file=/pg/server.crt", "-c", "ssl_key_file=/pg/server.key"]',
    '    volumes: ["./pg:/pg:ro"]',
    '    environment:',
    '      PGDATA: /var/lib/postgresql/data',
    '  app:',
    '    environment:',
    '      - DATABASE_URL=postgres://db/app?sslmode=verify-full&sslrootcert=/pg/ca.crt',
    '      - PGSSLMODE=verify_full',
    '',
  ].join('\n'),
};

/** Fragments spliced into the postgres texts: libpq syntax edges. */
const PG_FRAGMENTS = [
  'postgresql://',
  'postgres://@',
  'postgresql://[::1',
  'postgresql://h/db?',
  '?sslmode=',
  '&sslmode=verify_full',
  '&&&',
  '%zz',
  '%00',
  "sslmode='",
  "host='a\\",
  ' sslrootcert=system ',
  ' sslkey= ',
  'service=',
  '[',
  ']',
  '=',
  '-c ssl=on -c',
  '-c',
  'jdbc:postgresql://',
  'PGSSLMODE=',
  'PGHOST:',
  ' command: -c ssl=on',
  '${PGSSLMODE}',
  '\u0000',
  'é日本🔐',
];

export const mutatedPostgres: fc.Arbitrary<{ rel: string; text: string }> = fc
  .record({
    rel: fc.constantFrom(...Object.keys(PG_TEXTS)),
    ops: fc.array(
      fc.oneof(lineOp, fc.record({ op: fc.constant('insert' as const), a: fc.nat(), b: fc.nat(), s: fc.constantFrom(...PG_FRAGMENTS) })),
      {
        minLength: 1,
        maxLength: 8,
      },
    ),
    cut: fc.option(fc.nat(), { nil: undefined }),
    w: wrap,
  })
  .map(({ rel, ops, cut, w }) => {
    let text = applyLineOps(PG_TEXTS[rel], ops as LineOp[]);
    if (cut !== undefined) text = text.slice(0, cut % (text.length + 1));
    return { rel: rel === 'pg-compose.yml' ? 'docker-compose.pg.yml' : rel, text: wrapText(text, w) };
  });

const pgReady = new WeakSet<FuzzWorkspace>();
function ensurePgFiles(w: FuzzWorkspace): void {
  if (pgReady.has(w)) return;
  pgReady.add(w);
  const pem = w.texts.pem;
  writeFiles(w.root, {
    'pg/ca.crt': pem.ca,
    'pg/server.crt': pem.cert,
    'pg/server.key': pem.ecPkcs8,
    'pg/client.crt': pem.cert,
    'pg/client.key': pem.rsaPkcs1,
  });
}

export const counts = new Map<string, number>();
function count(name: string): void {
  counts.set(name, (counts.get(name) ?? 0) + 1);
}

export const FUZZ_CASES: FuzzCase[] = [
  {
    name: 'mutated milvus.yaml',
    weight: 3,
    property: (w) =>
      fc.property(mutatedYaml(w.texts.milvus), fc.constantFrom(...DOC_PATHS.milvus), (m, rel) => {
        count('mutated milvus.yaml');
        w.withOpen(rel, m.text, (doc) => exercise(w.service, doc));
        // The compose file beside it reads this milvus.yaml (the overlay) for its own findings.
        w.withOpen(rel, m.text, () =>
          checkDiagnostics(
            new LspText(w.texts.compose),
            w.service.validate({ path: path.join(w.root, 'docker-compose.yml'), uri: 'file:///c', text: w.texts.compose }),
          ),
        );
      }),
  },
  {
    name: 'mutated compose',
    weight: 2,
    property: (w) =>
      fc.property(mutatedYaml(w.texts.compose), fc.constantFrom(...DOC_PATHS.compose), (m, rel) => {
        count('mutated compose');
        w.withOpen(rel, m.text, (doc) => {
          exercise(w.service, doc);
          // milvus.yaml resolves its paths through this (mutated) compose file.
          const mdoc = {
            path: path.join(w.root, 'milvus.yaml'),
            uri: URI.file(path.join(w.root, 'milvus.yaml')).toString(),
            text: w.texts.milvus,
          };
          exercise(w.service, mdoc, {
            positions: [
              { line: 7, character: 20 },
              { line: 8, character: 20 },
            ],
          });
        });
      }),
  },
  {
    name: 'mutated PEM',
    weight: 3,
    property: (w) =>
      fc.property(mutatedPem(w.texts.pem), fc.constantFrom(...DOC_PATHS.pem), (m, rel) => {
        count('mutated PEM');
        w.withOpen(rel, m.text, (doc) => exercise(w.service, doc));
      }),
  },
  {
    name: 'mutated nginx.conf',
    weight: 2,
    property: (w) =>
      fc.property(mutatedYaml(w.texts.nginx), fc.constantFrom(...DOC_PATHS.nginx), (m, rel) => {
        count('mutated nginx.conf');
        w.withOpen(rel, m.text, (doc) => exercise(w.service, doc));
      }),
  },
  {
    name: 'mutated apisix.yaml, as JSON and in a curl call',
    weight: 2,
    property: (w) =>
      fc.property(mutatedYaml(w.texts.apisix), fc.constantFrom(...DOC_PATHS.apisix, 'apisix/ssl.json', 'apisix/setup.sh'), (m, rel) => {
        count('mutated apisix.yaml, as JSON and in a curl call');
        const text = rel.endsWith('.json')
          ? (() => {
              try {
                return JSON.stringify(parseYaml(m.text)?.ssls?.[0] ?? {}, null, 2);
              } catch {
                return m.text;
              }
            })()
          : rel.endsWith('.sh')
            ? `curl http://127.0.0.1:9180/apisix/admin/ssls/1 -X PUT \\\n  -d '${m.text.replace(/'/g, '')}'\n`
            : m.text;
        w.withOpen(rel, text, (doc) => exercise(w.service, doc));
      }),
  },
  {
    name: 'mutated Kubernetes manifests and chart values',
    weight: 2,
    property: (w) =>
      fc.property(fc.oneof(mutatedYaml(w.texts.k8s), mutatedYaml(w.texts.values)), fc.constantFrom(...DOC_PATHS.k8s), (m, rel) => {
        count('mutated Kubernetes manifests and chart values');
        w.withOpen(rel, m.text, (doc) => exercise(w.service, doc));
      }),
  },
  {
    name: 'large mutated documents',
    weight: 0.08,
    property: (w) =>
      fc.property(
        fc.oneof(
          fc.record({ rel: fc.constantFrom(...DOC_PATHS.milvus), m: mutatedYaml(w.texts.milvus, { large: true }) }),
          fc.record({ rel: fc.constantFrom(...DOC_PATHS.compose), m: mutatedYaml(w.texts.compose, { large: true }) }),
          fc.record({
            rel: fc.constantFrom(...DOC_PATHS.pem),
            m: fc.constantFrom(...Object.values(w.texts.pem)).chain((base) => mutatedYaml(base, { large: true })),
          }),
        ),
        ({ rel, m }) => {
          count('large mutated documents');
          w.withOpen(rel, m.text, (doc) => exercise(w.service, doc, { positions: probePositions(new LspText(doc.text), 5) }));
        },
      ),
  },
  {
    name: 'random bytes',
    weight: 1,
    property: (w) =>
      fc.property(
        randomBytesText,
        fc.constantFrom(
          ...DOC_PATHS.milvus,
          ...DOC_PATHS.compose,
          ...DOC_PATHS.pem,
          ...DOC_PATHS.nginx,
          ...DOC_PATHS.apisix,
          ...DOC_PATHS.k8s,
        ),
        (text, rel) => {
          count('random bytes');
          w.withOpen(rel, text, (doc) => exercise(w.service, doc));
        },
      ),
  },
  {
    name: 'random unicode',
    weight: 1,
    property: (w) =>
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 400 }),
          fc.string({ unit: 'grapheme', maxLength: 400 }),
          fc.string({
            unit: fc.constantFrom('\n', '\r', ' ', '\t', ':', '-', '#', '&', '*', 'a', '"', '{', '[', '|', ';', '}', '$', '\\'),
            maxLength: 400,
          }),
        ),
        fc.constantFrom(
          ...DOC_PATHS.milvus,
          ...DOC_PATHS.compose,
          ...DOC_PATHS.pem,
          ...DOC_PATHS.nginx,
          ...DOC_PATHS.apisix,
          ...DOC_PATHS.k8s,
        ),
        (text, rel) => {
          count('random unicode');
          w.withOpen(rel, text, (doc) => exercise(w.service, doc));
        },
      ),
  },
  {
    name: 'certificate-set file names',
    weight: 0.5,
    property: () =>
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 40 }),
          fc.constantFrom('client.key', 'a-key.pem', 'privkey.pem', 'rootCA.pem', 'tls.crt', '.key', 'key'),
        ),
        (name) => {
          count('certificate-set file names');
          const file = `/w/tls/${name.replace(/\//g, '_')}`;
          const key = keyStem(file);
          const cert = certStem(file);
          // A name pairs as a key or as a certificate, never both; and the role and CA tests never throw.
          if (key !== undefined && cert !== undefined)
            throw new Broken(`${name} pairs both as a key (${key}) and as a certificate (${cert})`);
          isCaName(file);
          namedRole(file);
        },
      ),
  },
  {
    name: 'mutated postgres files',
    weight: 1.5,
    property: (w) =>
      fc.property(mutatedPostgres, (m) => {
        count('mutated postgres files');
        ensurePgFiles(w);
        w.withOpen(m.rel, m.text, (doc) => exercise(w.service, doc));
      }),
  },
  {
    name: 'mutated pymilvus and curl clients',
    weight: 1.5,
    property: (w) =>
      fc.property(
        fc.oneof(
          fc.record({ rel: fc.constantFrom('client.py', 'scripts/connect.py'), m: mutatedYaml(w.texts.client.python) }),
          fc.record({ rel: fc.constantFrom('check.sh', 'scripts/rest.sh'), m: mutatedYaml(w.texts.client.shell) }),
          fc.record({ rel: fc.constantFrom('README.md'), m: mutatedYaml(w.texts.client.markdown) }),
        ),
        ({ rel, m }) => {
          count('mutated pymilvus and curl clients');
          w.withOpen(rel, m.text, (doc) => exercise(w.service, doc));
        },
      ),
  },
  {
    name: 'random text in a pymilvus call or a curl command',
    weight: 1,
    property: (w) =>
      fc.property(
        fc.string({
          unit: fc.constantFrom(
            '"',
            "'",
            '(',
            ')',
            ',',
            '=',
            '\\',
            '\n',
            '#',
            'f',
            'r',
            'b',
            ' ',
            'x',
            '*',
            '$',
            '`',
            ':',
            '/',
            '-',
            'E',
            'k',
            '~',
          ),
          maxLength: 300,
        }),
        fc.constantFrom('py', 'sh', 'md'),
        (s, kind) => {
          count('random text in a pymilvus call or a curl command');
          const text =
            kind === 'py'
              ? `from pymilvus import MilvusClient\nc = MilvusClient(uri="https://localhost:19530", ${s}`
              : kind === 'sh'
                ? `curl --cacert ${s} https://localhost:19530/v2/vectordb/x\n`
                : '```\ncurl --cert ' + s + ' https://localhost:19530/v2/vectordb/x\n```\n';
          w.withOpen(`fuzz.${kind}`, text, (doc) => exercise(w.service, doc));
        },
      ),
  },
  {
    name: 'DER bytes in a PEM-named file',
    weight: 0.5,
    property: (w) =>
      fc.property(
        fc.nat({ max: 2000 }),
        fc.integer({ min: 0, max: 255 }),
        fc.constantFrom('utf8' as const, 'latin1' as const),
        (cut, v, enc) => {
          count('DER bytes in a PEM-named file');
          const der = Buffer.from(w.texts.der);
          const mutated = Buffer.concat([der.subarray(0, Math.max(1, der.length - (cut % der.length))), Buffer.from([v])]);
          w.withOpen('tls/fuzz.crt', mutated.toString(enc), (doc) => exercise(w.service, doc));
        },
      ),
  },
];

/** Runs every case with `total` runs split by weight; returns how many inputs ran. */
export function runAll(w: FuzzWorkspace, total: number, params: { seed: number; verbose?: boolean }): number {
  const weights = FUZZ_CASES.reduce((s, c) => s + c.weight, 0);
  let ran = 0;
  for (const c of FUZZ_CASES) {
    const numRuns = Math.max(1, Math.round((total * c.weight) / weights));
    const before = counts.get(c.name) ?? 0;
    fc.assert(c.property(w), { seed: params.seed, numRuns, includeErrorInReport: true, verbose: params.verbose ? 1 : 0 });
    ran += (counts.get(c.name) ?? 0) - before;
  }
  return ran;
}
