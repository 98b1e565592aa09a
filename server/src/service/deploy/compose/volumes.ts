/**
 * Parses the `volumes:` of every service in a docker compose file into a
 * model with exact ranges, following compose-go's rules for the short
 * syntax (`HOST:CONTAINER[:MODE]`, Windows drive letters, anonymous and
 * named volumes) and the long syntax (`type`, `source`, `target`,
 * `read_only`, `bind.create_host_path`). Variables are interpolated first,
 * as compose does, and every character of the result is traced back to the
 * document so that findings land on the right characters.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node as YamlNode, Scalar, YAMLMap } from 'yaml';
import type { Range } from 'vscode-languageserver-types';
import { interpolateDetailed } from './interpolate';
import type { Env } from './interpolate';

import type { ComposeModel, ComposeProblem, ComposeService, VolumeMount } from './model';
import { Positions, traceScalar, tracedSpan, problemsOf, type TracedString } from './trace';
import { isHostPathSource, resolveHostPath, normaliseTarget, splitShortVolume } from './short-syntax';

export * from './model';
export { Positions, scalarValueMap, traceScalar, tracedSpan, type TracedString } from './trace';
export { isHostPathSource, isWindowsAbsolute, resolveHostPath, normaliseTarget, splitShortVolume } from './short-syntax';

const EMPTY_RANGE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

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
    mount.modes = modeText
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean);
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
    model.yamlErrors.push({
      range: pos.range(0, Math.min(text.length, 1)),
      message: `cannot parse YAML: ${(e as Error)?.message ?? String(e)}`,
    });
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

/** A service's `environment:` (map or `KEY=value` list) and `env_file:` (string, list, long syntax), interpolated. */
function fillEnvironment(doc: Document, body: YAMLMap, env: Env, composePath: string, pos: Positions, svc: ComposeService): void {
  const value = (n: unknown): string | undefined => {
    if (!isScalar(n) || n.value === null || n.value === undefined) return undefined;
    return interpolateDetailed(String(n.value), env).value;
  };
  const environment = resolveNode(doc, mapGet(doc, body, 'environment'));
  if (isMap(environment) || isSeq(environment)) {
    svc.environmentRange = nodeRange(pos, environment);
    svc.environment = [];
  }
  if (isMap(environment)) {
    for (const p of environment.items) {
      if (!isPair(p)) continue;
      const name = scalarString(p.key);
      if (name === undefined || name === '<<') continue;
      const v = resolveNode(doc, p.value);
      const keyRange = nodeRange(pos, p.key);
      const valueRange = isScalar(v) && v.range ? nodeRange(pos, v) : undefined;
      svc.environment!.push({ name, value: value(v), range: { start: keyRange.start, end: valueRange?.end ?? keyRange.end }, valueRange });
    }
  } else if (isSeq(environment)) {
    for (const item of environment.items) {
      const n = resolveNode(doc, item);
      if (!isScalar(n) || typeof n.value !== 'string') continue;
      const raw = interpolateDetailed(n.value, env).value;
      const eq = raw.indexOf('=');
      const range = nodeRange(pos, n);
      if (eq < 0) svc.environment!.push({ name: raw.trim(), range });
      else svc.environment!.push({ name: raw.slice(0, eq), value: raw.slice(eq + 1), range, valueRange: range });
    }
  }
  const envFile = resolveNode(doc, mapGet(doc, body, 'env_file'));
  const files = isSeq(envFile) ? envFile.items.map((x) => resolveNode(doc, x)) : envFile ? [envFile] : [];
  for (const f of files) {
    let p: string | undefined;
    let required = true;
    if (isScalar(f)) p = value(f);
    else if (isMap(f)) {
      p = value(resolveNode(doc, mapGet(doc, f, 'path')));
      const r = resolveNode(doc, mapGet(doc, f, 'required'));
      if (isScalar(r)) required = !(r.value === false || String(r.value).toLowerCase() === 'false');
    }
    if (!p) continue;
    svc.envFiles ??= [];
    svc.envFiles.push({ path: p, hostPath: resolveHostPath(p, composePath), range: nodeRange(pos, f), required });
  }
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
    fillEnvironment(doc, body, env, composePath, pos, svc);
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
      } else {
        // numbers, nulls, nested lists: compose's schema rejects them
        model.problems.push({
          range: nodeRange(pos, item),
          code: 'compose-volume-invalid',
          kind: 'volume-invalid',
          message:
            'a volume entry must be a string (HOST:CONTAINER[:MODE]) or a mapping (type, source, target); docker compose rejects this one',
        });
      }
    }
  }
}
