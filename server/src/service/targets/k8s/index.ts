/**
 * Kubernetes: Milvus Operator CRs, Helm values of the Milvus chart, Secrets (PEM in YAML),
 * Ingress TLS and workloads' Secret volumes. Recognition is a line scan: YAML without these
 * shapes is never parsed here.
 */
import * as path from 'node:path';
import type { Target } from '../target';
import { parseK8s, isValuesName, type K8sModel } from './model';
import { looksLikeMilvusValues } from './helm';
import { validateK8s } from './validate';
import { k8sHover } from './hover';
import { k8sCodeActions } from './actions';
import { K8S_CODES } from './codes';

const SNIFF_LIMIT = 5 * 1024 * 1024;
const KINDS = /^kind:\s*["']?(Secret|Milvus|Ingress)["']?\s*$/m;
const WORKLOAD = /^kind:\s*["']?(Deployment|StatefulSet|DaemonSet|Pod|Job|ReplicaSet)["']?\s*$/m;

export function recogniseK8s(doc: { path: string; languageId?: string; text: string }): boolean {
  if (!/\.ya?ml$/i.test(path.basename(doc.path)) && doc.languageId !== 'yaml') return false;
  if (doc.text.length > SNIFF_LIMIT) return false;
  // A chart's templates/ (Go templates: {{ … }}) are not YAML until Helm renders them.
  if (doc.text.includes('{{')) return false;
  if (/^apiVersion:/m.test(doc.text) && (KINDS.test(doc.text) || (WORKLOAD.test(doc.text) && /\bsecretName:/.test(doc.text)))) return true;
  return isValuesName(doc.path) && looksLikeMilvusValues(doc.text);
}

export const k8sTarget: Target<K8sModel> = {
  id: 'k8s',
  recognise: (doc) => recogniseK8s(doc),
  parse: (doc) => parseK8s(doc.text, doc.path),
  validate: (doc, model, ctx) => validateK8s(model, doc.path, ctx),
  hover: (doc, model, pos, ctx) => k8sHover(model, doc.path, pos, ctx),
  codeActions: (doc, diagnostics) => k8sCodeActions(doc.uri, doc.text, diagnostics),
  // The Milvus fragment's findings keep the Milvus target's codes (milvus-block-misplaced, …), listed there.
  codes: K8S_CODES,
};
