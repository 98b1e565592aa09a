/**
 * A container path resolved the whole way a kubelet does it: volumeMount → volume → Secret (by name
 * and namespace, the document's own first, then the workspace's manifests) → key → the text of the
 * file the container reads. Each way it can break is its own result, so a target can word it and
 * put it on the line that breaks it.
 */
import { mountFor, type K8sContainerContext, type K8sVolume, type K8sVolumeMount } from './volumes';
import { findSecret, type SecretEntry, type SecretModel } from './secrets';
import type { Workspace } from '../../workspace';
import type { Range } from 'vscode-languageserver-types';

export type PodResolved =
  | { ok: true; containerPath: string; mount: K8sVolumeMount; volume: K8sVolume; secret: SecretModel; entry: SecretEntry }
  | { ok: false; reason: 'no-mount'; containerPath: string }
  | { ok: false; reason: 'volume-missing'; containerPath: string; mount: K8sVolumeMount }
  | { ok: false; reason: 'not-secret'; containerPath: string; mount: K8sVolumeMount; volume: K8sVolume }
  | { ok: false; reason: 'secret-not-found' | 'untrusted'; containerPath: string; mount: K8sVolumeMount; volume: K8sVolume }
  /** `via` names the line that chose the key: the path itself, the mount's subPath, or an item of the volume. */
  | {
      ok: false;
      reason: 'key-missing' | 'not-projected';
      containerPath: string;
      mount: K8sVolumeMount;
      volume: K8sVolume;
      secret: SecretModel;
      key: string;
      via: 'path' | 'subPath' | 'item';
      itemRange?: Range;
    };

export function resolveInPod(containerPath: string, pod: K8sContainerContext, local: SecretModel[], ws: Workspace): PodResolved {
  const hit = mountFor(containerPath, pod);
  if (hit.kind === 'no-mount') return { ok: false, reason: 'no-mount', containerPath: hit.containerPath };
  if (hit.kind === 'volume-missing') return { ok: false, reason: 'volume-missing', containerPath: hit.containerPath, mount: hit.mount };
  if (hit.kind === 'not-secret')
    return { ok: false, reason: 'not-secret', containerPath: hit.containerPath, mount: hit.mount, volume: hit.volume };
  const base = { containerPath: hit.containerPath, mount: hit.mount, volume: hit.volume };
  const found = findSecret(hit.volume.secret!.secretName, pod.namespace, pod.manifestPath, local, ws);
  if (!found.secret) return { ok: false, reason: found.untrusted ? 'untrusted' : 'secret-not-found', ...base };
  const secret = found.secret;
  const miss = { ...base, secret, key: hit.key, via: hit.via, itemRange: hit.itemRange };
  if (hit.notProjected) return { ok: false, reason: 'not-projected', ...miss };
  const entry = secret.byKey.get(hit.key);
  if (!entry) return { ok: false, reason: 'key-missing', ...miss };
  return { ok: true, ...base, secret, entry };
}
