/**
 * A values file of the Milvus Helm chart (zilliztech/milvus-helm charts/milvus):
 * - extraConfigFiles."user.yaml" is a string of YAML the chart's configmap.yaml writes as
 *   user.yaml, mounted at /milvus/configs/user.yaml in every component (templates/
 *   proxy-deployment.yaml: volumeMounts milvus-config subPath user.yaml): the Milvus layers apply.
 * - proxy.tls.{enabled,secretName,crt,key}: templates/proxy-tls-secret.yaml renders, when enabled
 *   and both crt and key are set, a Secret secretName of type kubernetes.io/tls with
 *   data tls.crt / tls.key taken verbatim (so crt and key must be base64 PEM). The chart mounts
 *   nothing by itself: values.yaml's own example adds proxy.volumes / proxy.volumeMounts at
 *   /etc/milvus/certs/ and points tls.serverPemPath at /etc/milvus/certs/tls.crt.
 * - ingress.tls[] ({secretName, hosts}) becomes the Ingress's spec.tls (templates/ingress.yaml).
 * - The proxy (cluster.enabled, the default) or standalone pod gets the component's
 *   volumes/volumeMounts and then the global ones (proxy-deployment.yaml, standalone-deployment.yaml).
 */
import type { Diagnostic } from 'vscode-languageserver-types';
import { isMap, isScalar, type Node as YamlNode } from 'yaml';
import { diag, Severity } from '../../types';
import { editDistance } from '../../text';
import { bool, get, pairOf, rangeOf, str, type ManifestFile } from '../../deploy/k8s/manifest';
import { decodeBase64, type SecretEntry, type SecretModel } from '../../deploy/k8s/secrets';
import { readMounts, readVolumes, type K8sContainerContext } from '../../deploy/k8s/volumes';
import { validateMilvusFragment } from '../milvus/validate';
import { blockFragment, shiftDiagnostic, type Fragment } from './fragment';
import { checkFragmentChain, type ChainContext } from './chain';
import { checkPair, checkPemValue } from './pem-scalars';
import { checkIngressTls } from './ingress';

/** Top-level keys of charts/milvus/values.yaml. */
export const CHART_KEYS = [
  'nameOverride',
  'fullnameOverride',
  'cluster',
  'image',
  'nodeSelector',
  'tolerations',
  'affinity',
  'securityContext',
  'topologySpreadConstraints',
  'labels',
  'annotations',
  'volumes',
  'volumeMounts',
  'streaming',
  'customConfigMap',
  'extraConfigFiles',
  'service',
  'ingress',
  'serviceAccount',
  'metrics',
  'livenessProbe',
  'readinessProbe',
  'log',
  'heaptrack',
  'standalone',
  'proxy',
  'rootCoordinator',
  'queryCoordinator',
  'queryNode',
  'indexCoordinator',
  'indexNode',
  'dataCoordinator',
  'dataNode',
  'mixCoordinator',
  'streamingNode',
  'attu',
  'minio',
  'etcd',
  'pulsar',
  'pulsarv3',
  'kafka',
  'externalS3',
  'externalGcs',
  'externalEtcd',
  'externalPulsar',
  'externalKafka',
  'woodpecker',
  'tei',
  'cdc',
];
/** proxy.tls in values.yaml and templates/proxy-tls-secret.yaml. */
export const PROXY_TLS_KEYS = ['enabled', 'secretName', 'crt', 'key'];

/** A values file with the chart's shape: the keys only this chart has. */
export function looksLikeMilvusValues(text: string): boolean {
  return (
    /^(extraConfigFiles|mixCoordinator|queryNode|indexNode|dataNode|streamingNode|rootCoordinator)\s*:/m.test(text) ||
    (/^prox\w*\s*:/m.test(text) && /^\s+tls\s*:/m.test(text) && /^\s+(secretName|crt)\s*:/im.test(text))
  );
}

function suggestion(k: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const c of known) {
    const dist = editDistance(k, c, { ignoreCase: true });
    if (dist < bestD && c !== k) {
      best = c;
      bestD = dist;
    }
  }
  return best;
}

export interface HelmModel {
  fragment?: Fragment;
  /** The Secret proxy.tls renders, when it does. */
  rendered?: SecretModel;
}

