/**
 * Adds keys and list items to a YAML document as text edits at the places the parsed document
 * (the `yaml` package's ranges) points at, so every line the edit does not need stays as the user
 * wrote it: comments, blank lines, quoting, indentation. Re-serialising the document with
 * `doc.toString()` would be simpler but rewrites unrelated lines (comment spacing, `|+` blocks,
 * blank lines), which is not an edit a user wants to review.
 *
 * What can be asked for (a `Want` tree): scalars (set when missing or different), maps (merged key
 * by key), `SeqWant` (list items identified by a key, added or replaced) and `ConfigWant` (a Milvus
 * configuration subtree: keys compared the way Milvus compares them, dotted keys included).
 */
import { isMap, isScalar, isSeq, stringify, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { LineIndex } from '../text';
import { formatKey } from '../targets/milvus/effective';

export type Want = string | number | boolean | WantMap | SeqWant | ConfigWant;
export interface WantMap {
  [key: string]: Want;
}

/** List items, each identified by `id` (a volume by `name`, a mount by `mountPath`). */
export class SeqWant {
  constructor(
    readonly items: Record<string, unknown>[],
    readonly id: (item: Record<string, unknown>) => string | undefined,
    readonly label: (item: Record<string, unknown>) => string,
  ) {}
}

/** A milvus.yaml fragment: Milvus lower-cases keys and drops `.`, `_`, `/` (pkg/config/config.go formatKey). */
export class ConfigWant {
  constructor(readonly tree: WantMap) {}
}

export interface OffsetEdit {
  start: number;
  end: number;
  text: string;
}

export interface MergeContext {
  text: string;
  lines: LineIndex;
  nl: string;
  edits: OffsetEdit[];
  /** Human-readable changes, "set tls.serverPemPath: /x" / "add volumes item milvus-tls". */
  changes: string[];
}

export function mergeContext(text: string): MergeContext {
  return { text, lines: new LineIndex(text), nl: text.includes('\r\n') ? '\r\n' : '\n', edits: [], changes: [] };
}

/** Plain data for rendering a Want. */
export function toPlain(w: Want): unknown {
  if (w instanceof SeqWant) return w.items;
  if (w instanceof ConfigWant) return toPlain(w.tree);
  if (typeof w === 'object') return Object.fromEntries(Object.entries(w).map(([k, v]) => [k, toPlain(v)]));
  return w;
}

/** Block YAML for `value`, every line at `col`, joined with the file's line break, no trailing break. */
export function renderBlock(value: unknown, col: number, nl: string): string {
  const out = stringify(value, { lineWidth: 0, indent: 2 }).replace(/\n$/, '');
  return out
    .split('\n')
    .map((l) => (l ? ' '.repeat(col) + l : l))
    .join(nl);
}

function renderScalar(v: string | number | boolean): string {
  return stringify(v, { lineWidth: 0 }).replace(/\n$/, '');
}

/**
 * Merges `want` into the document whose top-level node is `root`; an empty document (or one of
 * comments only) gets the whole tree at `appendAt`. `config`: the document is a milvus.yaml.
 */
export function mergeRoot(
  ctx: MergeContext,
  root: Node | null | undefined,
  want: WantMap,
  appendAt: number,
  opts: { path?: string[]; config?: boolean } = {},
): void {
  const path = opts.path ?? [];
  if (root && isMap(root) && !root.flow && root.items.length) {
    const rest = opts.config ? setFlattenedLeaves(ctx, root, want, path) : want;
    if (Object.keys(rest).length) mergeMap(ctx, root, rest, path, !!opts.config);
    return;
  }
  if (root && !(isScalar(root) && (root.value === null || root.value === ''))) {
    ctx.changes.push(`cannot add ${path.join('.') || 'keys'}: the document is not a map`);
    return;
  }
  const block = renderBlock(toPlain(want), 0, ctx.nl);
  const atLineStart = appendAt === 0 || ctx.text[appendAt - 1] === '\n';
  ctx.edits.push({ start: appendAt, end: appendAt, text: atLineStart ? block + ctx.nl : ctx.nl + block });
  describe(ctx, want, path);
}

/** Plain data of a node; undefined when it cannot be had (an alias to an anchor that is not there). */
export function safeJS(node: { toJSON(): unknown } | null | undefined): unknown {
  try {
    return node?.toJSON();
  } catch {
    return undefined;
  }
}

function keyText(p: Pair): string | undefined {
  return isScalar(p.key) ? String(p.key.value) : undefined;
}

function findPair(map: YAMLMap, key: string, config: boolean): Pair | undefined {
  const want = config ? formatKey(key) : key;
  // The last one wins in a YAML mapping read by Go's yaml (and by us): edit that one.
  return (map.items as Pair[])
    .filter((p) => {
      const k = keyText(p);
      return k !== undefined && (config ? formatKey(k) : k) === want;
    })
    .at(-1);
}

/** End offset of the last line a map's (or seq's) items occupy. */
function lastLineEnd(ctx: MergeContext, node: YAMLMap | YAMLSeq): number {
  let end = 0;
  for (const it of node.items as Array<Pair | Node>) {
    const n = isPairLike(it) ? ((it.value as Node | null) ?? (it.key as Node)) : it;
    const r = n?.range;
    if (r) end = Math.max(end, r[1]);
    if (isPairLike(it) && (it.key as Node | null)?.range) end = Math.max(end, (it.key as Node).range![1]);
  }
  // A range may end at the start of the next line; the content is on the line before it.
  let line = ctx.lines.positionAt(end).line;
  if (end > 0 && ctx.text[end - 1] === '\n') line -= 1;
  // Skip blank lines a block scalar keeps (`|+`): insert after the last line with text.
  while (line > 0 && ctx.lines.lineText(line).trim() === '') line -= 1;
  return ctx.lines.lineEnd(line);
}

function isPairLike(x: unknown): x is Pair {
  return !!x && typeof x === 'object' && 'key' in x && 'value' in x;
}

function column(ctx: MergeContext, offset: number): number {
  return ctx.lines.positionAt(offset).character;
}

function mergeMap(ctx: MergeContext, map: YAMLMap, want: WantMap, path: string[], config: boolean): void {
  const missing: WantMap = {};
  for (const [k, v] of Object.entries(want)) {
    const full = [...path, k];
    const pair = findPair(map, k, config);
    if (v instanceof ConfigWant) {
      const pruned = pair && isMap(pair.value) ? setFlattenedLeaves(ctx, pair.value, v.tree, full) : v.tree;
      if (Object.keys(pruned).length === 0) continue;
      if (!pair) missing[k] = new ConfigWant(pruned);
      else ensureValue(ctx, pair, pruned, full, true);
      continue;
    }
    if (!pair) missing[k] = v;
    else ensureValue(ctx, pair, v, full, config);
  }
  if (Object.keys(missing).length === 0) return;
  const first = map.items[0] as Pair;
  const col = column(ctx, (first.key as Node).range![0]);
  const at = lastLineEnd(ctx, map);
  ctx.edits.push({ start: at, end: at, text: ctx.nl + renderBlock(toPlain(missing), col, ctx.nl) });
  describe(ctx, missing, path);
}

/**
 * Milvus flattens its configuration to dotted keys before it looks one up, so `tls.serverPemPath`
 * may already be there as `tls: {serverpempath: …}` or as a literal `common.security.tlsMode` key.
 * Sets the leaves that exist wherever they are and returns what is still missing.
 */
function setFlattenedLeaves(ctx: MergeContext, root: YAMLMap, tree: WantMap, path: string[]): WantMap {
  const index = new Map<string, Pair>();
  const walk = (m: YAMLMap, prefix: string) => {
    for (const p of m.items as Pair[]) {
      const k = keyText(p);
      if (k === undefined) continue;
      const full = prefix ? `${prefix}.${k}` : k;
      if (isMap(p.value)) walk(p.value, full);
      else index.set(formatKey(full), p);
    }
  };
  walk(root, '');
  const prune = (t: WantMap, prefix: string[]): WantMap => {
    const out: WantMap = {};
    for (const [k, v] of Object.entries(t)) {
      const here = [...prefix, k];
      if (typeof v === 'object' && !(v instanceof SeqWant) && !(v instanceof ConfigWant)) {
        const rest = prune(v, here);
        if (Object.keys(rest).length) out[k] = rest;
        continue;
      }
      const hit = index.get(formatKey(here.join('.')));
      if (hit && (isScalar(hit.value) || hit.value === null)) ensureValue(ctx, hit, v, [...path, ...here], true);
      else out[k] = v;
    }
    return out;
  };
  return prune(tree, []);
}

function ensureValue(ctx: MergeContext, pair: Pair, v: Want, path: string[], config: boolean): void {
  const value = pair.value as Node | null;
  const keyNode = pair.key as Node;
  const keyCol = column(ctx, keyNode.range![0]);
  const empty = value === null || (isScalar(value) && (value.value === null || value.value === ''));
  if (typeof v !== 'object') {
    if (isScalar(value) && value.value !== null && String(value.value) === String(v)) return;
    if (value?.range && !(isScalar(value) && value.value === null && value.range[0] === value.range[1])) {
      ctx.edits.push({ start: value.range[0], end: value.range[1], text: renderScalar(v) });
      if (isScalar(value) && value.value !== null && value.value !== '') {
        ctx.changes.push(`set ${path.join('.')}: ${String(value.value)} → ${String(v)}`);
        return;
      }
    } else {
      // `key:` with nothing after it: the value goes after the colon, before any comment.
      const end = keyNode.range![1];
      const colon = ctx.text.indexOf(':', end);
      ctx.edits.push({ start: colon + 1, end: colon + 1, text: ' ' + renderScalar(v) });
    }
    ctx.changes.push(`set ${path.join('.')}: ${String(v)}`);
    return;
  }
  if (empty) {
    replaceEmpty(ctx, keyNode, value, v, keyCol);
    describe(ctx, { [path.at(-1)!]: v }, path.slice(0, -1));
    return;
  }
  if (v instanceof SeqWant) {
    if (isSeq(value) && !value.flow && value.items.length) return ensureSeq(ctx, value, v, path);
    if (isSeq(value)) {
      // A flow list (`volumes: []`, as the chart's values.yaml has it): rewrite it as a block list.
      const merged = mergeItems((safeJS(value) as Record<string, unknown>[] | undefined) ?? [], v, ctx, path);
      if (!merged) return;
      ctx.edits.push({ start: keyNode.range![1], end: value.range![1], text: ':' + ctx.nl + renderBlock(merged, keyCol + 2, ctx.nl) });
      return;
    }
    ctx.changes.push(`cannot add to ${path.join('.')}: it is not a list`);
    return;
  }
  const tree = v instanceof ConfigWant ? v.tree : v;
  if (isMap(value) && !value.flow && value.items.length) return mergeMap(ctx, value, tree, path, config || v instanceof ConfigWant);
  if (isMap(value)) {
    // A flow map (`config: {}`): rewrite it as a block map with the wanted keys merged in.
    const merged = { ...((safeJS(value) as object | undefined) ?? {}), ...(toPlain(tree) as object) };
    ctx.edits.push({ start: keyNode.range![1], end: value.range![1], text: ':' + ctx.nl + renderBlock(merged, keyCol + 2, ctx.nl) });
    describe(ctx, tree, path);
    return;
  }
  ctx.changes.push(`cannot add to ${path.join('.')}: it is not a map`);
}

function replaceEmpty(ctx: MergeContext, keyNode: Node, value: Node | null, v: Want, keyCol: number): void {
  const line = ctx.lines.positionAt(keyNode.range![0]).line;
  const block = ctx.nl + renderBlock(toPlain(v), keyCol + 2, ctx.nl);
  if (value?.range && value.range[1] > value.range[0]) {
    // An explicit `null` / `~` / `""`: replace it.
    ctx.edits.push({ start: keyNode.range![1], end: value.range[1], text: ':' + block });
  } else {
    const end = ctx.lines.lineEnd(line);
    ctx.edits.push({ start: end, end, text: block });
  }
}

function sameFields(existing: Record<string, unknown>, wanted: Record<string, unknown>): boolean {
  return JSON.stringify(pick(existing, Object.keys(wanted))) === JSON.stringify(wanted);
}

function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, o?.[k]]));
}

