/**
 * A generated set as Kubernetes wants it: a `kubernetes.io/tls` Secret for the Milvus server
 * (and one for clients in mutual TLS) and a Helm values fragment for zilliztech/milvus-helm.
 *
 * Choices, made once:
 * - `data` (base64), not `stringData`: it is what `kubectl create secret tls --dry-run=client -o yaml`
 *   and the chart's own charts/milvus/templates/proxy-tls-secret.yaml emit, it is what
 *   `kubectl get secret -o yaml` shows (so the file diffs cleanly against the cluster), and a
 *   base64 value cannot lose its line breaks to YAML folding the way a PEM written without `|`
 *   does in the Operator's own config/samples/external_tls.yaml.
 * - `tls.crt` / `tls.key` are the keys the `kubernetes.io/tls` type requires; `ca.crt` beside
 *   them is the convention cert-manager follows. The CA key never goes into the cluster.
 * - The certificates are mounted at /etc/milvus/certs, the folder the chart's values.yaml
 *   suggests (charts/milvus/values.yaml, `extraConfigFiles` comment and the `proxy.tls` comment:
 *   `serverPemPath: /etc/milvus/certs/tls.crt`, `mountPath: /etc/milvus/certs/`).
 * - The Secret volume keeps Kubernetes' default file mode (0644): Milvus reads the key as
 *   whichever user the image runs as, and Go does not check key permissions.
 */
import { stringify } from 'yaml';
import type { GeneratedFile } from './generate';
import type { CertMode } from './options';

export const K8S_DEFAULTS = {
  secretName: 'milvus-tls',
  mountPath: '/etc/milvus/certs',
} as const;

/** Milvus 2.6 refuses TLS while REST shares the gRPC port; the Operator sample moves REST to 8080 (config/samples/external_tls.yaml). */
export const K8S_HTTP_PORT = 8080;

/** `{proxy: {http: {port: 8080}}}`: the REST port setting, as a nested milvus.yaml fragment. */
export function restPortConfig(): Record<string, unknown> {
  return ['proxy', 'http', 'port'].reduceRight<unknown>((v, k) => ({ [k]: v }), K8S_HTTP_PORT) as Record<string, unknown>;
}

export const SECRET_MANIFEST = 'milvus-tls-secret.yaml';
export const VALUES_FRAGMENT = 'milvus-tls-values.yaml';

export interface K8sOptions {
  /** Secret name (a DNS-1123 subdomain); default milvus-tls. The client Secret is `<name>-client`. */
  secretName?: string;
  /** metadata.namespace of the Secrets; absent: the namespace kubectl applies to. */
  namespace?: string;
}

export interface K8sNames {
  secretName: string;
  clientSecretName: string;
  /** Volume names are DNS-1123 labels: no dots, at most 63 characters. */
  volumeName: string;
  mountPath: string;
  namespace?: string;
}

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Problems with the Kubernetes options, as sentences; empty when usable. */
export function validateK8sOptions(o: K8sOptions): string[] {
  const errors: string[] = [];
  if (o.secretName != null) {
    const n = o.secretName;
    // The client Secret adds "-client": the pair must fit.
    if (typeof n !== 'string' || !SUBDOMAIN.test(n) || n.length > 253 - '-client'.length) {
      errors.push(
        `the Secret name "${String(n)}" is not a valid Kubernetes name (lower-case letters, digits, "-" and ".", starting and ending with a letter or digit)`,
      );
    }
  }
  if (o.namespace != null) {
    const ns = o.namespace;
    if (typeof ns !== 'string' || !LABEL.test(ns) || ns.length > 63) {
      errors.push(`the namespace "${String(ns)}" is not a valid Kubernetes namespace (lower-case letters, digits and "-", at most 63)`);
    }
  }
  return errors;
}

export function k8sNames(o: K8sOptions = {}): K8sNames {
  const secretName = o.secretName || K8S_DEFAULTS.secretName;
  const volumeName = secretName.replace(/\./g, '-').slice(0, 63).replace(/-+$/, '') || K8S_DEFAULTS.secretName;
  return {
    secretName,
    clientSecretName: `${secretName}-client`,
    volumeName,
    mountPath: K8S_DEFAULTS.mountPath,
    ...(o.namespace ? { namespace: o.namespace } : {}),
  };
}

/** The container paths Milvus is pointed at: the Secret's keys inside the mount. */
export function milvusTlsPaths(names: K8sNames, mode: CertMode): Record<string, string> {
  return {
    serverPemPath: `${names.mountPath}/tls.crt`,
    serverKeyPath: `${names.mountPath}/tls.key`,
    ...(mode === 'mutual' ? { caPemPath: `${names.mountPath}/ca.crt` } : {}),
  };
}

function pem(files: GeneratedFile[], ...candidates: string[]): string | undefined {
  return files.find((f) => candidates.includes(f.name))?.contents;
}

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

