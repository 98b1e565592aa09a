/**
 * The configuration Milvus runs with, computed the way Milvus computes it
 * (milvus-io/milvus, read for this file):
 *
 * - Files: `milvus.yaml`, `default.yaml`, `user.yaml` in the config folder, in that order, later
 *   files winning (`pkg/util/paramtable/base_table.go` defaultYaml; `pkg/config/file_source.go`
 *   loadFromFile merges them into one map; a missing file is skipped). The folder is
 *   `$MILVUSCONF`, else `<cwd>/configs` (`initConfPath`), `/milvus/configs` in the image.
 * - Each file is read with gopkg.in/yaml.v2 (YAML 1.1: `yes`/`on` are booleans) and flattened to
 *   dotted keys (`pkg/config/config.go` flattenAndMergeMap), every value turned into its string
 *   form (`cast.ToStringE`). Lookups go through `formatKey`: lower-case, `/`, `_` and `.` dropped,
 *   so `tls.server_pem_path`, `TLS.serverpempath` and a top-level dotted `tls.serverPemPath` are
 *   one key. Two spellings of one key in one file land in one Go map in random order: which one
 *   wins changes from start to start.
 * - Environment variables outrank files (`pkg/config/source.go`: NormalPriority 11 beats
 *   LowPriority 21; `manager.go` pullSourceConfigs keeps the lower number). Their names go through
 *   the formatter of base_table.go init() (lower-case, a `milvus.` prefix trimmed, `/ _ .`
 *   dropped) and `env_source.go` also reads `MILVUS_CONF_<KEY>`.
 * - Values: `getAsInt` is strconv.Atoi with 0 on error, `getAsBool` strconv.ParseBool with false
 *   on error (`pkg/util/paramtable/param_item.go`).
 *
 * Only the keys the TLS rules need are collected; the rest of a 1,500-line file is skipped by a
 * line scan of its top-level keys.
 */
import * as path from 'node:path';
import { parseDocument, isMap, isPair, isScalar, isSeq, isAlias, type Document, type Node as YamlNode } from 'yaml';
import type { Range } from 'vscode-languageserver-types';
import { LineIndex } from '../../text';
import type { Workspace } from '../../workspace';
import { composeEnv, containerToHost, serviceVariables, type ServiceVariable } from '../../deploy/compose';
import type { DeployContext } from './resolve';
import { MILVUS_WORKDIR } from './deploy';

/** pkg/config/config.go formatKey. */
export function formatKey(key: string): string {
  if (key.startsWith('knowhere.')) return key;
  return key.toLowerCase().replace(/[/_.]/g, '');
}

/** The keys an environment variable sets: base_table.go's formatter, and env_source.go's MILVUS_CONF_ prefix. */
export function envKeys(name: string): string[] {
  const fmt = (k: string) =>
    k
      .toLowerCase()
      .replace(/^milvus\./, '')
      .replace(/[/_.]/g, '');
  const out = [fmt(name)];
  if (name.startsWith('MILVUS_CONF_')) out.push(fmt(name.slice('MILVUS_CONF_'.length)));
  return out;
}

/** The settings the rules read, by their canonical name. */
export const EFFECTIVE_KEYS = [
  'common.security.tlsMode',
  'common.security.internaltlsEnabled',
  'common.security.tlsEnabled',
  'tls.serverPemPath',
  'tls.serverKeyPath',
  'tls.caPemPath',
  'internaltls.serverPemPath',
  'internaltls.serverKeyPath',
  'internaltls.caPemPath',
  'internaltls.sni',
  'proxy.port',
  'proxy.http.enabled',
  'proxy.http.port',
  'etcd.ssl.enabled',
  'etcd.ssl.tlsCert',
  'etcd.ssl.tlsKey',
  'etcd.ssl.tlsCACert',
  'minio.useSSL',
  'minio.ssl.tlsCACert',
  'kafka.ssl.enabled',
  'kafka.ssl.tlsCert',
  'kafka.ssl.tlsKey',
  'kafka.ssl.tlsCaCert',
] as const;

export type EffectiveKey = (typeof EFFECTIVE_KEYS)[number];

const NORM_TO_KEY = new Map<string, EffectiveKey>(EFFECTIVE_KEYS.map((k) => [formatKey(k), k]));
/** `tls.clusters.<id>.*` (2.6) has free ids: collected by prefix. */
const PREFIX_KEYS = [formatKey('tls.clusters')];
const NORMS = [...NORM_TO_KEY.keys(), ...PREFIX_KEYS];

export function canonicalOf(norm: string): EffectiveKey | undefined {
  return NORM_TO_KEY.get(norm);
}