/** The whole list after merging (for a flow list rewritten as a block); undefined when nothing changes. */
function mergeItems(existing: Record<string, unknown>[], w: SeqWant, ctx: MergeContext, path: string[]): unknown[] | undefined {
  const out = [...existing];
  let changed = false;
  for (const item of w.items) {
    const i = out.findIndex((e) => w.id(e) !== undefined && w.id(e) === w.id(item));
    if (i >= 0 && sameFields(out[i], item)) continue;
    changed = true;
    if (i >= 0) out[i] = item;
    else out.push(item);
    ctx.changes.push(`${i >= 0 ? 'replace' : 'add'} ${path.join('.')} item ${w.label(item)}`);
  }
  return changed ? out : undefined;
}

function ensureSeq(ctx: MergeContext, seq: YAMLSeq, w: SeqWant, path: string[]): void {
  const items = seq.items as Node[];
  const firstLine = ctx.lines.positionAt(items[0].range![0]);
  const dashCol = ctx.lines.lineText(firstLine.line).lastIndexOf('-', firstLine.character);
  const itemCol = dashCol + 2;
  const append: Record<string, unknown>[] = [];
  for (const item of w.items) {
    const hit = items.filter((n) => {
      const js = safeJS(n) as Record<string, unknown> | undefined;
      return js && typeof js === 'object' && w.id(js) !== undefined && w.id(js) === w.id(item);
    });
    const node = hit.at(-1);
    if (node && sameFields((safeJS(node) ?? {}) as Record<string, unknown>, item)) continue;
    if (node && isMap(node)) {
      const col = column(ctx, node.range![0]);
      ctx.edits.push({ start: node.range![0], end: trimEnd(ctx, node.range![1]), text: renderBlock(item, col, ctx.nl).slice(col) });
      ctx.changes.push(`replace ${path.join('.')} item ${w.label(item)}`);
      continue;
    }
    append.push(item);
    ctx.changes.push(`add ${path.join('.')} item ${w.label(item)}`);
  }
  if (!append.length) return;
  const at = lastLineEnd(ctx, seq);
  const text = append
    .map((item) => ' '.repeat(dashCol) + '- ' + renderBlock(item, itemCol, ctx.nl).slice(itemCol))
    .map((s) => ctx.nl + s)
    .join('');
  ctx.edits.push({ start: at, end: at, text });
}

