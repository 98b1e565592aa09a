/**
 * The certificate paths of a Milvus fragment, followed as the pod sees them: container path →
 * volumeMount → volume → Secret (in the workspace, by name and namespace) → key → PEM text, and
 * then the shared pipeline (key pair, chain, names, usages, dates) on what the Secret holds.
 * Findings go on the path in the fragment, or on the mount / volume / subPath line that breaks it.
 */
import * as path from 'node:path';
import type { Diagnostic, Range } from 'vscode-languageserver-types';
import { diag, Severity } from '../../types';
import type { Workspace } from '../../workspace';
import type { Settings } from '../../types';
import { winner, goAtoi, goParseBool, type EffectiveValue } from '../milvus/effective';
import { IMAGE_SAMPLE_CERTS } from '../milvus/validate';
import type { K8sContainerContext } from '../../deploy/k8s/volumes';
import type { SecretEntry, SecretModel } from '../../deploy/k8s/secrets';
import { resolveInPod } from '../../deploy/k8s/resolve';
import { loadInline } from '../../tls/inline';
import { checkGroup } from '../../tls/pipeline';
import type { LoadedSlot, SlotGroup, SlotRole } from '../../tls/slots';
import { shiftRange, type Fragment } from './fragment';

export interface ChainContext {
  ws: Workspace;
  settings: Settings;
  now: Date;
  /** Secrets of the document itself (and the one a chart renders from proxy.tls). */
  local: SecretModel[];
}

const ROLE: Record<string, SlotRole> = { serverPemPath: 'server-cert', serverKeyPath: 'server-key', caPemPath: 'ca' };

/** Where a Secret key is, for messages: "Secret certs key server.pem (k8s/certs.yaml)". */
export function secretWhere(s: SecretModel, key: string | undefined, ws: Workspace): string {
  const root = ws.roots.find((r) => !path.relative(r, s.file).startsWith('..'));
  return `Secret ${s.name}${key ? ` key ${key}` : ''} (${root ? path.relative(root, s.file) : path.basename(s.file)})`;
}

/** What the container reads at a path, or undefined with a finding on the line that breaks the chain. */
export function resolveSecretFile(
  containerPath: string,
  at: Range,
  setting: string,
  pod: K8sContainerContext,
  cc: ChainContext,
  out: Diagnostic[],
): { secret: SecretModel; entry: SecretEntry } | undefined {
  const r = resolveInPod(containerPath, pod, cc.local, cc.ws);
  if (r.ok) return { secret: r.secret, entry: r.entry };
  switch (r.reason) {
    case 'no-mount': {
      const dir = path.posix.dirname(r.containerPath);
      out.push(
        diag(
          at,
          Severity.Error,
          'k8s-path-not-mounted',
          `${setting}: no volumeMount of ${pod.label} covers ${r.containerPath}, so the file does not exist in the container and Milvus fails to start. Mount the Secret holding it, e.g. volumeMounts: [{name: certs, mountPath: ${dir}, readOnly: true}] with a volume {name: certs, secret: {secretName: …}}.`,
        ),
      );
      break;
    }
    case 'volume-missing':
      out.push(
        diag(
          r.mount.nameRange,
          Severity.Error,
          'k8s-volume-missing',
          `The volumeMount ${r.mount.name} (mountPath ${r.mount.mountPath}) names no volume of ${pod.label}; Kubernetes rejects the pod ("spec.containers[].volumeMounts[].name: Not found"). Add a volume named ${r.mount.name} or fix the name.`,
        ),
      );
      break;
    case 'not-secret':
      out.push(
        diag(
          at,
          Severity.Information,
          'k8s-volume-not-secret',
          `${setting}: ${r.containerPath} comes from the ${r.volume.source} volume ${r.volume.name}; its contents cannot be checked from here. Mount the certificates from a Secret to have them checked.`,
        ),
      );
      break;
    case 'untrusted':
      break;
    case 'secret-not-found':
      out.push(
        diag(
          r.volume.secret!.nameRange,
          Severity.Information,
          'k8s-secret-not-found',
          `Secret ${r.volume.secret!.secretName}${pod.namespace ? ` (namespace ${pod.namespace})` : ''} is not in the workspace, so the certificates Milvus reads from it (mounted at ${r.mount.mountPath}) cannot be checked. Add its manifest to the workspace to have them checked.`,
        ),
      );
      break;
    case 'not-projected':
      out.push(
        diag(
          at,
          Severity.Error,
          'k8s-secret-key-missing',
          `${setting}: the volume ${r.volume.name} lists items, and none projects ${r.key}, so ${r.containerPath} does not exist in the container. Add an item with path ${r.key}, or point ${setting} at one of the listed paths.`,
        ),
      );
      break;
    case 'key-missing': {
      const keys = [...r.secret.byKey.keys()].join(', ') || 'none';
      const range = r.via === 'subPath' ? (r.mount.subPathRange ?? at) : r.via === 'item' ? (r.itemRange ?? at) : at;
      const what = r.via === 'subPath' ? `subPath ${r.key} of the volumeMount at ${r.mount.mountPath}` : `${setting} (${r.containerPath})`;
      out.push(
        diag(
          range,
          Severity.Error,
          r.via === 'subPath' ? 'k8s-subpath-mismatch' : 'k8s-secret-key-missing',
          `${what} names key ${r.key}, which Secret ${r.secret.name} does not have (its keys: ${keys}); the file does not exist in the container${r.via === 'subPath' ? ' and the pod fails to start' : ''}. Use one of its keys.`,
        ),
      );
      break;
    }
  }
  return undefined;
}

