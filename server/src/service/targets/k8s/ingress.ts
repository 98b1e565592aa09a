/**
 * Ingress (networking.k8s.io/v1) spec.tls[]: each entry serves the certificate of the Secret
 * `secretName` (tls.crt, a kubernetes.io/tls Secret) for its `hosts`; a host its SANs do not cover
 * gets a certificate clients reject ("x509: certificate is valid for …, not HOST").
 * Deployments, StatefulSets, DaemonSets and Pods: a secret volume's items must name keys the Secret has.
 */
import type { Diagnostic } from 'vscode-languageserver-types';
import { isMap } from 'yaml';
import { diag, Severity } from '../../types';
import { get, items, rangeOf, str, type K8sObject, type ManifestFile } from '../../deploy/k8s/manifest';
import { findSecret } from '../../deploy/k8s/secrets';
import { readVolumes } from '../../deploy/k8s/volumes';
import { decodeInline } from '../../tls/inline';
import { certificates } from '../../pem/files';
import type { CertInfo } from '../../pem/model';
import { coversName } from '../../tls/names';
import type { ChainContext } from './chain';

export function checkIngress(f: ManifestFile, o: K8sObject, file: string, cc: ChainContext, out: Diagnostic[]): void {
  checkIngressTls(f, get(o.root, 'spec', 'tls'), o.namespace, file, cc, out);
}

/** An IngressTLS list: an Ingress's spec.tls, or the chart's ingress.tls it renders into one (templates/ingress.yaml). */
export function checkIngressTls(
  f: ManifestFile,
  tlsList: unknown,
  namespace: string | undefined,
  file: string,
  cc: ChainContext,
  out: Diagnostic[],
): void {
  for (const t of items(tlsList)) {
    if (!isMap(t)) continue;
    const sn = get(t, 'secretName');
    const name = str(sn);
    const hosts = items(get(t, 'hosts'));
    if (!name || hosts.length === 0) continue;
    const found = findSecret(name, namespace, file, cc.local, cc.ws);
    if (!found.secret) {
      if (!found.untrusted)
        out.push(
          diag(
            rangeOf(f, sn),
            Severity.Information,
            'k8s-secret-not-found',
            `Secret ${name} is not in the workspace, so the certificate served for ${hosts.map(str).join(', ')} cannot be checked. Add its manifest to the workspace to have it checked.`,
          ),
        );
      continue;
    }
    const crt = found.secret.byKey.get('tls.crt');
    if (!crt) {
      out.push(
        diag(
          rangeOf(f, sn),
          Severity.Error,
          'k8s-secret-key-missing',
          `Secret ${name} has no tls.crt, which an Ingress reads its certificate from; the controller serves its default certificate instead. Use a kubernetes.io/tls Secret.`,
        ),
      );
      continue;
    }
    const leaf = crt.content ? certificates(decodeInline(crt.content).items)[0]?.cert : undefined;
    if (!leaf) continue;
    for (const h of hosts) {
      const host = str(h);
      if (!host || hostCovered(leaf, host)) continue;
      const sans = leaf.sans.map((s) => s.value).join(', ') || 'none';
      out.push(
        diag(
          rangeOf(f, h),
          Severity.Error,
          'k8s-ingress-host-not-covered',
          `${host} is not covered by the certificate in Secret ${name} (SANs: ${sans}); clients reaching it get "x509: certificate is valid for ${sans}, not ${host}". Reissue the certificate with ${host}, or use a Secret whose certificate covers it.`,
        ),
      );
    }
  }
}

/** A wildcard Ingress host (*.example.test) is served by a certificate with that very wildcard SAN. */
function hostCovered(leaf: CertInfo, host: string): boolean {
  if (host.startsWith('*.')) return leaf.sans.some((s) => s.type === 'dns' && s.value.toLowerCase() === host.toLowerCase());
  return coversName(leaf, host);
}

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Pod', 'Job', 'ReplicaSet']);

export function isWorkload(o: K8sObject): boolean {
  return WORKLOADS.has(o.kind);
}

export function checkWorkload(f: ManifestFile, o: K8sObject, file: string, cc: ChainContext, out: Diagnostic[]): void {
  const spec = o.kind === 'Pod' ? get(o.root, 'spec') : get(o.root, 'spec', 'template', 'spec');
  for (const v of readVolumes(f, get(spec, 'volumes'))) {
    if (!v.secret?.items?.length) continue;
    const found = findSecret(v.secret.secretName, o.namespace, file, cc.local, cc.ws);
    if (!found.secret) continue;
    for (const it of v.secret.items) {
      if (found.secret.byKey.has(it.key) || v.secret.optional) continue;
      out.push(
        diag(
          it.keyRange,
          Severity.Error,
          'k8s-secret-key-missing',
          `Secret ${found.secret.name} has no key ${it.key} (its keys: ${[...found.secret.byKey.keys()].join(', ') || 'none'}); the pod does not start ("couldn't find key ${it.key} in Secret"). Use one of its keys.`,
        ),
      );
    }
  }
}