function wanted(norm: string): boolean {
  return NORM_TO_KEY.has(norm) || PREFIX_KEYS.some((p) => norm.startsWith(p));
}

/** A map on the way to a wanted key. */
function onTheWay(norm: string): boolean {
  return NORMS.some((n) => n.startsWith(norm)) || PREFIX_KEYS.some((p) => norm.startsWith(p));
}

/** One `key: value` of a file, as Milvus flattens it. */
export interface FlatSetting {
  /** The dotted key as written (each map key joined with "."): `tls.server_pem_path`. */
  written: string;
  norm: string;
  /** The string Milvus sees (cast.ToStringE); undefined for a list or a map. */
  value: string | undefined;
  keyRange: Range;
  valueRange: Range;
  valueText: string;
  quoted: boolean;
}

const flatCache = new Map<string, FlatSetting[]>();

/** The wanted settings of a Milvus YAML file, in document order. */
export function flattenMilvus(text: string): FlatSetting[] {
  const hit = flatCache.get(text);
  if (hit) return hit;
  const out = flatten(text);
  if (flatCache.size > 16) flatCache.clear();
  flatCache.set(text, out);
  return out;
}

const TOP_KEY = /^("[^"]*"|'[^']*'|[^-\s#'"{[][^:#]*?)\s*:(?:\s|$)/;

function flatten(text: string): FlatSetting[] {
  const lines = new LineIndex(text);
  const out: FlatSetting[] = [];
  const tops: { line: number; key: string }[] = [];
  let docEnd = lines.lineCount;
  for (let i = 0; i < lines.lineCount; i++) {
    let t = lines.lineText(i);
    if (i === 0 && t.charCodeAt(0) === 0xfeff) t = t.slice(1);
    if (/^---(\s|$)/.test(t) && tops.length > 0) {
      docEnd = i; // yaml.v2 Unmarshal reads the first document
      break;
    }
    const m = TOP_KEY.exec(t);
    if (!m) continue;
    let key = m[1];
    if (key.startsWith('"') || key.startsWith("'")) key = key.slice(1, -1);
    tops.push({ line: i, key });
  }
  for (let j = 0; j < tops.length; j++) {
    if (!onTheWay(formatKey(tops[j].key))) continue;
    const first = tops[j].line;
    const next = j + 1 < tops.length ? tops[j + 1].line : docEnd;
    if (!parseSlice(narrowed(lines, first, next, tops[j].key), first, out)) {
      // An alias to an anchor in another block: parse the whole first document once instead.
      const all: FlatSetting[] = [];
      parseSlice(text.slice(0, docEnd < lines.lineCount ? lines.starts[docEnd] : text.length), 0, all, true);
      return all;
    }
  }
  return out;
}

/**
 * Lines [first, next) of a top-level block, with the children that cannot lead to a wanted key
 * blanked out (kept as empty lines, so positions stay): `common:`'s RBAC lists, `proxy:`'s
 * dozens of limits and any junk in `tls:` never reach the YAML parser.
 */
function narrowed(lines: LineIndex, first: number, next: number, top: string): string {
  const out: string[] = [lines.lineText(first)];
  // Open keys above the current line: their indentation, dotted path and whether they can lead to a wanted key.
  const stack: { indent: number; path: string; keep: boolean }[] = [{ indent: -1, path: top, keep: true }];
  for (let i = first + 1; i < next; i++) {
    const t = lines.lineText(i);
    if (t.trim() === '' || t.trimStart().startsWith('#')) {
      out.push('');
      continue;
    }
    const indent = t.length - t.trimStart().length;
    while (stack.length > 1 && stack[stack.length - 1].indent >= indent) stack.pop();
    const parent = stack[stack.length - 1];
    if (!parent.keep) {
      out.push('');
      continue;
    }
    const m = /^\s*("[^"]*"|'[^']*'|[^\s#'"{[\]:-][^:#]*?)\s*:(?:\s|$)/.exec(t);
    if (m) {
      let key = m[1];
      if (key.startsWith('"') || key.startsWith("'")) key = key.slice(1, -1);
      const p = `${parent.path}.${key}`;
      const norm = formatKey(p);
      const keep = wanted(norm) || onTheWay(norm);
      stack.push({ indent, path: p, keep });
      out.push(keep ? t : '');
    } else out.push(t);
  }
  return out.join('\n');
}

function goString(v: unknown): string | undefined {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(v);
  if (typeof v === 'bigint') return String(v);
  return undefined;
}

/** False when a wanted value is an alias whose anchor is outside the slice. */
function parseSlice(body: string, firstLine: number, out: FlatSetting[], whole = false): boolean {
  let doc: Document;
  try {
    // yaml.v2 is YAML 1.1 with merge keys.
    doc = parseDocument(body, { version: '1.1', merge: true, uniqueKeys: false, prettyErrors: false });
  } catch {
    return true;
  }
  let complete = true;
  const local = new LineIndex(body);
  const range = (a: number, b: number): Range => {
    const s = local.positionAt(a);
    const e = local.positionAt(b);
    return { start: { line: s.line + firstLine, character: s.character }, end: { line: e.line + firstLine, character: e.character } };
  };
  const resolve = (n: unknown): unknown => {
    let cur = n;
    for (let g = 0; g < 16 && isAlias(cur); g++) {
      try {
        cur = (cur as unknown as { resolve(d: Document): unknown }).resolve(doc);
      } catch {
        return undefined;
      }
    }
    return cur;
  };
  const walk = (node: unknown, prefix: string, depth: number): void => {
    if (!isMap(node) || depth > 32) return;
    for (const pair of node.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const k = pair.key as YamlNode & { value: unknown; range?: [number, number, number] };
      const keyText = goString(k.value);
      if (keyText === undefined || keyText === '<<') continue;
      const written = prefix ? `${prefix}.${keyText}` : keyText;
      const norm = formatKey(written);
      const isWanted = wanted(norm);
      if (!isWanted && !onTheWay(norm)) continue;
      const v = resolve(pair.value);
      if (v === undefined && isAlias(pair.value) && !whole) complete = false;
      if (isMap(v)) {
        walk(v, written, depth + 1);
        continue;
      }
      if (!isWanted) continue;
      const kr = k.range ?? [0, 0, 0];
      const keyRange = range(kr[0], kr[1]);
      const raw = pair.value as (YamlNode & { range?: [number, number, number] }) | null;
      const vr = raw?.range;
      const valueRange = vr ? range(vr[0], vr[1]) : { start: keyRange.end, end: keyRange.end };
      const scalar = isScalar(v) ? v : undefined;
      out.push({
        written,
        norm,
        value: isSeq(v) ? undefined : scalar ? goString(scalar.value) : '',
        keyRange,
        valueRange,
        valueText: vr ? body.slice(vr[0], vr[1]) : '',
        quoted: !!scalar && (scalar.type === 'QUOTE_DOUBLE' || scalar.type === 'QUOTE_SINGLE'),
      });
    }
  };
  walk(doc.contents, '', 0);
  return complete;
}

// ---------------------------------------------------------------- layers

export type LayerKind = 'milvus.yaml' | 'default.yaml' | 'user.yaml' | 'image' | 'env';

export interface Layer {
  kind: LayerKind;
  /** For findings: "configs/user.yaml (./user.yaml)", "the image's /milvus/configs/milvus.yaml". */
  label: string;
  /** Host file of a file layer; the compose file of the env layer. */
  hostPath?: string;
  containerPath?: string;
}

export interface EffectiveValue {
  key: string;
  norm: string;
  value: string | undefined;
  layer: Layer;
  /** The line that sets it, in a file layer. */
  setting?: FlatSetting;
  /** The variable that sets it, in the env layer. */
  variable?: ServiceVariable;
}

export interface EffectiveConfig {
  layers: Layer[];
  /** Per normalised key, every value in priority order (lowest first); the last one is what Milvus uses. */
  values: Map<string, EffectiveValue[]>;
  /** Normalised keys written with two spellings in one file: Milvus takes one of them at random. */
  ambiguous: Map<string, FlatSetting[]>;
  configDir: string;
  /** The layer of the document asked about; undefined when no deployment reads it. */
  docLayer?: Layer;
  /** True when a compose service runs Milvus but mounts this document nowhere it reads configuration. */
  unmounted: boolean;
}

/** Settings of the official image's configs/milvus.yaml that the rules need (2.4–2.6 ship the same values). */
const IMAGE_DEFAULTS: Partial<Record<EffectiveKey, string>> = {
  'common.security.tlsMode': '0',
  'common.security.internaltlsEnabled': 'false',
  'tls.serverPemPath': 'configs/cert/server.pem',
  'tls.serverKeyPath': 'configs/cert/server.key',
  'tls.caPemPath': 'configs/cert/ca.pem',
  'internaltls.serverPemPath': 'configs/cert/server.pem',
  'internaltls.serverKeyPath': 'configs/cert/server.key',
  'internaltls.caPemPath': 'configs/cert/ca.pem',
  'internaltls.sni': 'localhost',
  'proxy.port': '19530',
  'proxy.http.enabled': 'true',
  'proxy.http.port': '',
  'etcd.ssl.enabled': 'false',
  'minio.useSSL': 'false',
};

const FILES: LayerKind[] = ['milvus.yaml', 'default.yaml', 'user.yaml'];

function positionOf(file: string): LayerKind {
  const base = path.basename(file).toLowerCase();
  return base === 'user.yaml' || base === 'user.yml' ? 'user.yaml' : base === 'default.yaml' ? 'default.yaml' : 'milvus.yaml';
}

export interface EffectiveContext {
  ws: Workspace;
  processEnv: Record<string, string | undefined>;
}

/** The effective configuration of the deployment that reads `docPath` (whose current text is `docText`). */
export function effectiveConfig(
  docPath: string | undefined,
  docText: string | undefined,
  deploy: DeployContext,
  ctx: EffectiveContext,
): EffectiveConfig {
  // Without a document (the compose file asks), only what the deployment reads.
  const abs = docPath === undefined ? '\0' : path.resolve(docPath);
  const layers: { layer: Layer; settings?: FlatSetting[]; variables?: ServiceVariable[] }[] = [];
  let configDir = path.posix.join(MILVUS_WORKDIR, 'configs');
  let docLayer: Layer | undefined;
  let unmounted = false;
  const textOf = (hostPath: string): string | undefined => {
    if (path.resolve(hostPath) === abs && docText !== undefined) return docText;
    const r = ctx.ws.read(hostPath);
    return r.ok ? Buffer.from(r.bytes).toString('utf8') : undefined;
  };
  let variables: Map<string, ServiceVariable> | undefined;
  if (deploy.kind === 'compose' && deploy.service && deploy.composePath) {
    const interp = composeEnv(deploy.composePath, ctx.ws, ctx.processEnv).env;
    variables = serviceVariables(deploy.service, deploy.composePath, ctx.ws, interp);
    const conf = variables.get('MILVUSCONF')?.value;
    if (conf) configDir = path.posix.resolve(MILVUS_WORKDIR, conf);
    const files: (typeof layers)[number][] = [];
    for (const kind of FILES) {
      const containerPath = path.posix.join(configDir, kind);
      const hit = containerToHost(containerPath, deploy.service.volumes, MILVUS_WORKDIR);
      if (hit.hostPath === undefined) {
        if (hit.reason === 'no-mount' && kind === 'milvus.yaml' && configDir === '/milvus/configs')
          files.push({ layer: { kind: 'image', label: "the image's own /milvus/configs/milvus.yaml", containerPath } });
        continue;
      }
      const text = textOf(hit.hostPath);
      const rel = path.relative(path.dirname(deploy.composePath), hit.hostPath) || path.basename(hit.hostPath);
      const layer: Layer = { kind, label: `${containerPath} (${rel})`, hostPath: hit.hostPath, containerPath };
      if (path.resolve(hit.hostPath) === abs) docLayer = layer;
      if (text !== undefined) files.push({ layer, settings: flattenMilvus(text) });
    }
    if (!docLayer && docPath !== undefined) {
      // No service reads this file: judge it where its name says it belongs, and say it is unused.
      unmounted = !deploy.service.volumes.some((v) => v.hostPath && path.resolve(v.hostPath) === abs);
      const kind = positionOf(abs);
      docLayer = { kind, label: path.basename(abs), hostPath: abs, containerPath: path.posix.join(configDir, kind) };
      const at = files.findIndex((f) => f.layer.kind === kind || (kind === 'milvus.yaml' && f.layer.kind === 'image'));
      const entry = { layer: docLayer, settings: flattenMilvus(docText ?? textOf(abs) ?? '') };
      if (at >= 0) files[at] = entry;
      else {
        files.push(entry);
        files.sort((a, b) => order(a.layer.kind) - order(b.layer.kind));
      }
    }
    layers.push(...files);
  } else if (docPath !== undefined) {
    // Milvus run on a host: this file, and the other two of milvus.yaml / default.yaml / user.yaml beside it.
    const dir = path.dirname(abs);
    const named = FILES.includes(path.basename(abs).toLowerCase() as LayerKind);
    for (const k of FILES) {
      const mine = positionOf(abs) === k;
      if (!mine && !named) continue;
      const file = mine ? abs : path.join(dir, k);
      const text = mine ? (docText ?? textOf(abs) ?? '') : textOf(file);
      if (text === undefined) continue;
      const layer: Layer = { kind: k, label: path.basename(file), hostPath: file };
      if (mine) docLayer = layer;
      layers.push({ layer, settings: flattenMilvus(text) });
    }
  }
  const { values, ambiguous } = mergeLayers(layers, variables, deploy);
  return { layers: layers.map((l) => l.layer), values, ambiguous, configDir, docLayer, unmounted };
}

/** The configuration a Kubernetes deployment runs with: the image's milvus.yaml under one user.yaml fragment (a CR's spec.config, a chart's extraConfigFiles). */
export function effectiveFromFragment(settings: FlatSetting[], label: string): EffectiveConfig {
  const image: Layer = {
    kind: 'image',
    label: "the image's own /milvus/configs/milvus.yaml",
    containerPath: '/milvus/configs/milvus.yaml',
  };
  const user: Layer = { kind: 'user.yaml', label, containerPath: '/milvus/configs/user.yaml' };
  const layers = [{ layer: image }, { layer: user, settings }];
  const { values, ambiguous } = mergeLayers(layers, undefined, undefined);
  return { layers: [image, user], values, ambiguous, configDir: '/milvus/configs', docLayer: user, unmounted: false };
}

function mergeLayers(
  layers: { layer: Layer; settings?: FlatSetting[]; variables?: ServiceVariable[] }[],
  variables: Map<string, ServiceVariable> | undefined,
  deploy: DeployContext | undefined,
): Pick<EffectiveConfig, 'values' | 'ambiguous'> {
  const values = new Map<string, EffectiveValue[]>();
  const ambiguous = new Map<string, FlatSetting[]>();
  const add = (v: EffectiveValue) => {
    const list = values.get(v.norm) ?? [];
    list.push(v);
    values.set(v.norm, list);
  };
  for (const { layer, settings } of layers) {
    if (layer.kind === 'image') {
      for (const [k, value] of Object.entries(IMAGE_DEFAULTS)) add({ key: k, norm: formatKey(k), value, layer });
      continue;
    }
    const byNorm = new Map<string, FlatSetting[]>();
    for (const s of settings ?? []) byNorm.set(s.norm, [...(byNorm.get(s.norm) ?? []), s]);
    for (const [norm, list] of byNorm) {
      // yaml.v2: the same key twice in one mapping keeps the last; two spellings are two map entries.
      const spellings = new Set(list.map((s) => s.written));
      if (spellings.size > 1) ambiguous.set(norm, list);
      const s = list[list.length - 1];
      add({ key: canonicalOf(norm) ?? s.written, norm, value: s.value, layer, setting: s });
    }
  }
  if (variables && deploy?.composePath) {
    const env: Layer = { kind: 'env', label: `the environment of service ${deploy.service?.name}`, hostPath: deploy.composePath };
    layers.push({ layer: env });
    for (const v of variables.values()) {
      for (const norm of envKeys(v.name))
        if (wanted(norm)) add({ key: canonicalOf(norm) ?? v.name, norm, value: v.value, layer: env, variable: v });
    }
  }
  return { values, ambiguous };
}

function order(kind: LayerKind): number {
  return kind === 'image' || kind === 'milvus.yaml' ? 0 : kind === 'default.yaml' ? 1 : kind === 'user.yaml' ? 2 : 3;
}

/** What Milvus uses for a key: the last value in priority order. */
export function winner(cfg: EffectiveConfig, key: string): EffectiveValue | undefined {
  return cfg.values.get(formatKey(key))?.at(-1);
}

/** Where a value is set, for messages: "COMMON_SECURITY_TLSMODE=2 in docker-compose.yml:14". */
export function describeSource(v: EffectiveValue, fromDir?: string): string {
  const rel = (f: string) => (fromDir ? path.relative(fromDir, f) || path.basename(f) : path.basename(f));
  if (v.variable) return `${v.variable.name}=${v.variable.value} in ${rel(v.variable.file)}:${v.variable.line + 1}`;
  if (v.setting && v.layer.hostPath)
    return `${v.setting.written}: ${v.value} in ${rel(v.layer.hostPath)}:${v.setting.keyRange.start.line + 1}`;
  return `${v.key}: ${v.value} in ${v.layer.label}`;
}

/** Milvus's getAsInt: strconv.Atoi, 0 when it fails. */
export function goAtoi(v: string | undefined): { value: number; ok: boolean } {
  const s = v ?? '';
  if (/^[+-]?\d+$/.test(s)) return { value: Number(s), ok: true };
  return { value: 0, ok: false };
}

/** Milvus's getAsBool: strconv.ParseBool, false when it fails. */
export function goParseBool(v: string | undefined): { value: boolean; ok: boolean } {
  const s = v ?? '';
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return { value: true, ok: true };
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return { value: false, ok: true };
  return { value: false, ok: false };
}
