/**
 * The edits that wire a Kubernetes TLS Secret into Milvus, as one WorkspaceEdit:
 * - Milvus Operator resource (zilliztech/milvus-operator): `spec.config` is a milvus.yaml fragment
 *   the operator merges into user.yaml (pkg/controllers/configmaps.go updateConfigMap:
 *   `util.MergeValues(conf, mc.Spec.Conf.Data)`, written as `configmap.Data[UserYaml]`), and
 *   `spec.components.volumes` / `volumeMounts` are the ComponentSpec every component inherits
 *   (apis/milvus.io/v1beta1/components_types.go, MilvusComponents inlines ComponentSpec;
 *   pkg/controllers/components.go MergeComponentSpec). config/samples/external_tls.yaml shows the
 *   shape (and nests `tls:` under `common:`, where Milvus never reads it).
 * - Helm values for zilliztech/milvus-helm: `extraConfigFiles.user.yaml` (a YAML text inside a
 *   block scalar, edited as YAML and written back into the block) and the global `volumes` /
 *   `volumeMounts` (see k8s.ts valuesFragment for where the chart renders them).
 * Lines the edit does not need are left as they are (yaml-merge.ts); a second run changes nothing.
 */
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { isMap, isScalar, parseAllDocuments, parseDocument, Scalar, stringify, type Node, type Pair } from 'yaml';
import type { TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import type { Workspace } from '../workspace';
import { LineIndex, lspLines } from '../text';
import { formatKey } from '../targets/milvus/effective';
import { ConfigWant, SeqWant, mergeContext, mergeRoot, applyOffsetEdits, safeJS, type MergeContext, type WantMap } from './yaml-merge';
import { k8sNames, milvusTlsPaths, secretVolume, secretVolumeMount, restPortConfig, type K8sNames } from './k8s';
import { classifyK8sYaml, type K8sTarget } from './k8s-detect';
import type { CertMode } from './options';

export interface K8sWireRequest {
  /** The Milvus resource manifest or Helm values file to edit (absolute). */
  file: string;
  mode: 1 | 2;
  secretName?: string;
}

export interface K8sWirePlan {
  edit: WorkspaceEdit;
  /** One line per change, for the confirmation a client shows; key material never appears here. */
  summary: string[];
  target?: K8sTarget;
}

const volumes = (n: K8sNames) =>
  new SeqWant(
    [secretVolume(n)],
    (v) => (typeof v.name === 'string' ? v.name : undefined),
    (v) => String(v.name),
  );
const mounts = (n: K8sNames) =>
  new SeqWant(
    [secretVolumeMount(n)],
    // Two mounts at one path are invalid in a Pod: the path identifies a mount.
    (m) => (typeof m.mountPath === 'string' ? m.mountPath.replace(/\/+$/, '') : undefined),
    (m) => `${String(m.name)} at ${String(m.mountPath)}`,
  );

/** The milvus.yaml keys to set, given the configuration there already is (as plain data). */
function configWant(existing: unknown, names: K8sNames, mode: CertMode): WantMap {
  const flat = new Map<string, unknown>();
  const walk = (v: unknown, prefix: string) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, x] of Object.entries(v)) walk(x, prefix ? `${prefix}.${k}` : k);
    } else flat.set(formatKey(prefix), v);
  };
  walk(existing, '');
  const want: WantMap = { tls: milvusTlsPaths(names, mode), common: { security: { tlsMode: mode === 'mutual' ? 2 : 1 } } };
  // Milvus 2.6 refuses TLS while REST shares the gRPC port (milvus-io/milvus listener_manager.go).
  const enabled = flat.get('proxyhttpenabled');
  const port = flat.get('proxyhttpport');
  const grpc = flat.get('proxyport') ?? 19530;
  const off = enabled === false || String(enabled).toLowerCase() === 'false';
  if (!off && (port === undefined || port === null || port === '' || String(port) === String(grpc))) {
    Object.assign(want, restPortConfig());
  }
  return want;
}

/** Pure: the edits for one file's text. */
export function k8sWiringEdits(
  text: string,
  target: Pick<K8sTarget, 'flavor' | 'prefix'>,
  names: K8sNames,
  mode: CertMode,
): { edits: TextEdit[]; changes: string[] } {
  const ctx = mergeContext(text);
  try {
    if (target.flavor === 'operator') operatorEdits(ctx, names, mode);
    else helmEdits(ctx, target.prefix, names, mode);
  } catch {
    // Never the parser's message: it may quote lines of the file, and a manifest can hold a key.
    return { edits: [], changes: ['not edited: the file could not be read as YAML; fix it first'] };
  }
  if (ctx.edits.length) {
    // The edit must leave valid YAML; unusual layouts (`? ` keys, odd indentation) are left to the user.
    const after = applyOffsetEdits(ctx.text, ctx.edits);
    if (parseAllDocuments(after, { logLevel: 'error' }).some((d) => 'errors' in d && d.errors.length)) {
      return {
        edits: [],
        changes: ['not edited: the file is laid out in a way these edits would break; make these changes by hand', ...ctx.changes],
      };
    }
  }
  return { edits: ctx.edits.map((e) => ({ range: ctx.lines.range(e.start, e.end), newText: e.text })), changes: ctx.changes };
}

