/** One parse of a Kubernetes YAML file: its objects, the Secrets it defines, and — for a chart values file — what the chart renders from it. */
import * as path from 'node:path';
import { parseManifests, type ManifestFile } from '../../deploy/k8s/manifest';
import { secretsIn, type SecretModel } from '../../deploy/k8s/secrets';
import { helmModel, looksLikeMilvusValues, type HelmModel } from './helm';

export interface K8sModel {
  file: ManifestFile;
  secrets: SecretModel[];
  helm?: HelmModel;
}

/** A values file of a chart: values.yaml, values-prod.yaml, milvus-tls-values.yaml …; the Milvus chart's keys decide (Chart.yaml beside it is not needed to tell). */
export function isValuesName(file: string): boolean {
  return /(^|[-_.])values([-_.][\w.-]*)?\.ya?ml$/i.test(path.basename(file));
}

export function parseK8s(text: string, file: string): K8sModel {
  const f = parseManifests(text);
  const helm = f.objects.length === 0 && isValuesName(file) && looksLikeMilvusValues(text) ? helmModel(f, file) : undefined;
  return { file: f, secrets: secretsIn(f, file), helm };
}
