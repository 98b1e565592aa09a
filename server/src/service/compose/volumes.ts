/**
 * Parses the `volumes:` of every service in a docker compose file into a
 * model with exact ranges, following compose-go's rules for the short
 * syntax (`HOST:CONTAINER[:MODE]`, Windows drive letters, anonymous and
 * named volumes) and the long syntax (`type`, `source`, `target`,
 * `read_only`, `bind.create_host_path`). Variables are interpolated first,
 * as compose does, and every character of the result is traced back to the
 * document so that findings land on the right characters.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node as YamlNode, Scalar, YAMLMap } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range } from 'vscode-languageserver-types';
import { inputSpan, interpolateDetailed } from './interpolate';
import type { DetailedInterpolation, Env, InterpolationProblemKind } from './interpolate';

export interface ComposeProblem {
  range: Range;
  message: string;
  /** A `compose-…` diagnostic code when the problem maps onto one. */
  code?: string;
  kind?: InterpolationProblemKind | 'volume-invalid' | 'volume-undeclared';
  variable?: string;
}

export interface VolumeMount {
  syntax: 'short' | 'long';
  type: 'bind' | 'volume' | 'tmpfs' | 'other';
  /** The entry as written (short syntax), or the long syntax's `source` as written. */
  raw: string;
  /** The whole entry. */
  range: Range;
  sourceRange?: Range;
  targetRange?: Range;
  /** Interpolated source as written (relative paths stay relative). */
  source?: string;
  /** Absolute host path of a bind, resolved against the compose file's folder, `~` expanded. */
  hostPath?: string;
  /** Container path, normalised posix. */
  target: string;
  readOnly: boolean;
  /** Short syntax modes (`ro`, `z`, …) as written. */
  modes: string[];
  /** Whether Docker creates a missing host path (short syntax always; long syntax `bind.create_host_path`). */
  createHostPath: boolean;
  /** Range of the read-only marker (`:ro` mode or `read_only:` pair), when present. */
  modeRange?: Range;
  /** Name of the service that declares the mount. */
  service: string;
  /** Interpolation problems and parse problems, on their exact ranges. */
  problems: ComposeProblem[];
}

export interface ComposeService {
  name: string;
  nameRange: Range;
  image?: string;
  imageRange?: Range;
  volumes: VolumeMount[];
  volumesRange?: Range;
}

export interface ComposeModel {
  services: ComposeService[];
  yamlErrors: { range: Range; message: string }[];
  /** Names under the top-level `volumes:`. */
  namedVolumes: string[];
  /** Every interpolation problem anywhere in the file (compose interpolates every value). */
  interpolationProblems: ComposeProblem[];
  /** Structural problems that are not tied to one mount (e.g. a volume entry that is a number). */
  problems: ComposeProblem[];
  /** The compose file path the model was parsed for. */
  composePath: string;
}

const EMPTY_RANGE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** Turns document offsets into LSP positions. */
export class Positions {
  private doc: TextDocument;
  constructor(text: string) {
    this.doc = TextDocument.create('file:///compose.yaml', 'yaml', 0, text);
  }
  at(offset: number): Position {
    return this.doc.positionAt(offset);
  }
  range(start: number, end: number): Range {
    return { start: this.at(start), end: this.at(Math.max(start, end)) };
  }
  /** Like range(), without trailing whitespace and comments' newlines (block collections end on the next line). */
  trimmed(start: number, end: number): Range {
    const text = this.doc.getText();
    let e = Math.max(start, end);
    while (e > start && /\s/.test(text[e - 1])) e--;
    return this.range(start, e);
  }
  offset(p: Position): number {
    return this.doc.offsetAt(p);
  }
}

/** Per value character, the document span it was written as. */
interface ValueMap {
  starts: number[];
  ends: number[];
  /** Document span of the whole value (quotes excluded when possible). */
  start: number;
  end: number;
}

/**
 * Maps each character of a scalar's string value to the document characters
 * that spell it: exact for plain single-line, single-quoted and
 * double-quoted scalars; otherwise every character maps to the whole node.
 */
