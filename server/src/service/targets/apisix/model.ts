/**
 * Where APISIX / API7 / ADC SSL objects live, parsed once per document version
 * with exact ranges: standalone apisix.yaml (`ssls:`, `#END`), ADC declarative
 * files (`ssls[].certificates`), JSON bodies (.json) and literal
 * `curl … /apisix/admin/ssls … -d '{…}'` bodies in shell scripts. JSON is YAML
 * 1.2, so one parser serves all; a body cut from a script keeps its offset.
 */
import * as path from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Document, type Node, type YAMLMap } from 'yaml';
import type { Range } from 'vscode-languageserver-types';
import { LineIndex } from '../../text';

export type Flavour = 'apisix' | 'adc';
export type FileKind = 'standalone' | 'yaml' | 'json' | 'shell' | 'config';

export interface SslObject {
  map: YAMLMap;
  /** "ssls[0]", "body of curl … /apisix/admin/ssls/1". */
  where: string;
  flavour: Flavour;
  /** Offset of the parsed text in the document. */
  offset: number;
}

export interface ApisixModel {
  kind: FileKind;
  text: string;
  lines: LineIndex;
  ssls: SslObject[];
  /** `ssl:` at the top of a standalone file (APISIX < 3.0); 3.x reads only `ssls:`. */
  oldSslKey?: Range;
  /** A standalone file that does not end with #END: APISIX refuses to load it. */
  missingEnd?: boolean;
  errors: { message: string; range: Range }[];
}

export const STANDALONE_NAME = /^apisix\.ya?ml$/i;
/** The body flag of a curl call: -d '{…}' (also --data, --data-raw), a literal in single quotes. */
const BODY = /(?:^|\s)(?:-d|--data(?:-raw|-binary)?)\s+'(\{[^']*\})'/g;

/** Literal JSON bodies of curl calls to /apisix/admin/ssls (the command runs over `\`-continued lines). */
function curlBodies(text: string, lines: LineIndex): { text: string; offset: number; where: string }[] {
  const out: { text: string; offset: number; where: string }[] = [];
  let from = 0;
  for (let at = text.indexOf('/apisix/admin/ssl', from); at !== -1 && out.length < 100; at = text.indexOf('/apisix/admin/ssl', from)) {
    // The command: back to the line where curl starts, on to the first line that does not end with a backslash.
    let start = text.lastIndexOf('\n', at) + 1;
    for (let i = 0; i < 50 && start > 1 && text[start - 2] === '\\'; i++) start = text.lastIndexOf('\n', start - 2) + 1;
    let end = at;
    for (let i = 0; i < 200; i++) {
      const nl = text.indexOf('\n', end);
      if (nl === -1) {
        end = text.length;
        break;
      }
      // A quoted body may span lines: stop only outside single quotes.
      const quotes = (text.slice(start, nl).match(/'/g) ?? []).length;
      end = nl + 1;
      if (text[nl - 1] !== '\\' && quotes % 2 === 0) break;
    }
    from = end;
    const cmd = text.slice(start, end);
    if (!/\bcurl\b/.test(cmd)) continue;
    BODY.lastIndex = 0;
    const m = BODY.exec(cmd);
    if (!m) continue;
    out.push({
      text: m[1],
      offset: start + m.index + m[0].indexOf(m[1]),
      where: `the JSON body of the curl call on line ${lines.positionAt(start).line + 1}`,
    });
  }
  return out;
}

export function fileKind(file: string): FileKind | undefined {
  const base = path.basename(file);
  if (STANDALONE_NAME.test(base)) return 'standalone';
  if (/\.ya?ml$/i.test(base)) return 'yaml';
  if (/\.json$/i.test(base)) return 'json';
  if (/\.(sh|bash)$/i.test(base)) return 'shell';
  return undefined;
}

/** Cheap: a name or a line scan. */
export function looksLikeApisix(kind: FileKind, text: string): boolean {
  if (kind === 'standalone') return true;
  if (kind === 'yaml') return /^ssls?:[ \t]*(#.*)?$/m.test(text) && /^[ \t-]*(cert|certificate|snis?):/m.test(text);
  if (kind === 'json') return /"(cert|certificate)"\s*:/.test(text) && /"snis?"\s*:/.test(text);
  return text.includes('/apisix/admin/ssl');
}

function key(n: unknown): string | undefined {
  return isScalar(n) ? String(n.value) : undefined;
}

export function get(map: YAMLMap, name: string): Node | undefined {
  for (const p of map.items) if (key(p.key) === name) return (p.value ?? undefined) as Node | undefined;
  return undefined;
}

function collect(doc: Document, offset: number, where: string, out: SslObject[], kind: FileKind): { oldSsl?: Node } {
  const root = doc.contents;
  const push = (n: unknown, w: string) => {
    if (isMap(n)) out.push({ map: n, where: w, flavour: get(n, 'certificates') ? 'adc' : 'apisix', offset });
  };
  if (isMap(root)) {
    const ssls = get(root, 'ssls');
    let oldSsl: Node | undefined;
    if (isSeq(ssls)) ssls.items.forEach((n, i) => push(n, `ssls[${i}]`));
    const old = root.items.find((p) => key(p.key) === 'ssl');
    if (old && kind === 'standalone' && isSeq(old.value)) oldSsl = old.key as Node;
    // A body of the Admin API: the object itself, or {"value": {...}} as the API answers.
    if (!ssls && (get(root, 'cert') || get(root, 'certs') || get(root, 'snis') || get(root, 'sni'))) push(root, where);
    const value = get(root, 'value');
    if (!ssls && isMap(value) && (get(value, 'cert') || get(value, 'snis'))) push(value, `${where}.value`);
    return { oldSsl };
  }
  if (isSeq(root) && kind === 'json') root.items.forEach((n, i) => push(n, `${where}[${i}]`));
  return {};
}

export function parseApisix(text: string, kind: FileKind): ApisixModel {
  const lines = new LineIndex(text);
  const model: ApisixModel = { kind, text, lines, ssls: [], errors: [] };
  const parts: { text: string; offset: number; where: string }[] = [];
  if (kind === 'shell') parts.push(...curlBodies(text, lines));
  else parts.push({ text, offset: 0, where: kind === 'json' ? 'the JSON body' : 'the document' });
  for (const p of parts) {
    const doc = parseDocument(p.text, { prettyErrors: false, uniqueKeys: true, strict: false });
    // The first error is the one to fix (the rest usually follow from it).
    for (const e of doc.errors.slice(0, 1))
      model.errors.push({
        message: /call stack/i.test(e.message) ? 'nested too deeply' : e.message.split('\n')[0],
        range: lines.range(p.offset + e.pos[0], p.offset + e.pos[1]),
      });
    if (doc.errors.length) continue;
    const { oldSsl } = collect(doc, p.offset, p.where, model.ssls, kind);
    if (oldSsl?.range) model.oldSslKey = lines.range(oldSsl.range[0], oldSsl.range[1]);
  }
  if (kind === 'standalone') model.missingEnd = !/#END\s*$/.test(text.slice(-10));
  return model;
}

/** The document range of a node of an SSL object. */
export function rangeOf(model: ApisixModel, o: { offset: number }, n: Node | undefined | null): Range {
  const r = n?.range;
  if (!r) return model.lines.range(o.offset, o.offset);
  return model.lines.range(o.offset + r[0], o.offset + r[1]);
}

/** The key node of a field (for findings about the key itself). */
export function keyNode(map: YAMLMap, name: string): Node | undefined {
  return map.items.find((p) => key(p.key) === name)?.key as Node | undefined;
}
