/**
 * Secrets as a container sees them once mounted: one file per key, holding the `stringData`
 * text or the base64-decoded `data` (k8s.io/api core/v1 types.go Secret.StringData: "All keys and
 * values are merged into the data field on write, overwriting any existing values"). A Secret a
 * manifest names is looked up by name and namespace across the workspace's manifests, read through
 * the Workspace (trust, folders, open documents win).
 */
import * as path from 'node:path';
import { isMap, isScalar, type Node as YamlNode, type Scalar } from 'yaml';
import type { Range } from 'vscode-languageserver-types';
import type { Workspace } from '../../workspace';
import { parseManifests, get, str, type K8sObject, type ManifestFile, rangeOf } from './manifest';

export interface SecretEntry {
  key: string;
  from: 'stringData' | 'data';
  keyRange: Range;
  valueRange: Range;
  scalar?: Scalar;
  /** What the mounted file holds; undefined when `data` is not base64. */
  content?: string;
  problem?: 'not-base64' | 'double-base64' | 'not-a-string';
  /** A literal block scalar: value line i is document line firstLine + i, shifted by indent. */
  lineMap?: { firstLine: number; indent: number };
}

export interface SecretModel {
  name: string;
  namespace?: string;
  type?: string;
  /** Absolute path of the manifest holding it. */
  file: string;
  nameRange: Range;
  typeRange?: Range;
  entries: SecretEntry[];
  /** Where a key is written; stringData overrides data for the same key. */
  byKey: Map<string, SecretEntry>;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Base64 as the API server decodes Secret data: kubectl sends JSON, encoding/json decodes []byte with
 * base64.StdEncoding, which skips \r and \n (a `|` block wrapped at 76 columns is fine) but refuses
 * any other character, a space included ("illegal base64 data at input byte N"): a base64 value
 * written as a multi-line plain scalar is folded with spaces and rejected.
 */
export function decodeBase64(v: string): string | undefined {
  const t = v.replace(/[\r\n]+/g, '');
  if (t.length % 4 !== 0 || !BASE64.test(t)) return undefined;
  return Buffer.from(t, 'base64').toString('latin1');
}

export function blockLineMap(f: ManifestFile, s: Scalar): SecretEntry['lineMap'] {
  if (s.type !== 'BLOCK_LITERAL' || !s.range) return undefined;
  const header = f.lines.positionAt(s.range[0]).line;
  for (let l = header + 1; l < f.lines.lineCount; l++) {
    const t = f.lines.lineText(l);
    if (t.trim() === '') continue;
    return { firstLine: header + 1, indent: t.length - t.trimStart().length };
  }
  return undefined;
}

export function secretOf(o: K8sObject, f: ManifestFile, file: string): SecretModel {
  const entries: SecretEntry[] = [];
  for (const from of ['data', 'stringData'] as const) {
    const m = get(o.root, from);
    if (!isMap(m)) continue;
    for (const p of m.items) {
      if (!isScalar(p.key)) continue;
      const key = String(p.key.value);
      const v = p.value as YamlNode | null;
      const e: SecretEntry = {
        key,
        from,
        keyRange: rangeOf(f, p.key),
        valueRange: rangeOf(f, v, rangeOf(f, p.key)),
      };
      if (isScalar(v) && (typeof v.value === 'string' || typeof v.value === 'number')) {
        e.scalar = v;
        const text = String(v.value);
        if (from === 'stringData') {
          e.content = text;
          e.lineMap = blockLineMap(f, v);
        } else {
          const once = decodeBase64(text);
          if (once === undefined) e.problem = 'not-base64';
          else {
            e.content = once;
            if (!once.includes('-----BEGIN ')) {
              const twice = decodeBase64(once);
              if (twice?.includes('-----BEGIN ')) e.problem = 'double-base64';
            }
          }
        }
      } else e.problem = 'not-a-string';
      entries.push(e);
    }
  }
  const byKey = new Map<string, SecretEntry>();
  for (const e of entries) if (e.from === 'data') byKey.set(e.key, e);
  for (const e of entries) if (e.from === 'stringData') byKey.set(e.key, e);
  const nameNode = get(o.root, 'metadata', 'name');
  const typeNode = get(o.root, 'type');
  return {
    name: o.name,
    namespace: o.namespace,
    type: str(typeNode),
    file,
    nameRange: rangeOf(f, nameNode),
    typeRange: typeNode ? rangeOf(f, typeNode) : undefined,
    entries,
    byKey,
  };
}

export function secretsIn(f: ManifestFile, file: string): SecretModel[] {
  return f.objects.filter((o) => o.kind === 'Secret' && o.apiVersion === 'v1').map((o) => secretOf(o, f, file));
}

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'out', 'vendor']);
const MAX_FILES = 400;
const MAX_DEPTH = 4;

/** YAML files under the workspace folders that hold this document (or its own folder without folders). */
function manifestFiles(fromFile: string, ws: Workspace): string[] {
  const roots = ws.roots.length ? ws.roots.filter((r) => ws.isInsideRoots(fromFile) && isUnder(fromFile, r)) : [];
  const starts = roots.length ? roots : [path.dirname(fromFile)];
  const out: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (out.length >= MAX_FILES) return;
    for (const n of ws.list(dir)) {
      if (out.length >= MAX_FILES) return;
      const p = path.join(dir, n);
      if (/\.ya?ml$/i.test(n)) out.push(p);
      else if (depth < MAX_DEPTH && !n.startsWith('.') && !SKIP_DIRS.has(n) && !n.includes('.') && ws.kind(p) === 'directory')
        walk(p, depth + 1);
    }
  };
  for (const s of starts) walk(s, 0);
  // Nearest first: overlays (dev/, prod/) often define Secrets of one name each.
  const here = path.dirname(fromFile);
  const distance = (f: string) => path.relative(here, path.dirname(f)).split(path.sep).filter(Boolean).length;
  return out
    .map((f) => ({ f, d: distance(f) }))
    .sort((a, b) => a.d - b.d)
    .map((x) => x.f);
}

function isUnder(file: string, root: string): boolean {
  const rel = path.relative(path.resolve(root), path.resolve(file));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The Secrets of one file, per file version. */
export function secretsOfFile(file: string, ws: Workspace): SecretModel[] {
  return ws.derive(file, 'k8s-secrets', (r) => {
    if (!r.ok) return [];
    const text = Buffer.from(r.bytes).toString('utf8');
    if (!/^kind:\s*["']?Secret\b/m.test(text)) return [];
    return secretsIn(parseManifests(text), file);
  });
}

export type SecretLookup = { secret: SecretModel } | { secret?: undefined; untrusted: boolean };

/**
 * The Secret `name` in `namespace` (undefined: whichever namespace the manifest is applied to)
 * among `local` (the document's own) and the workspace's manifests.
 */
export function findSecret(
  name: string,
  namespace: string | undefined,
  fromFile: string,
  local: SecretModel[],
  ws: Workspace,
): SecretLookup {
  const match = (s: SecretModel) => s.name === name && (namespace === undefined || s.namespace === undefined || s.namespace === namespace);
  const here = local.find(match);
  if (here) return { secret: here };
  if (!ws.settings.trusted) return { untrusted: true };
  const self = path.resolve(fromFile);
  for (const f of manifestFiles(fromFile, ws)) {
    if (path.resolve(f) === self) continue;
    const hit = secretsOfFile(f, ws).find(match);
    if (hit) return { secret: hit };
  }
  return { untrusted: false };
}