function operatorEdits(ctx: MergeContext, names: K8sNames, mode: CertMode): void {
  for (const doc of parseAllDocuments(ctx.text, { logLevel: 'error' })) {
    if (!('contents' in doc)) continue;
    const js = (doc.errors.length ? undefined : safeJS(doc)) as Record<string, unknown> | undefined;
    if (!js || js.kind !== 'Milvus' || typeof js.apiVersion !== 'string' || !js.apiVersion.startsWith('milvus.io/')) continue;
    const spec = (js.spec ?? {}) as Record<string, unknown>;
    if (isNested(spec.config, ['common', 'tls'])) {
      ctx.changes.push('note: spec.config.common.tls is not read by Milvus (the tls block belongs at spec.config.tls); remove it');
    }
    const want: WantMap = {
      spec: {
        config: new ConfigWant(configWant(spec.config, names, mode)),
        components: { volumes: volumes(names), volumeMounts: mounts(names) },
      },
    };
    mergeRoot(ctx, doc.contents as Node | null, want, doc.range[1]);
    return;
  }
  const broken = parseAllDocuments(ctx.text, { logLevel: 'error' }).some((d) => 'errors' in d && d.errors.length);
  ctx.changes.push(
    broken ? 'not edited: the file has YAML errors; fix them first' : 'not edited: no Milvus resource (kind: Milvus) in the file',
  );
}

function isNested(v: unknown, keys: string[]): boolean {
  let cur = v;
  for (const k of keys) {
    if (!cur || typeof cur !== 'object') return false;
    const hit = Object.entries(cur).find(([x]) => formatKey(x) === formatKey(k));
    if (!hit) return false;
    cur = hit[1];
  }
  return true;
}

function helmEdits(ctx: MergeContext, prefix: string[], names: K8sNames, mode: CertMode): void {
  const doc = parseDocument(ctx.text, { uniqueKeys: false, logLevel: 'error' });
  if (doc.errors.length) {
    ctx.changes.push('not edited: the file has YAML errors; fix them first');
    return;
  }
  const all = (safeJS(doc) ?? {}) as Record<string, unknown>;
  const values = (prefix.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), all) ??
    {}) as Record<string, unknown>;
  const want: WantMap = { volumes: volumes(names), volumeMounts: mounts(names) };
  if (typeof values.customConfigMap === 'string' && values.customConfigMap) {
    // charts/milvus/values.yaml: "extraConfigFiles will be ignored if this variable is set".
    ctx.changes.push(
      `note: customConfigMap (${values.customConfigMap}) is set, so the chart ignores extraConfigFiles: add the tls block to that ConfigMap's milvus.yaml`,
    );
  } else {
    const ecf = doc.getIn([...prefix, 'extraConfigFiles'], true) as Node | undefined;
    const pair = isMap(ecf) ? (ecf.items as Pair[]).filter((p) => isScalar(p.key) && p.key.value === 'user.yaml').at(-1) : undefined;
    if (pair && isScalar(pair.value) && typeof pair.value.value === 'string') {
      userYamlEdits(ctx, pair, names, mode);
    } else if (pair && pair.value !== null && !(isScalar(pair.value) && pair.value.value === null)) {
      ctx.changes.push(
        'not edited: extraConfigFiles.user.yaml is not a text block; the chart expects `user.yaml: |` with milvus.yaml lines',
      );
    } else {
      const config = configWant({}, names, mode);
      want.extraConfigFiles = { 'user.yaml': stringify(config, { lineWidth: 0 }) };
      for (const line of leaves(config)) ctx.changes.push(`extraConfigFiles.user.yaml: set ${line}`);
    }
  }
  let wrapped: WantMap = want;
  for (const k of [...prefix].reverse()) wrapped = { [k]: wrapped };
  mergeRoot(ctx, doc.contents as Node | null, wrapped, ctx.text.length);
}

function leaves(tree: WantMap, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    v && typeof v === 'object' ? leaves(v as WantMap, `${prefix}${k}.`) : [`${prefix}${k}: ${String(v)}`],
  );
}