export function helmModel(f: ManifestFile, file: string): HelmModel {
  const root = f.docs[0]?.contents;
  if (!isMap(root)) return {};
  const out: HelmModel = {};
  const extra = get(root, 'extraConfigFiles');
  const user = pairOf(extra, 'user.yaml')?.value;
  if (isScalar(user)) out.fragment = blockFragment(f, user, 'extraConfigFiles user.yaml');
  const tls = get(root, 'proxy', 'tls');
  if (isMap(tls) && bool(get(tls, 'enabled'))) {
    const name = str(get(tls, 'secretName'));
    const entry = (key: string, n: YamlNode | undefined): SecretEntry | undefined => {
      if (!isScalar(n) || typeof n.value !== 'string') return undefined;
      const once = decodeBase64(n.value);
      const e: SecretEntry = { key, from: 'data', keyRange: rangeOf(f, n), valueRange: rangeOf(f, n), scalar: n };
      if (once === undefined) e.problem = 'not-base64';
      else {
        e.content = once;
        if (!once.includes('-----BEGIN ') && decodeBase64(once)?.includes('-----BEGIN ')) e.problem = 'double-base64';
      }
      return e;
    };
    const crt = entry('tls.crt', get(tls, 'crt'));
    const key = entry('tls.key', get(tls, 'key'));
    if (name && crt && key) {
      const byKey = new Map([
        ['tls.crt', crt],
        ['tls.key', key],
      ]);
      out.rendered = {
        name,
        file,
        type: 'kubernetes.io/tls',
        nameRange: rangeOf(f, get(tls, 'secretName')),
        entries: [crt, key],
        byKey,
      };
    }
  }
  return out;
}

export function helmPod(f: ManifestFile, file: string): K8sContainerContext {
  const root = f.docs[0]?.contents;
  const cluster = bool(get(root, 'cluster', 'enabled')) ?? true;
  const comp = cluster ? 'proxy' : 'standalone';
  const own = readVolumes(f, get(root, comp, 'volumes'));
  return {
    kind: 'k8s',
    manifestPath: file,
    label: `the ${comp} pod`,
    mounts: [...readMounts(f, get(root, comp, 'volumeMounts')), ...readMounts(f, get(root, 'volumeMounts'))],
    volumes: [...own, ...readVolumes(f, get(root, 'volumes'))],
  };
}

export function checkHelmValues(f: ManifestFile, file: string, h: HelmModel, cc: ChainContext, out: Diagnostic[]): void {
  const root = f.docs[0]?.contents;
  if (!isMap(root)) return;
  for (const p of root.items) {
    if (!isScalar(p.key)) continue;
    const k = String(p.key.value);
    if (CHART_KEYS.includes(k)) continue;
    const s = suggestion(k, CHART_KEYS);
    if (s && (isMap(p.value) || k.includes('.')))
      out.push(
        diag(
          rangeOf(f, p.key),
          Severity.Warning,
          'k8s-helm-unknown-key',
          `The Milvus chart has no value ${k}; did you mean ${s}? Helm ignores unknown values, so nothing under it takes effect.`,
          { fix: { kind: 'k8s-rename', to: s, title: `Rename to ${s}` } },
        ),
      );
  }
  const tls = get(root, 'proxy', 'tls');
  if (isMap(tls)) {
    for (const p of tls.items) {
      if (!isScalar(p.key)) continue;
      const k = String(p.key.value);
      if (PROXY_TLS_KEYS.includes(k)) continue;
      const s = suggestion(k, PROXY_TLS_KEYS);
      out.push(
        diag(
          rangeOf(f, p.key),
          Severity.Warning,
          'k8s-helm-unknown-key',
          `Unknown value proxy.tls.${k}${s ? `; did you mean ${s}?` : '.'} The chart's templates/proxy-tls-secret.yaml reads only ${PROXY_TLS_KEYS.join(', ')} (names are case-sensitive), so this one is ignored.`,
          s ? { fix: { kind: 'k8s-rename', to: s, title: `Rename to ${s}` } } : undefined,
        ),
      );
    }
    if (bool(get(tls, 'enabled')) && !str(get(tls, 'secretName')))
      out.push(
        diag(
          rangeOf(f, get(tls, 'enabled')),
          Severity.Error,
          'k8s-helm-tls-incomplete',
          'proxy.tls.enabled is true but proxy.tls.secretName is not set: the chart renders a Secret without a name, which the API server rejects. Set secretName (and mount it through proxy.volumes / proxy.volumeMounts).',
        ),
      );
  }
  if (h.rendered) {
    for (const e of h.rendered.entries) checkPemValue(f, e, `proxy.tls.${e.key === 'tls.crt' ? 'crt' : 'key'}`, cc, out);
    checkPair(h.rendered.byKey.get('tls.crt'), h.rendered.byKey.get('tls.key'), 'proxy.tls', out);
  }
  if (bool(get(root, 'ingress', 'enabled')))
    checkIngressTls(
      f,
      get(root, 'ingress', 'tls'),
      undefined,
      file,
      { ...cc, local: h.rendered ? [h.rendered, ...cc.local] : cc.local },
      out,
    );
  if (h.fragment) {
    for (const dg of validateMilvusFragment(h.fragment.model, h.fragment.cfg)) out.push(shiftDiagnostic(dg, h.fragment));
    checkFragmentChain(h.fragment, helmPod(f, file), { ...cc, local: h.rendered ? [h.rendered, ...cc.local] : cc.local }, out);
  }
}
