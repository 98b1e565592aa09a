/**
 * Finds the TLS parts of a milvus.yaml without parsing the whole file: a line
 * scan locates the `tls:`, `internaltls:` and `common:` → `security:` blocks,
 * and only those slices go through the `yaml` parser. A 1,500-line config then
 * costs a few hundred microseconds, and nothing outside these blocks can ever
 * produce a finding.
 */
import { parseDocument, isAlias, isMap, isScalar, isPair, visit, type Document, type Node as YamlNode } from 'yaml';
import type { Range } from 'vscode-languageserver-types';
import { LineIndex } from '../../text';

export interface Entry {
  /** Where the key sits: 'tls', 'internaltls', 'common.security', 'common', or '' for top level. */
  section: string;
  key: string;
  keyRange: Range;
  /** The parsed scalar (string, number, boolean, null) or undefined for a map/list. */
  value: unknown;
  /** Source text of the value, without comment; '' when empty. */
  valueText: string;
  /** Range of the value; the end of the key when the value is empty. */
  valueRange: Range;
  /** True for a quoted scalar: `tlsMode: "2"` is a string to Go's viper, which still converts it. */
  quoted: boolean;
  /** Value is a nested map or sequence rather than a scalar. */
  nested: boolean;
}

export interface Section {
  name: string;
  keyRange: Range;
  /** Line of the key and the last line of its block. */
  firstLine: number;
  lastLine: number;
  /** Indentation its direct children use, when it has any. */
  childIndent?: number;
}

export interface MilvusTlsModel {
  text: string;
  lines: LineIndex;
  entries: Entry[];
  sections: Section[];
  /** Top-level keys in order, to tell a Milvus config from any YAML. */
  topLevel: { key: string; line: number }[];
  syntaxErrors: { range: Range; message: string }[];
  /** Line of a `---` that starts a second YAML document: Milvus reads only the first one. */
  laterDocumentLine?: number;
  /** The whole file parsed, only when an alias needs an anchor from another block. */
  fullDoc?: Document;
}

const KEY_LINE = /^( *)([A-Za-z_][\w.-]*|"[^"]*"|'[^']*')\s*:(?:\s|$)/;

function keyOf(line: string): { indent: number; key: string } | undefined {
  const m = KEY_LINE.exec(line);
  if (!m) return undefined;
  let key = m[2];
  if (key.startsWith('"') || key.startsWith("'")) key = key.slice(1, -1);
  return { indent: m[1].length, key };
}