/** Edits inside `user.yaml: |` as YAML, mapped back onto the block's lines. */
function userYamlEdits(ctx: MergeContext, pair: Pair, names: K8sNames, mode: CertMode): void {
  const scalar = pair.value as Scalar;
  const inner = String(scalar.value);
  const innerDoc = parseDocument(inner, { uniqueKeys: false, logLevel: 'error' });
  const label = 'extraConfigFiles.user.yaml';
  if (innerDoc.errors.length) {
    ctx.changes.push(`not edited: ${label} is not valid YAML; fix it first`);
    return;
  }
  const ictx = mergeContext(inner);
  const appendAt = lastTextEnd(inner);
  mergeRoot(ictx, innerDoc.contents as Node | null, configWant(safeJS(innerDoc), names, mode), appendAt, { config: true });
  ctx.changes.push(...ictx.changes.map((c) => `${label}: ${c}`));
  if (!ictx.edits.length) return;
  const keyCol = ctx.lines.positionAt((pair.key as Node).range![0]).character;
  const block = scalar.type === Scalar.BLOCK_LITERAL || scalar.type === Scalar.BLOCK_FOLDED;
  const headerLine = ctx.lines.positionAt(scalar.range![0]).line;
  const indent = block ? blockIndent(ctx, headerLine, scalar, keyCol) : undefined;
  if (scalar.type === Scalar.BLOCK_LITERAL && indent !== undefined && inner.trim()) {
    const ilines = new LineIndex(inner);
    const outer = (offset: number) => {
      const p = ilines.positionAt(offset);
      return ctx.lines.offsetAt({ line: headerLine + 1 + p.line, character: p.character + indent });
    };
    for (const e of ictx.edits) {
      ctx.edits.push({ start: outer(e.start), end: outer(e.end), text: e.text.replace(/\r?\n/g, ctx.nl + ' '.repeat(indent)) });
    }
    return;
  }
  // Empty, quoted or folded: write the whole text back as a literal block.
  const next = applyOffsetEdits(inner, ictx.edits).replace(/\n+$/, '');
  const col = keyCol + 2;
  const body = next
    .split('\n')
    .map((l) => (l ? ' '.repeat(col) + l : ''))
    .join(ctx.nl);
  let end = scalar.range![1];
  while (end > scalar.range![0] && /\s/.test(ctx.text[end - 1])) end -= 1;
  ctx.edits.push({ start: scalar.range![0], end, text: '|' + ctx.nl + body });
}

/** End of the last line with text: an append goes there, not after the blank lines a `|+` keeps. */
function lastTextEnd(text: string): number {
  const m = /\S[^\n]*(\n\s*)*$/.exec(text);
  if (!m) return 0;
  const line = m[0].indexOf('\n');
  return line < 0 ? text.length : m.index + line;
}

/** The indentation of a block scalar's lines: its indicator (`|2`) or its first line with text. */
function blockIndent(ctx: MergeContext, headerLine: number, scalar: Scalar, keyCol: number): number | undefined {
  const header = ctx.text.slice(scalar.range![0], ctx.lines.lineEnd(headerLine));
  const digit = /^[|>][-+]?([1-9])|^[|>]([1-9])/.exec(header);
  if (digit) return keyCol + Number(digit[1] ?? digit[2]);
  for (let l = headerLine + 1; l < ctx.lines.lineCount; l++) {
    const t = ctx.lines.lineText(l);
    if (t.trim()) return t.length - t.trimStart().length;
  }
  return undefined;
}

/** Reads the file, finds what it is, and plans the edit. */
export function planK8sWiring(req: K8sWireRequest, ws: Workspace): K8sWirePlan {
  const base = path.basename(req.file);
  const r = ws.read(req.file);
  if (!r.ok) return { edit: { documentChanges: [] }, summary: [`${base}: not edited: ${r.message}`] };
  const text = lspLines(Buffer.from(r.bytes).toString('utf8'));
  const dir = path.dirname(req.file);
  const chartName = ws.list(dir).find((n) => n === 'Chart.yaml' || n === 'Chart.yml');
  const chart = chartName ? ws.read(path.join(dir, chartName)) : undefined;
  const target = classifyK8sYaml(req.file, text, chart?.ok ? Buffer.from(chart.bytes).toString('utf8') : undefined);
  if (!target) {
    return {
      edit: { documentChanges: [] },
      summary: [`${base}: not edited: neither a Milvus resource (kind: Milvus) nor Milvus Helm values`],
    };
  }
  const names = k8sNames({ secretName: req.secretName });
  const { edits, changes } = k8sWiringEdits(text, target, names, req.mode === 2 ? 'mutual' : 'one-way');
  const uri = URI.file(req.file).toString();
  return {
    edit: { documentChanges: edits.length ? [{ textDocument: { uri, version: null }, edits }] : [] },
    summary: changes.map((c) => `${base}: ${c}`),
    target,
  };
}