export function scalarValueMap(text: string, node: Scalar): ValueMap {
  const value = typeof node.value === 'string' ? node.value : String(node.value);
  const r = node.range ?? [0, 0, 0];
  const r0 = r[0];
  const r1 = r[1];
  const raw = text.slice(r0, r1);
  const starts: number[] = [];
  const ends: number[] = [];
  const whole = (s: number, e: number): ValueMap => {
    for (let i = 0; i < value.length; i++) {
      starts.push(s);
      ends.push(e);
    }
    return { starts, ends, start: s, end: e };
  };
  if (node.type === 'PLAIN' || node.type === undefined) {
    if (raw === value) {
      for (let i = 0; i < value.length; i++) {
        starts.push(r0 + i);
        ends.push(r0 + i + 1);
      }
      return { starts, ends, start: r0, end: r1 };
    }
    return whole(r0, r1);
  }
  if ((node.type === 'QUOTE_SINGLE' || node.type === 'QUOTE_DOUBLE') && raw.length >= 2 && !raw.includes('\n')) {
    const q = raw[0];
    let built = '';
    let i = 1;
    const last = raw.length - 1;
    while (i < last) {
      const ch = raw[i];
      if (q === "'" && ch === "'" && raw[i + 1] === "'") {
        built += "'";
        starts.push(r0 + i);
        ends.push(r0 + i + 2);
        i += 2;
        continue;
      }
      if (q === '"' && ch === '\\') {
        const e = raw[i + 1];
        let len = 2;
        let out: string;
        if (e === 'x') len = 4;
        else if (e === 'u') len = 6;
        else if (e === 'U') len = 10;
        if (len > 2) {
          const cp = parseInt(raw.slice(i + 2, i + len), 16);
          out = Number.isFinite(cp) ? String.fromCodePoint(cp) : '';
        } else {
          const simple: Record<string, string> = {
            '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b',
            ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
          };
          out = simple[e] ?? e;
        }
        built += out;
        for (let k = 0; k < out.length; k++) {
          starts.push(r0 + i);
          ends.push(r0 + i + len);
        }
        i += len;
        continue;
      }
      built += ch;
      starts.push(r0 + i);
      ends.push(r0 + i + 1);
      i++;
    }
    if (built === value) return { starts, ends, start: r0 + 1, end: r1 - 1 };
    starts.length = 0;
    ends.length = 0;
    return whole(r0, r1);
  }
  return whole(r0, r1);
}

/** An interpolated scalar, traceable to document offsets. */
export interface TracedString {
  raw: string;
  value: string;
  interp: DetailedInterpolation;
  vmap: ValueMap;
}

export function traceScalar(text: string, node: Scalar, env: Env): TracedString {
  const raw = typeof node.value === 'string' ? node.value : String(node.value);
  const interp = interpolateDetailed(raw, env);
  return { raw, value: interp.value, interp, vmap: scalarValueMap(text, node) };
}

/** Document span of interpolated output characters [from, to). */
export function tracedSpan(t: TracedString, from: number, to: number): { start: number; end: number } {
  const inp = inputSpan(t.interp, from, to, 0);
  return rawSpan(t, inp.start, inp.end);
}

/** Document span of raw value characters [from, to). */
function rawSpan(t: TracedString, from: number, to: number): { start: number; end: number } {
  const { starts, ends } = t.vmap;
  if (starts.length === 0) return { start: t.vmap.start, end: t.vmap.end };
  if (to > from) {
    const a = Math.min(from, starts.length - 1);
    const b = Math.min(to, ends.length) - 1;
    return { start: starts[a], end: ends[Math.max(a, b)] };
  }
  const at = from < starts.length ? starts[from] : ends[ends.length - 1];
  return { start: at, end: at };
}

function problemsOf(t: TracedString, pos: Positions): ComposeProblem[] {
  return t.interp.problems.map((p) => {
    const s = rawSpan(t, p.offset, p.offset + p.length);
    return {
      range: pos.range(s.start, s.end),
      message: p.message,
      kind: p.kind,
      variable: p.variable,
      code: p.kind === 'unset' ? 'compose-undefined-variable' : p.kind === 'required' ? 'compose-required-variable' : 'compose-interpolation-invalid',
    };
  });
}

function resolveNode(doc: Document, n: unknown): unknown {
  let cur = n;
  let guard = 0;
  while (isAlias(cur) && guard++ < 16) {
    try {
      cur = cur.resolve(doc);
    } catch {
      return undefined;
    }
  }
  return cur;
}

function nodeRange(pos: Positions, n: unknown): Range {
  const r = (n as YamlNode | undefined)?.range;
  if (!r) return EMPTY_RANGE;
  return pos.trimmed(r[0], r[1]);
}