/** A node's range may take in the line break after it; an edit replacing the node must keep that break. */
function trimEnd(ctx: MergeContext, end: number): number {
  let e = end;
  while (e > 0 && /\s/.test(ctx.text[e - 1])) e -= 1;
  return e;
}

function describe(ctx: MergeContext, want: Want, path: string[]): void {
  if (want instanceof SeqWant) {
    for (const item of want.items) ctx.changes.push(`add ${path.join('.')} item ${want.label(item)}`);
    return;
  }
  if (want instanceof ConfigWant) return describe(ctx, want.tree, path);
  if (typeof want !== 'object') {
    // A text block (Helm's extraConfigFiles.user.yaml): its lines are described by the caller.
    ctx.changes.push(typeof want === 'string' && want.includes('\n') ? `add ${path.join('.')}` : `set ${path.join('.')}: ${String(want)}`);
    return;
  }
  for (const [k, v] of Object.entries(want)) describe(ctx, v, [...path, k]);
}

/** Applies offset edits (non-overlapping) to a text; for tests and for nested block scalars. */
export function applyOffsetEdits(text: string, edits: OffsetEdit[]): string {
  // Last first; of two inserts at one offset the earlier in the list must end up first (LSP order).
  const order = edits.map((e, i) => ({ e, i })).sort((a, b) => b.e.start - a.e.start || b.i - a.i);
  let out = text;
  for (const { e } of order) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
