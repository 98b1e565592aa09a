/**
 * Kubernetes manifests as the API server reads them: a file is a stream of YAML documents
 * (`---`), each an object with apiVersion, kind and metadata.{name,namespace}. Parsed once with
 * the `yaml` package so every node keeps its offsets; positions come from one LineIndex.
 */
import { parseAllDocuments, isMap, isScalar, isSeq, type Document, type Node as YamlNode, type YAMLMap, type Pair } from 'yaml';
import type { Range } from 'vscode-languageserver-types';
import { LineIndex } from '../../text';

export interface K8sObject {
  doc: Document.Parsed;
  root: YAMLMap;
  apiVersion: string;
  kind: string;
  name: string;
  /** metadata.namespace; undefined = the namespace it is applied to (kubectl's current one). */
  namespace?: string;
}

export interface ManifestFile {
  text: string;
  lines: LineIndex;
  objects: K8sObject[];
  /** Every document, objects or not (a Helm values file is one document without kind). */
  docs: Document.Parsed[];
  errors: { range: Range; message: string }[];
}

const cache = new Map<string, ManifestFile>();

export function parseManifests(text: string): ManifestFile {
  const hit = cache.get(text);
  if (hit) return hit;
  const lines = new LineIndex(text);
  const out: ManifestFile = { text, lines, objects: [], docs: [], errors: [] };
  let docs: Document.Parsed[] = [];
  try {
    const parsed = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false });
    docs = Array.isArray(parsed) ? parsed : [];
  } catch (e) {
    out.errors.push({ range: lines.range(0, 0), message: e instanceof Error ? e.message : String(e) });
  }
  for (const doc of docs) {
    out.docs.push(doc);
    // The first error of a document: the ones after it are usually its echoes.
    for (const e of doc.errors.slice(0, 1)) out.errors.push({ range: lines.range(e.pos[0], e.pos[1]), message: e.message.split('\n')[0] });
    const root = doc.contents;
    if (!isMap(root)) continue;
    const kind = str(get(root, 'kind'));
    const apiVersion = str(get(root, 'apiVersion'));
    if (!kind || !apiVersion) continue;
    const meta = get(root, 'metadata');
    out.objects.push({
      doc,
      root,
      kind,
      apiVersion,
      name: str(get(meta, 'name')) ?? '',
      namespace: str(get(meta, 'namespace')),
    });
  }
  if (cache.size > 32) cache.clear();
  cache.set(text, out);
  return out;
}

/** A child of a map by key (a dotted path walks maps). */
export function get(node: unknown, ...keys: string[]): YamlNode | undefined {
  let cur: unknown = node;
  for (const k of keys) {
    if (!isMap(cur)) return undefined;
    cur = cur.get(k, true);
  }
  return (cur ?? undefined) as YamlNode | undefined;
}

export function pairOf(map: unknown, key: string): Pair<YamlNode, YamlNode> | undefined {
  if (!isMap(map)) return undefined;
  return map.items.find((p) => isScalar(p.key) && String(p.key.value) === key) as Pair<YamlNode, YamlNode> | undefined;
}

export function str(n: unknown): string | undefined {
  return isScalar(n) && (typeof n.value === 'string' || typeof n.value === 'number') ? String(n.value) : undefined;
}

export function bool(n: unknown): boolean | undefined {
  if (!isScalar(n)) return undefined;
  if (typeof n.value === 'boolean') return n.value;
  if (typeof n.value === 'string' && /^(true|false)$/i.test(n.value)) return n.value.toLowerCase() === 'true';
  return undefined;
}

export function items(n: unknown): YamlNode[] {
  return isSeq(n) ? (n.items as YamlNode[]) : [];
}

/** The range of a node; a zero-width range at `fallback` when the node has none. */
export function rangeOf(f: ManifestFile, n: unknown, fallback?: Range): Range {
  const r = (n as { range?: [number, number, number] } | undefined)?.range;
  if (!r) return fallback ?? f.lines.range(0, 0);
  return f.lines.range(r[0], valueEnd(f.text, r[0], r[1]));
}

/** A block scalar's range ends after its trailing newlines: keep the finding on the text. */
function valueEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && /\s/.test(text[e - 1])) e--;
  return e;
}