/** Value of `key` in a map, following `<<` merge keys; returns the pair's value node. */
function mapGet(doc: Document, map: YAMLMap, key: string, depth = 0): unknown {
  for (const item of map.items) {
    if (!isPair(item)) continue;
    const k = isScalar(item.key) ? item.key.value : item.key;
    if (k === key) return item.value;
  }
  if (depth > 8) return undefined;
  for (const item of map.items) {
    if (!isPair(item)) continue;
    const k = isScalar(item.key) ? item.key.value : item.key;
    if (k !== '<<') continue;
    const v = resolveNode(doc, item.value);
    const sources = isSeq(v) ? v.items.map((x) => resolveNode(doc, x)) : [v];
    for (const s of sources) {
      if (isMap(s)) {
        const got = mapGet(doc, s, key, depth + 1);
        if (got !== undefined) return got;
      }
    }
  }
  return undefined;
}

function scalarString(n: unknown): string | undefined {
  if (!isScalar(n)) return undefined;
  const v = n.value;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** Compose's test for "this short-syntax source is a host path". */
export function isHostPathSource(source: string): boolean {
  if (!source) return false;
  const c = source[0];
  if (c === '.' || c === '/' || c === '~') return true;
  if (source.startsWith('\\\\')) return true;
  return /^\p{L}:/u.test(source);
}

export function isWindowsAbsolute(p: string): boolean {
  return /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

/** Absolute host path of a bind source, as compose resolves it. */
export function resolveHostPath(source: string, composePath: string): string {
  if (source === '~' || source.startsWith('~/') || source.startsWith('~\\')) {
    return path.join(os.homedir(), source.slice(1));
  }
  if (isWindowsAbsolute(source)) {
    return path.sep === '\\' ? path.resolve(source) : path.win32.normalize(source);
  }
  if (/^[A-Za-z]:$/.test(source)) return path.win32.normalize(source + '\\');
  return path.resolve(path.dirname(path.resolve(composePath)), source);
}

export function normaliseTarget(target: string): string {
  if (!target) return target;
  let t = target.replace(/\\/g, '/');
  t = path.posix.normalize(t);
  if (t.length > 1 && t.endsWith('/')) t = t.slice(0, -1);
  return t;
}

interface ShortParts {
  source?: [number, number];
  target?: [number, number];
  mode?: [number, number];
  error?: string;
}

/** compose-go's ParseVolume over an interpolated spec, keeping offsets. */
export function splitShortVolume(spec: string): ShortParts {
  const parts: ShortParts = {};
  if (spec.length === 0) return { error: 'empty volume entry' };
  if (spec.length <= 2) return { target: [0, spec.length] };
  let bufStart = 0;
  let bufLen = 0;
  const populate = (atEnd: boolean): string | undefined => {
    const span: [number, number] = [bufStart, bufStart + bufLen];
    if (bufLen === 0) return 'empty section between colons';
    if (!parts.source && atEnd) {
      parts.target = span;
      return undefined;
    }
    if (!parts.source) {
      parts.source = span;
      return undefined;
    }
    if (!parts.target) {
      parts.target = span;
      return undefined;
    }
    if (!atEnd) return 'too many colons';
    parts.mode = span;
    return undefined;
  };
  for (let i = 0; i < spec.length; i++) {
    const ch = spec[i];
    const driveColon = ch === ':' && bufLen === 1 && /\p{L}/u.test(spec[bufStart]);
    if (ch === ':' && !driveColon) {
      const err = populate(false);
      if (err) return { ...parts, error: err };
      bufStart = i + 1;
      bufLen = 0;
    } else {
      bufLen++;
    }
  }
  const err = populate(true);
  if (err) return { ...parts, error: err };
  return parts;
}

function parseShort(
  text: string,
  node: Scalar,
  env: Env,
  composePath: string,
  pos: Positions,
  serviceName: string,
  namedVolumes: Set<string>,
  hasTopVolumes: boolean,
): VolumeMount {
  const t = traceScalar(text, node, env);
  const spec = t.value;
  const range = nodeRange(pos, node);
  const problems = problemsOf(t, pos);
  const parts = splitShortVolume(spec);
  const spanRange = (s: [number, number]): Range => {
    const d = tracedSpan(t, s[0], s[1]);
    return pos.range(d.start, d.end);
  };
  const mount: VolumeMount = {
    syntax: 'short',
    type: 'volume',
    raw: t.raw,
    range,
    target: '',
    readOnly: false,
    modes: [],
    createHostPath: true,
    service: serviceName,
    problems,
  };
  if (parts.error) {
    // compose stops at the first bad section: the entry mounts nothing
    mount.type = 'other';
    const fatal = problems.some((p) => p.kind === 'required' || p.kind === 'invalid');
    if (!fatal) {
      const unset = problems.filter((p) => p.kind === 'unset').map((p) => p.variable);
      const why = unset.length ? ` (after interpolation: ${unset.join(', ')} ${unset.length === 1 ? 'is' : 'are'} not set)` : '';
      problems.push({
        range,
        code: 'compose-volume-invalid',
        kind: 'volume-invalid',
        message: `invalid volume "${spec}"${why}: ${parts.error}; docker compose refuses the file. Write HOST:CONTAINER[:MODE], e.g. ./tls:/milvus/tls:ro`,
      });
    }
    return mount;
  }
  if (parts.target) {
    mount.target = normaliseTarget(spec.slice(parts.target[0], parts.target[1]));
    mount.targetRange = spanRange(parts.target);
  }
  if (parts.source) {
    const source = spec.slice(parts.source[0], parts.source[1]);
    mount.source = source;
    mount.sourceRange = spanRange(parts.source);
    if (isHostPathSource(source)) {
      mount.type = 'bind';
      mount.hostPath = resolveHostPath(source, composePath);
    } else if (!namedVolumes.has(source)) {
      problems.push({
        range: mount.sourceRange,
        code: 'compose-volume-undeclared',
        kind: 'volume-undeclared',
        message:
          `"${source}" is read as a named volume, but ${hasTopVolumes ? 'the top-level volumes: section does not declare it' : 'there is no top-level volumes: section'}; ` +
          `docker compose refuses the file ("refers to undefined volume"). For a host folder write ./${source}, otherwise declare ${source}: under the top-level volumes:`,
      });
    }
  }
  if (parts.mode) {
    const modeText = spec.slice(parts.mode[0], parts.mode[1]);
    mount.modes = modeText.split(',').map((m) => m.trim()).filter(Boolean);
    for (const m of mount.modes) {
      if (m === 'ro') mount.readOnly = true;
      else if (m === 'rw') mount.readOnly = false;
    }
    mount.modeRange = spanRange(parts.mode);
  }
  return mount;
}

function parseLong(
  doc: Document,
  text: string,
  node: YAMLMap,
  env: Env,
  composePath: string,
  pos: Positions,
  serviceName: string,
): VolumeMount {
  const range = nodeRange(pos, node);
  const problems: ComposeProblem[] = [];
  const get = (k: string): unknown => resolveNode(doc, mapGet(doc, node, k));
  const str = (k: string): { t?: TracedString; node?: Scalar } => {
    const n = get(k);
    if (!isScalar(n) || n.value === null || n.value === undefined) return {};
    const t = traceScalar(text, n, env);
    problems.push(...problemsOf(t, pos));
    return { t, node: n };
  };
  const typeS = str('type');
  const sourceS = str('source');
  const targetS = str('target');
  const source = sourceS.t?.value;
  let declared = typeS.t?.value?.trim();
  if (!declared) declared = source && isHostPathSource(source) ? 'bind' : 'volume';
  const type: VolumeMount['type'] = declared === 'bind' || declared === 'volume' || declared === 'tmpfs' ? declared : 'other';
  const mount: VolumeMount = {
    syntax: 'long',
    type,
    raw: sourceS.t?.raw ?? '',
    range,
    target: targetS.t ? normaliseTarget(targetS.t.value) : '',
    readOnly: false,
    modes: [],
    createHostPath: false,
    service: serviceName,
    problems,
  };
  if (sourceS.t) {
    mount.source = source;
    const s = sourceS.t.vmap;
    mount.sourceRange = pos.range(s.start, s.end);
    if (type === 'bind' && source) mount.hostPath = resolveHostPath(source, composePath);
  }
  if (targetS.t) {
    const s = targetS.t.vmap;
    mount.targetRange = pos.range(s.start, s.end);
  }
  const ro = get('read_only');
  if (isScalar(ro)) {
    const v = ro.value;
    const sv = typeof v === 'string' ? interpolateDetailed(v, env).value.trim().toLowerCase() : v;
    mount.readOnly = sv === true || sv === 'true' || sv === '1' || sv === 'yes';
    mount.modeRange = nodeRange(pos, ro);
  }
  const bind = get('bind');
  if (isMap(bind)) {
    const c = resolveNode(doc, mapGet(doc, bind, 'create_host_path'));
    if (isScalar(c)) {
      const v = c.value;
      mount.createHostPath = v === true || (typeof v === 'string' && v.trim().toLowerCase() === 'true');
    }
  }
  if (!targetS.t) {
    problems.push({
      range,
      code: 'compose-volume-invalid',
      kind: 'volume-invalid',
      message: 'this long-syntax volume has no target:; add target: with the container path (e.g. target: /milvus/tls)',
    });
  }
  return mount;
}

/** Collects interpolation problems from every value scalar of the document. */
function collectInterpolation(doc: Document, text: string, env: Env, pos: Positions): ComposeProblem[] {
  const out: ComposeProblem[] = [];
  const seen = new Set<unknown>();
  const visit = (n: unknown, depth: number): void => {
    if (!n || depth > 200 || seen.has(n)) return;
    seen.add(n);
    if (isScalar(n)) {
      if (typeof n.value === 'string' && n.value.includes('$')) out.push(...problemsOf(traceScalar(text, n, env), pos));
      return;
    }
    if (isMap(n)) {
      for (const p of n.items) if (isPair(p)) visit(p.value, depth + 1);
      return;
    }
    if (isSeq(n)) for (const x of n.items) visit(x, depth + 1);
  };
  visit(doc.contents, 0);
  return out;
}

/**
 * Parses a compose file's services and their volumes. Never throws: YAML
 * errors land in `yamlErrors` and whatever could be parsed is still returned.
 */
export function parseComposeVolumes(text: string, composePath: string, env: Env): ComposeModel {
  const model: ComposeModel = { services: [], yamlErrors: [], namedVolumes: [], interpolationProblems: [], problems: [], composePath };
  if (typeof text !== 'string') return model;
  const pos = new Positions(text);
  let doc: Document;
  try {
    doc = parseDocument(text, { keepSourceTokens: true, prettyErrors: false, uniqueKeys: true, strict: false });
  } catch (e) {
    model.yamlErrors.push({ range: pos.range(0, Math.min(text.length, 1)), message: `cannot parse YAML: ${(e as Error)?.message ?? String(e)}` });
    return model;
  }
  for (const err of doc.errors) {
    const [s, e] = err.pos ?? [0, 0];
    const end = e > s ? e : Math.min(text.length, s + 1);
    model.yamlErrors.push({ range: pos.range(Math.min(s, text.length), end), message: firstLine(err.message) });
  }
  try {
    fill(doc, text, composePath, env ?? {}, pos, model);
  } catch {
    /* a shape we did not foresee: keep what we have */
  }
  return model;
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return (i >= 0 ? s.slice(0, i) : s).replace(/ at line \d+, column \d+:?$/, '');
}

function fill(doc: Document, text: string, composePath: string, env: Env, pos: Positions, model: ComposeModel): void {
  const root = resolveNode(doc, doc.contents);
  if (!isMap(root)) return;
  model.interpolationProblems = collectInterpolation(doc, text, env, pos);
  const topVolumes = resolveNode(doc, mapGet(doc, root, 'volumes'));
  const named = new Set<string>();
  if (isMap(topVolumes)) {
    for (const p of topVolumes.items) {
      if (!isPair(p)) continue;
      const k = scalarString(p.key);
      if (k !== undefined) named.add(k);
    }
  }
  model.namedVolumes = [...named];
  const services = resolveNode(doc, mapGet(doc, root, 'services'));
  if (!isMap(services)) return;
  for (const pair of services.items) {
    if (!isPair(pair)) continue;
    const name = scalarString(pair.key);
    if (name === undefined || name === '<<') continue;
    const svc: ComposeService = { name, nameRange: nodeRange(pos, pair.key), volumes: [] };
    model.services.push(svc);
    const body = resolveNode(doc, pair.value);
    if (!isMap(body)) continue;
    const image = resolveNode(doc, mapGet(doc, body, 'image'));
    if (isScalar(image) && image.value !== null && image.value !== undefined) {
      svc.image = interpolateDetailed(String(image.value), env).value;
      svc.imageRange = nodeRange(pos, image);
    }
    const vols = resolveNode(doc, mapGet(doc, body, 'volumes'));
    if (!isSeq(vols)) continue;
    svc.volumesRange = nodeRange(pos, vols);
    for (const item of vols.items) {
      const entry = resolveNode(doc, item);
      if (entry === null || entry === undefined) continue;
      if (isScalar(entry) && typeof entry.value === 'string') {
        svc.volumes.push(parseShort(text, entry, env, composePath, pos, name, named, isMap(topVolumes)));
      } else if (isMap(entry)) {
        svc.volumes.push(parseLong(doc, text, entry, env, composePath, pos, name));
      }
      else {
        // numbers, nulls, nested lists: compose's schema rejects them
        model.problems.push({
          range: nodeRange(pos, item),
          code: 'compose-volume-invalid',
          kind: 'volume-invalid',
          message: 'a volume entry must be a string (HOST:CONTAINER[:MODE]) or a mapping (type, source, target); docker compose rejects this one',
        });
      }
    }
  }
}
