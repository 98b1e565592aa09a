/**
 * A Milvus Operator CR (zilliztech/milvus-operator, apiVersion milvus.io/v1beta1, kind Milvus).
 * - spec.config is a milvus.yaml fragment: the operator writes it as user.yaml into the config
 *   ConfigMap mounted at /milvus/configs/operator, and scripts/run.sh merges it over the image's
 *   /milvus/configs/milvus.yaml (pkg/controllers/deployments.go MilvusConfigmapMountPath,
 *   MergeToolPath): user.yaml over the image defaults, as the Milvus target layers them.
 * - spec.components.volumes / volumeMounts apply to every component; a component's own
 *   (spec.components.proxy.volumeMounts, …) are added to them (pkg/controllers/components.go
 *   MergeComponentSpec(component, global): volumeMounts appended, a component's volumes list
 *   replacing the global one when set, so a global mount then names no volume).
 * - External TLS (tls.*) is served by the proxy (cluster) or standalone; internaltls by all.
 * The operator's own config/samples/external_tls.yaml nests tls: under common: (Milvus reads
 * common.tls.*, which is no setting) and writes PEM without `|`: both are findings here.
 */
import type { Diagnostic } from 'vscode-languageserver-types';
import { isMap } from 'yaml';
import type { K8sObject, ManifestFile } from '../../deploy/k8s/manifest';
import { get, str } from '../../deploy/k8s/manifest';
import { readMounts, readVolumes, type K8sContainerContext } from '../../deploy/k8s/volumes';
import { validateMilvusFragment } from '../milvus/validate';
import { mapFragment, shiftDiagnostic, type Fragment } from './fragment';
import { checkFragmentChain, type ChainContext } from './chain';

export const MILVUS_API = 'milvus.io/v1beta1';

export function isMilvusCr(o: K8sObject): boolean {
  return o.kind === 'Milvus' && o.apiVersion === MILVUS_API;
}

export function crFragment(f: ManifestFile, o: K8sObject): Fragment | undefined {
  const config = get(o.root, 'spec', 'config');
  return isMap(config) ? mapFragment(f, config, `spec.config of Milvus ${o.name}`) : undefined;
}

/** The pod that serves clients: standalone (spec.mode standalone, the default) or the proxy. */
export function crPod(f: ManifestFile, o: K8sObject, file: string): K8sContainerContext {
  const comps = get(o.root, 'spec', 'components');
  const cluster = str(get(o.root, 'spec', 'mode')) === 'cluster';
  const own = get(comps, cluster ? 'proxy' : 'standalone');
  const ownVolumes = readVolumes(f, get(own, 'volumes'));
  return {
    kind: 'k8s',
    manifestPath: file,
    label: `the ${cluster ? 'proxy' : 'standalone'} pod of Milvus ${o.name}`,
    namespace: o.namespace,
    mounts: [...readMounts(f, get(comps, 'volumeMounts')), ...readMounts(f, get(own, 'volumeMounts'))],
    // MergeComponentSpec(component, global): `if src.Volumes != nil { dst.Volumes = src.Volumes }`.
    volumes: get(own, 'volumes') !== undefined ? ownVolumes : readVolumes(f, get(comps, 'volumes')),
  };
}

export function checkMilvusCr(f: ManifestFile, o: K8sObject, file: string, cc: ChainContext, out: Diagnostic[]): void {
  const fr = crFragment(f, o);
  if (!fr) return;
  for (const dg of validateMilvusFragment(fr.model, fr.cfg)) out.push(shiftDiagnostic(dg, fr));
  checkFragmentChain(fr, crPod(f, o, file), cc, out);
}