function isContent(line: string): boolean {
  const t = line.trimStart();
  return t.length > 0 && !t.startsWith('#');
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** Last line of the block whose key is on `start` with indentation `indent`. */
function blockEnd(lines: LineIndex, start: number, indent: number): number {
  let last = start;
  for (let i = start + 1; i < lines.lineCount; i++) {
    const t = lines.lineText(i);
    if (!isContent(t)) continue;
    if (t.startsWith('---') || t.startsWith('...')) break;
    if (indentOf(t) <= indent) break;
    last = i;
  }
  return last;
}

function childIndent(lines: LineIndex, start: number, end: number): number | undefined {
  for (let i = start + 1; i <= end; i++) {
    const t = lines.lineText(i);
    if (isContent(t)) return indentOf(t);
  }
  return undefined;
}

/**
 * Parses lines [first, last] as YAML and records their pairs as entries of
 * `section`. With `unwrap`, the slice is `name:` + its block and the entries are
 * the pairs of that block; otherwise the slice's own pairs are the entries.
 */
function parseBlock(model: MilvusTlsModel, first: number, last: number, section: string, unwrap: boolean): void {
  const { lines } = model;
  const indent = indentOf(lines.lineText(first));
  const startOffset = lines.starts[first];
  const endOffset = last + 1 < lines.lineCount ? lines.starts[last + 1] : lines.text.length;
  // Dedent so a nested block parses as a document of its own; every line of the
  // slice is indented at least this much, so columns shift uniformly back.
  // How many leading characters each line lost: `indent`, or fewer on a short or less indented line.
  const removed: number[] = [];
  const body = lines.text
    .slice(startOffset, endOffset)
    .split('\n')
    .map((l) => {
      const kept = l.slice(0, indent).trim() === '' ? l.slice(indent) : l.trimStart();
      removed.push(l.length - kept.length);
      return kept;
    })
    .join('\n');
  const local = new LineIndex(body);
  const toRange = (a: number, b: number): Range => {
    const s = local.positionAt(a);
    const e = local.positionAt(b);
    return {
      start: { line: s.line + first, character: s.character + (removed[s.line] ?? 0) },
      end: { line: e.line + first, character: e.character + (removed[e.line] ?? 0) },
    };
  };
  const doc = parseDocument(body, { uniqueKeys: false, prettyErrors: false });
  for (const err of doc.errors) {
    const [a, b] = err.pos;
    model.syntaxErrors.push({ range: toRange(a, Math.max(b, a + 1)), message: err.message.split('\n')[0] });
  }
  const root = doc.contents;
  if (!isMap(root)) return;
  const maps = unwrap ? root.items.map((p) => (isPair(p) && isMap(p.value) ? p.value : undefined)) : [root];
  for (const map of maps) {
    if (!map) continue;
    for (const pair of map.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const k = pair.key as YamlNode & { value: unknown; range?: [number, number, number] };
      const kr = k.range ?? [0, 0, 0];
      const v = pair.value as (YamlNode & { range?: [number, number, number]; value?: unknown; type?: string }) | null;
      const keyRange = toRange(kr[0], kr[1]);
      const e: Entry = {
        section,
        key: String(k.value),
        keyRange,
        value: null,
        valueText: '',
        valueRange: { start: keyRange.end, end: keyRange.end },
        quoted: false,
        nested: false,
      };
      if (v && v.range) {
        e.valueRange = toRange(v.range[0], v.range[1]);
        e.valueText = body.slice(v.range[0], v.range[1]);
        // `key: *name` takes the anchored value, which may sit in another block of the file.
        const target = isAlias(v) ? resolveAlias(model, doc, v, e.valueRange.start.line) : v;
        if (isAlias(v) && !target) {
          model.syntaxErrors.push({ range: e.valueRange, message: `unknown anchor "${v.source}" referenced` });
          continue;
        }
        const n = target as typeof v;
        if (isScalar(n)) {
          e.value = n.value;
          e.quoted = n.type === 'QUOTE_DOUBLE' || n.type === 'QUOTE_SINGLE';
        } else {
          e.value = undefined;
          e.nested = true;
        }
      }
      model.entries.push(e);
    }
  }
}

/** The node an alias names: in its own block, else the last anchor of that name on an earlier line of the file. */
function resolveAlias(model: MilvusTlsModel, block: Document, alias: YamlNode, line: number): YamlNode | undefined {
  const name = (alias as YamlNode & { source: string }).source;
  const local = lastAnchor(block, name, (alias as YamlNode & { range: [number, number, number] }).range[0]);
  if (local) return local;
  model.fullDoc ??= parseDocument(model.text, { uniqueKeys: false, prettyErrors: false });
  return lastAnchor(model.fullDoc, name, model.lines.starts[line] ?? model.text.length);
}

/** Anchors of a document by name, in document order; built once per document (a file may hold thousands of aliases). */
const anchorIndex = new WeakMap<Document, Map<string, { start: number; node: YamlNode }[]>>();

function lastAnchor(doc: Document, name: string, before: number): YamlNode | undefined {
  let index = anchorIndex.get(doc);
  if (!index) {
    const built = new Map<string, { start: number; node: YamlNode }[]>();
    visit(doc, {
      Node(_, node) {
        const n = node as YamlNode & { anchor?: string; range?: [number, number, number] };
        if (!n.anchor || !n.range) return;
        const list = built.get(n.anchor) ?? [];
        list.push({ start: n.range[0], node: n });
        built.set(n.anchor, list);
      },
    });
    anchorIndex.set(doc, built);
    index = built;
  }
  let found: YamlNode | undefined;
  for (const a of index.get(name) ?? []) if (a.start < before) found = a.node;
  return found;
}

/**
 * Scans a `common:` block for `security:` and for TLS-looking keys placed
 * directly under `common`. Only the needed slices are parsed.
 */
function scanCommon(model: MilvusTlsModel, first: number, last: number): void {
  const { lines } = model;
  const ci = childIndent(lines, first, last);
  if (ci === undefined) return;
  for (let i = first + 1; i <= last; i++) {
    const t = lines.lineText(i);
    if (!isContent(t) || indentOf(t) !== ci) continue;
    const k = keyOf(t);
    if (!k) continue;
    if (k.key === 'security') {
      const end = blockEnd(lines, i, ci);
      model.sections.push({
        name: 'common.security',
        keyRange: lineKeyRange(lines, i, k),
        firstLine: i,
        lastLine: end,
        childIndent: childIndent(lines, i, end),
      });
      scanSecurity(model, i, end);
    } else if (/tls|ssl|pem|sni/i.test(k.key)) {
      parseLines(model, [i], 'common', ci);
    }
  }
}

/** In common.security only tlsMode / internaltlsEnabled matter; the RBAC lists beside them are skipped unparsed. */
function scanSecurity(model: MilvusTlsModel, first: number, last: number): void {
  const { lines } = model;
  const ci = childIndent(lines, first, last);
  if (ci === undefined) return;
  const wanted: number[] = [];
  for (let i = first + 1; i <= last; i++) {
    const t = lines.lineText(i);
    if (!isContent(t) || indentOf(t) !== ci) continue;
    const k = keyOf(t);
    if (k && /tls|ssl|pem|sni|cert/i.test(k.key)) wanted.push(i);
  }
  parseLines(model, wanted, 'common.security', ci);
}

/** Parses single `key: value` lines (with any continuation lines) as entries of `section`. */
function parseLines(model: MilvusTlsModel, starts: number[], section: string, indent: number): void {
  for (const i of starts) parseBlock(model, i, blockEnd(model.lines, i, indent), section, false);
}

function lineKeyRange(lines: LineIndex, line: number, k: { indent: number; key: string }): Range {
  return { start: { line, character: k.indent }, end: { line, character: k.indent + k.key.length } };
}

/** Validation, hover and links on one keystroke all ask for the same text: keep the last model. */
let last: MilvusTlsModel | undefined;

export function extractTls(text: string): MilvusTlsModel {
  if (last && last.text === text) return last;
  last = extract(text);
  return last;
}

function extract(text: string): MilvusTlsModel {
  const lines = new LineIndex(text);
  const model: MilvusTlsModel = { text, lines, entries: [], sections: [], topLevel: [], syntaxErrors: [] };
  for (let i = 0; i < lines.lineCount; i++) {
    const t = lines.lineText(i);
    if (t.length === 0 || t.charCodeAt(0) === 32 || t.charCodeAt(0) === 9 || t.startsWith('#')) continue;
    if (/^---(\s|$)/.test(t) && model.topLevel.length > 0) {
      model.laterDocumentLine = i;
      break;
    }
    const k = keyOf(t.charCodeAt(0) === 0xfeff ? t.slice(1) : t);
    if (!k) continue;
    model.topLevel.push({ key: k.key, line: i });
    if (k.key === 'tls' || k.key === 'internaltls') {
      const end = blockEnd(lines, i, 0);
      model.sections.push({
        name: k.key,
        keyRange: lineKeyRange(lines, i, k),
        firstLine: i,
        lastLine: end,
        childIndent: childIndent(lines, i, end),
      });
      parseBlock(model, i, end, k.key, true);
    } else if (k.key === 'common') {
      const end = blockEnd(lines, i, 0);
      model.sections.push({
        name: 'common',
        keyRange: lineKeyRange(lines, i, k),
        firstLine: i,
        lastLine: end,
        childIndent: childIndent(lines, i, end),
      });
      scanCommon(model, i, end);
    } else if (k.key === 'security' || /^(tlsMode|internaltlsEnabled|serverPemPath|serverKeyPath|caPemPath|sni)$/.test(k.key)) {
      // Misplaced at top level; parsed so the validator can say where it belongs.
      const end = blockEnd(lines, i, 0);
      if (k.key === 'security') {
        model.sections.push({
          name: 'security',
          keyRange: lineKeyRange(lines, i, k),
          firstLine: i,
          lastLine: end,
          childIndent: childIndent(lines, i, end),
        });
        parseBlock(model, i, end, 'security', true);
      } else parseBlock(model, i, end, '', false);
    }
  }
  return model;
}

/** Top-level keys a real milvus.yaml has; two or more besides tls/common make a YAML file "Milvus-shaped". */
const MILVUS_TOP_KEYS = new Set([
  'etcd',
  'metastore',
  'tikv',
  'localStorage',
  'minio',
  'mq',
  'pulsar',
  'kafka',
  'rocksmq',
  'woodpecker',
  'streaming',
  'rootCoord',
  'proxy',
  'queryCoord',
  'queryNode',
  'indexCoord',
  'indexNode',
  'dataCoord',
  'dataNode',
  'msgChannel',
  'log',
  'grpc',
  'quotaAndLimits',
  'trace',
  'gpu',
  'natsmq',
  'function',
  'knowhere',
  'internaltls',
  'tls',
  'common',
]);

export function looksLikeMilvusConfig(model: MilvusTlsModel): boolean {
  const keys = new Set(model.topLevel.map((t) => t.key));
  const hasTls = keys.has('tls') || model.entries.some((e) => e.section === 'common.security' && e.key === 'tlsMode');
  if (!hasTls) return false;
  let siblings = 0;
  for (const k of keys) if (MILVUS_TOP_KEYS.has(k) && k !== 'tls') siblings++;
  return siblings >= 1;
}

export function entry(model: MilvusTlsModel, section: string, key: string): Entry | undefined {
  // Last one wins, as with viper's YAML loading of duplicate keys.
  for (let i = model.entries.length - 1; i >= 0; i--) {
    const e = model.entries[i];
    if (e.section === section && e.key === key) return e;
  }
  return undefined;
}

/** The model of a text, or the model itself when the caller already parsed it (the facade parses once per version). */
export function modelOf(src: string | MilvusTlsModel): MilvusTlsModel {
  return typeof src === 'string' ? extractTls(src) : src;
}