/** The tls / internaltls paths of the effective configuration, through the pod's mounts. */
export function checkFragmentChain(fr: Fragment, pod: K8sContainerContext, cc: ChainContext, out: Diagnostic[]): void {
  const cfg = fr.cfg;
  const local = (v: EffectiveValue | undefined) => !!v && v.layer === cfg.docLayer && !!v.setting;
  const modeW = winner(cfg, 'common.security.tlsMode');
  const mode = goAtoi(modeW?.value ?? '0').value;
  const internalW = winner(cfg, 'common.security.internaltlsEnabled');
  const internal = goParseBool(internalW?.value).value;
  const sections: { section: 'tls' | 'internaltls'; keys: string[]; switchW?: EffectiveValue }[] = [];
  if (mode === 1 || mode === 2) sections.push({ section: 'tls', keys: ['serverPemPath', 'serverKeyPath', 'caPemPath'], switchW: modeW });
  if (internal) sections.push({ section: 'internaltls', keys: ['serverPemPath', 'serverKeyPath', 'caPemPath'], switchW: internalW });
  for (const { section, keys, switchW } of sections) {
    const slots = new Map<SlotRole, LoadedSlot>();
    const sample: string[] = [];
    for (const key of keys) {
      const w = winner(cfg, `${section}.${key}`);
      const value = w?.value?.trim();
      if (!w || !value) continue;
      // Mode 1: Milvus does not read caPemPath; only a CA the fragment names takes part.
      if (section === 'tls' && mode === 1 && key === 'caPemPath' && !local(w)) continue;
      const containerPath = path.posix.resolve('/milvus', value);
      if (!local(w)) {
        if (IMAGE_SAMPLE_CERTS.has(containerPath) && key !== 'caPemPath') sample.push(`${section}.${key}`);
        continue;
      }
      const at = shiftRange(w.setting!.valueRange, fr);
      const setting = `${section}.${key}`;
      const file = resolveSecretFile(containerPath, at, setting, pod, cc, out);
      if (!file) continue;
      const { secret, entry } = file;
      if (entry.content === undefined || !entry.content.includes('-----BEGIN ')) {
        out.push(
          diag(
            at,
            Severity.Error,
            'tls-file-wrong-kind',
            `${setting} needs PEM, but ${secretWhere(secret, entry.key, cc.ws)} holds ${entry.problem === 'double-base64' ? 'base64 of base64 (encoded twice)' : entry.problem === 'not-base64' ? 'data that is not base64' : 'no PEM block'}. Put the PEM ${ROLE[key] === 'server-key' ? 'private key' : 'certificate'} in it.`,
          ),
        );
        continue;
      }
      const where = secretWhere(secret, entry.key, cc.ws);
      const slot = loadInline(
        { role: ROLE[key], key: setting, range: at, consumer: 'go', where, docPath: where },
        entry.content,
        'Milvus',
        out,
      );
      if (slot) slots.set(slot.role, { ...slot, where: `${containerPath} → ${where}` });
    }
    if (sample.length && local(switchW))
      out.push(
        diag(
          shiftRange(switchW!.setting!.keyRange, fr),
          Severity.Warning,
          'milvus-sample-certificate',
          `${sample.join(' and ')} ${sample.length > 1 ? 'are' : 'is'} not set in ${fr.label}, so Milvus uses the sample certificate and key shipped in the image (/milvus/configs/cert/): Milvus starts, but that private key is published with the Milvus source. Set ${sample.join(' and ')} to your own files, mounted from a Secret.`,
        ),
      );
    const group: SlotGroup = {
      id: section,
      verifiesClients: section === 'tls' && mode === 2,
      caForClientsOnly: section === 'tls' && mode !== 2,
      words: {
        product: 'Milvus',
        caRejects:
          section === 'tls'
            ? 'clients given this CA (pymilvus ca_pem_path, curl --cacert) reject the server with "certificate signed by unknown authority"'
            : 'Milvus components verify each other with this CA and fail the internal handshake',
      },
    };
    if (section === 'internaltls') {
      const sni = winner(cfg, 'internaltls.sni');
      group.dialName = {
        value: sni?.value ? sni.value : 'localhost',
        setting: 'internaltls.sni',
        range: sni && local(sni) ? shiftRange(sni.setting!.valueRange, fr) : undefined,
      };
    }
    const found: Diagnostic[] = [];
    checkGroup(group, slots, cc, found);
    // The pipeline offers to generate a set beside a file; a Secret has no folder.
    for (const f of found) out.push(f.data ? { ...f, data: undefined } : f);
  }
}
