/**
 * Is the folder a Kubernetes deployment of Milvus, and which file would the TLS wiring edit?
 * - Operator: a manifest with `apiVersion: milvus.io/v1beta1` (any milvus.io version) and
 *   `kind: Milvus` (zilliztech/milvus-operator apis/milvus.io/v1beta1/milvus_types.go).
 * - Helm: a `values*.yaml` beside the Milvus chart's Chart.yaml (`name: milvus`, as in
 *   zilliztech/milvus-helm charts/milvus/Chart.yaml), beside an umbrella chart that depends on it
 *   (its values then sit under the dependency's name or alias), or without a Chart.yaml when it
 *   uses the chart's own top-level keys.
 */
import * as path from 'node:path';
import { parseAllDocuments, parseDocument, isMap } from 'yaml';
import type { Workspace } from '../workspace';
import { SECRET_MANIFEST, VALUES_FRAGMENT } from './k8s';

export type K8sFlavor = 'operator' | 'helm';

export interface K8sTarget {
  flavor: K8sFlavor;
  file: string;
  /** Operator: metadata.name of the Milvus resource (its Service is `<name>-milvus`). */
  name?: string;
  namespace?: string;
  /** Helm umbrella charts: the key the Milvus chart's values sit under. */
  prefix: string[];
  /**
   * The Service clients dial, when the file tells: `<name>-milvus` for a Milvus resource
   * (milvus-operator pkg/controllers/components.go GetServiceInstanceName), `fullnameOverride` for
   * Helm values (milvus-helm templates/service.yaml names it `milvus.fullname`, _helpers.tpl).
   */
  service?: string;
}

/** Top-level keys of charts/milvus/values.yaml that other charts rarely have. */
const CHART_KEYS = [
  'extraConfigFiles',
  'cluster',
  'standalone',
  'proxy',
  'queryNode',
  'dataNode',
  'mixCoordinator',
  'streamingNode',
  'attu',
];
const VALUES_NAME = /(^|[-_.])values([-_.][^\\/]*)?\.ya?ml$/i;
const MAX_TEXT = 2 * 1024 * 1024;

/** Pure: what `text` (named `file`) is, given the text of a Chart.yaml beside it (if any). */
export function classifyK8sYaml(file: string, text: string, chartYaml?: string): K8sTarget | undefined {
  if (text.length > MAX_TEXT) return undefined;
  // Cheap tests first: most YAML files are neither, and parsing them costs.
  if (/^\s*kind:\s*["']?Milvus["']?\s*(#.*)?$/m.test(text)) {
    for (const doc of parseAllDocuments(text, { logLevel: 'error' })) {
      if (!('contents' in doc) || doc.errors.length) continue;
      const js = safeJs(doc.toJS.bind(doc));
      if (js && js.kind === 'Milvus' && typeof js.apiVersion === 'string' && js.apiVersion.startsWith('milvus.io/')) {
        const meta = (js.metadata ?? {}) as Record<string, unknown>;
        const name = typeof meta.name === 'string' ? meta.name : undefined;
        return {
          flavor: 'operator',
          file,
          name,
          namespace: typeof meta.namespace === 'string' ? meta.namespace : undefined,
          prefix: [],
          ...(name ? { service: `${name}-milvus` } : {}),
        };
      }
    }
    return undefined;
  }
  if (!VALUES_NAME.test(path.basename(file))) return undefined;
  const doc = parseDocument(text, { logLevel: 'error' });
  if (doc.errors.length || !(isMap(doc.contents) || doc.contents === null)) return undefined;
  const all = (safeJs(doc.toJS.bind(doc)) ?? {}) as Record<string, unknown>;
  const helm = (prefix: string[]): K8sTarget => {
    const values = (prefix.length ? all[prefix[0]] : all) as Record<string, unknown> | undefined;
    const full = values?.fullnameOverride;
    return { flavor: 'helm', file, prefix, ...(typeof full === 'string' && full ? { service: full.slice(0, 63).replace(/-+$/, '') } : {}) };
  };
  if (chartYaml !== undefined) {
    const chart = safeJs(() => parseDocument(chartYaml, { logLevel: 'error' }).toJS()) ?? {};
    if (chart.name === 'milvus') return helm([]);
    const deps = Array.isArray(chart.dependencies) ? (chart.dependencies as Record<string, unknown>[]) : [];
    const dep = deps.find((d) => d && d.name === 'milvus');
    if (dep) return helm([typeof dep.alias === 'string' && dep.alias ? dep.alias : 'milvus']);
  }
  const hits = CHART_KEYS.filter((k) => k in all).length;
  return 'extraConfigFiles' in all || hits >= 2 ? helm([]) : undefined;
}

function safeJs(f: () => unknown): Record<string, unknown> | undefined {
  try {
    const v = f();
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The Kubernetes Milvus files in `folder` and its parent, Operator resources first. */
export function findK8sTargets(folder: string, ws: Workspace): K8sTarget[] {
  const out: K8sTarget[] = [];
  for (const dir of [...new Set([path.resolve(folder), path.dirname(path.resolve(folder))])]) {
    const names = ws.list(dir).sort();
    const chartName = names.find((n) => n === 'Chart.yaml' || n === 'Chart.yml');
    const chart = chartName ? text(ws, path.join(dir, chartName)) : undefined;
    for (const n of names) {
      // Our own values fragment looks like a values file: never wire into it.
      if (!/\.ya?ml$/i.test(n) || n === chartName || n === VALUES_FRAGMENT || n === SECRET_MANIFEST) continue;
      const file = path.join(dir, n);
      const t = text(ws, file);
      const hit = t === undefined ? undefined : classifyK8sYaml(file, t, chart);
      if (hit) out.push(hit);
    }
  }
  return out.sort((a, b) => (a.flavor === b.flavor ? 0 : a.flavor === 'operator' ? -1 : 1));
}

function text(ws: Workspace, file: string): string | undefined {
  const r = ws.read(file);
  return r.ok && r.size <= MAX_TEXT ? Buffer.from(r.bytes).toString('utf8') : undefined;
}

/** Names clients inside the cluster dial the Service by, short to fully qualified. */
export function k8sServiceNames(t: K8sTarget, namespace?: string): string[] {
  const svc = t.service;
  if (!svc) return [];
  const ns = namespace ?? t.namespace;
  return ns ? [svc, `${svc}.${ns}`, `${svc}.${ns}.svc`, `${svc}.${ns}.svc.cluster.local`] : [svc];
}
