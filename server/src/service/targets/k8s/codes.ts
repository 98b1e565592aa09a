/** The k8s target's diagnostic codes, for the generated table. */
import type { DiagnosticCodeInfo } from '../target';

export const K8S_CODES: DiagnosticCodeInfo[] = [
  { code: 'k8s-yaml-syntax', severity: 'error', summary: 'YAML error in a Kubernetes manifest or Helm values file' },
  { code: 'k8s-path-not-mounted', severity: 'error', summary: 'A Milvus tls path no volumeMount of the pod covers' },
  { code: 'k8s-volume-missing', severity: 'error', summary: 'A volumeMount names no volume of the pod' },
  {
    code: 'k8s-volume-not-secret',
    severity: 'information',
    summary: 'The path comes from a non-Secret volume; contents cannot be checked',
  },
  {
    code: 'k8s-secret-not-found',
    severity: 'information',
    summary: 'The Secret a volume or Ingress names is not in the workspace: cannot check',
  },
  { code: 'k8s-secret-key-missing', severity: 'error', summary: 'The Secret has no key for the file a path, item or Ingress needs' },
  { code: 'k8s-subpath-mismatch', severity: 'error', summary: 'A volumeMount subPath names a key the Secret does not have' },
  { code: 'k8s-pem-folded', severity: 'error', summary: 'PEM written as a plain or folded YAML scalar (no |): its line breaks are lost' },
  { code: 'k8s-secret-data-not-base64', severity: 'error', summary: 'Secret data (or proxy.tls crt/key) that is not base64' },
  { code: 'k8s-secret-data-double-base64', severity: 'error', summary: 'Secret data encoded twice: it decodes to base64, not PEM' },
  { code: 'k8s-tls-secret-incomplete', severity: 'error', summary: 'A kubernetes.io/tls Secret without tls.crt or tls.key' },
  { code: 'k8s-ingress-host-not-covered', severity: 'error', summary: "An Ingress tls host the Secret's certificate SANs do not cover" },
  {
    code: 'k8s-helm-unknown-key',
    severity: 'warning',
    summary: 'A Milvus chart value that does not exist (prox.tls, proxy.tls.secretname), with "did you mean"',
  },
  { code: 'k8s-helm-tls-incomplete', severity: 'error', summary: 'proxy.tls.enabled without proxy.tls.secretName' },
];