function secret(name: string, namespace: string | undefined, data: Record<string, string>): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, ...(namespace ? { namespace } : {}), labels: { 'app.kubernetes.io/managed-by': 'tls-config' } },
    type: 'kubernetes.io/tls',
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])),
  };
}

/**
 * The Secret manifest for a generated set (either file layout). `caPem` is needed when the set
 * reused a CA (ca.pem is then not among `files`).
 */
export function secretManifest(files: GeneratedFile[], names: K8sNames, caPem?: string): string {
  const ca = pem(files, 'ca.pem', 'root.crt') ?? caPem;
  const serverCert = pem(files, 'server.pem', 'server.crt');
  const serverKey = pem(files, 'server.key');
  if (!serverCert || !serverKey) throw new Error('the set has no server certificate and key');
  const docs = [
    secret(names.secretName, names.namespace, { 'tls.crt': serverCert, 'tls.key': serverKey, ...(ca ? { 'ca.crt': ca } : {}) }),
  ];
  const clientCert = pem(files, 'client.pem', 'postgresql.crt');
  const clientKey = pem(files, 'client.key', 'postgresql.key');
  if (clientCert && clientKey) {
    docs.push(
      secret(names.clientSecretName, names.namespace, { 'tls.crt': clientCert, 'tls.key': clientKey, ...(ca ? { 'ca.crt': ca } : {}) }),
    );
  }
  const head = [
    '# Generated by TLS Config. This file holds private keys: apply it, keep it out of version control.',
    `#   kubectl apply -f ${SECRET_MANIFEST}`,
    `# ${names.secretName}: the Milvus server certificate (tls.crt), its key (tls.key) and the CA (ca.crt).`,
    ...(docs.length > 1
      ? [`# ${names.clientSecretName}: a client certificate and key for applications that connect with mutual TLS.`]
      : []),
  ];
  return head.join('\n') + '\n' + docs.map((d) => '---\n' + stringify(d, { lineWidth: 0 })).join('');
}

/** The milvus.yaml keys that turn TLS on with the mounted Secret (the same for the chart and the Operator). */
export function milvusTlsConfig(names: K8sNames, mode: CertMode): Record<string, unknown> {
  return {
    tls: milvusTlsPaths(names, mode),
    common: { security: { tlsMode: mode === 'mutual' ? 2 : 1 } },
    ...restPortConfig(),
  };
}

export function secretVolume(names: K8sNames): Record<string, unknown> {
  return { name: names.volumeName, secret: { secretName: names.secretName } };
}

export function secretVolumeMount(names: K8sNames): Record<string, unknown> {
  return { name: names.volumeName, mountPath: names.mountPath, readOnly: true };
}

/**
 * Values for `helm upgrade -f` with zilliztech/milvus-helm. The global `volumes` / `volumeMounts`
 * reach every component, standalone included (charts/milvus/templates/standalone-deployment.yaml
 * and proxy-deployment.yaml both render `.Values.volumes` / `.Values.volumeMounts`; `proxy.volumes`
 * exists only in cluster mode), and `extraConfigFiles.user.yaml` becomes /milvus/configs/user.yaml
 * (templates/configmap.yaml, mounted with subPath user.yaml), which Milvus reads after default.yaml.
 *
 * The chart's `proxy.tls.{enabled,secretName,crt,key}` (templates/proxy-tls-secret.yaml) is not
 * used: it wants the key base64-encoded inside the values file, which is usually committed, and
 * renders only tls.crt / tls.key, with no place for the CA that mutual TLS needs.
 */
export function valuesFragment(names: K8sNames, mode: CertMode): string {
  const userYaml = stringify(milvusTlsConfig(names, mode), { lineWidth: 0 });
  const body = stringify(
    { extraConfigFiles: { 'user.yaml': userYaml }, volumes: [secretVolume(names)], volumeMounts: [secretVolumeMount(names)] },
    { lineWidth: 0 },
  );
  return (
    [
      '# Generated by TLS Config: Helm values for zilliztech/milvus-helm that mount the Secret',
      `# ${names.secretName} (${SECRET_MANIFEST}) into every Milvus container and turn TLS on.`,
      `#   kubectl apply -f ${SECRET_MANIFEST}`,
      `#   helm upgrade --install <release> zilliztech/milvus -f <your values> -f ${VALUES_FRAGMENT}`,
      '# Helm replaces lists and strings from a later -f file whole: if your values already set',
      '# volumes, volumeMounts or extraConfigFiles, merge these into that file instead.',
    ].join('\n') +
    '\n' +
    body
  );
}

/** The Kubernetes files written next to the PEM files. */
export function k8sFiles(files: GeneratedFile[], names: K8sNames, mode: CertMode, caPem?: string): GeneratedFile[] {
  return [
    { name: SECRET_MANIFEST, contents: secretManifest(files, names, caPem), secret: true },
    { name: VALUES_FRAGMENT, contents: valuesFragment(names, mode), secret: false },
  ];
}
