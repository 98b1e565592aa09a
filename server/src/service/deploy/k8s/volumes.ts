/**
 * A pod's volumes and a container's volumeMounts (core/v1 Volume, VolumeMount), read from any
 * place that holds them: a Deployment's pod template, a Milvus CR's spec.components (global and
 * per component), a Helm values file's volumes/volumeMounts.
 */
import * as path from 'node:path';
import { isMap, type Node as YamlNode } from 'yaml';
import type { Range } from 'vscode-languageserver-types';
import { bool, get, items, rangeOf, str, type ManifestFile } from './manifest';

export interface K8sVolumeMount {
  name: string;
  mountPath: string;
  subPath?: string;
  range: Range;
  nameRange: Range;
  mountPathRange: Range;
  subPathRange?: Range;
}

export interface SecretItem {
  key: string;
  path: string;
  keyRange: Range;
}

export interface K8sVolume {
  name: string;
  range: Range;
  nameRange: Range;
  /** `secret:` source; absent for configMap, emptyDir, persistentVolumeClaim, … */
  secret?: { secretName: string; nameRange: Range; items?: SecretItem[]; optional: boolean; defaultMode?: number };
  /** The source kind, for messages: "configMap". */
  source: string;
}

export interface K8sContainerContext {
  kind: 'k8s';
  /** Absolute path of the manifest or values file. */
  manifestPath: string;
  /** "the proxy of Milvus my-release", "Deployment web, container app". */
  label: string;
  namespace?: string;
  mounts: K8sVolumeMount[];
  volumes: K8sVolume[];
}

export function readMounts(f: ManifestFile, seq: YamlNode | undefined): K8sVolumeMount[] {
  const out: K8sVolumeMount[] = [];
  for (const m of items(seq)) {
    if (!isMap(m)) continue;
    const name = str(get(m, 'name'));
    const mountPath = str(get(m, 'mountPath'));
    if (name === undefined || mountPath === undefined) continue;
    const sub = get(m, 'subPath');
    out.push({
      name,
      mountPath,
      subPath: str(sub) || undefined,
      range: rangeOf(f, m),
      nameRange: rangeOf(f, get(m, 'name')),
      mountPathRange: rangeOf(f, get(m, 'mountPath')),
      subPathRange: sub ? rangeOf(f, sub) : undefined,
    });
  }
  return out;
}

export function readVolumes(f: ManifestFile, seq: YamlNode | undefined): K8sVolume[] {
  const out: K8sVolume[] = [];
  for (const v of items(seq)) {
    if (!isMap(v)) continue;
    const name = str(get(v, 'name'));
    if (name === undefined) continue;
    const source = v.items.map((p) => String((p.key as { value?: unknown })?.value ?? '')).find((k) => k !== 'name') ?? 'unknown';
    const vol: K8sVolume = { name, range: rangeOf(f, v), nameRange: rangeOf(f, get(v, 'name')), source };
    const s = get(v, 'secret');
    if (isMap(s)) {
      const sn = get(s, 'secretName');
      const its = get(s, 'items');
      const mode = get(s, 'defaultMode');
      vol.secret = {
        secretName: str(sn) ?? '',
        nameRange: rangeOf(f, sn ?? s),
        optional: bool(get(s, 'optional')) ?? false,
        defaultMode: typeof (mode as { value?: unknown })?.value === 'number' ? ((mode as { value: number }).value as number) : undefined,
        items: its
          ? items(its).flatMap((it) => {
              const key = str(get(it, 'key'));
              const p = str(get(it, 'path'));
              return key !== undefined && p !== undefined ? [{ key, path: p, keyRange: rangeOf(f, get(it, 'key')) }] : [];
            })
          : undefined,
      };
    }
    out.push(vol);
  }
  return out;
}

export type MountHit =
  | { kind: 'no-mount'; containerPath: string }
  | { kind: 'volume-missing'; containerPath: string; mount: K8sVolumeMount }
  | { kind: 'not-secret'; containerPath: string; mount: K8sVolumeMount; volume: K8sVolume }
  /** The Secret key the file comes from; `via` says which line names it. */
  | {
      kind: 'secret';
      containerPath: string;
      mount: K8sVolumeMount;
      volume: K8sVolume;
      key: string;
      via: 'path' | 'subPath' | 'item';
      /** No item of the volume's `items:` projects this file. */
      notProjected?: boolean;
      itemRange?: Range;
    };

/**
 * Which volume file a container path is (kubelet: a mount without subPath shows the volume's
 * files under mountPath; with subPath, mountPath is that one entry; a secret volume holds one file
 * per key, or only the `items` it lists, each at its `path`). The deepest covering mount wins.
 */
export function mountFor(containerPath: string, ctx: K8sContainerContext): MountHit {
  const p = path.posix.normalize(containerPath);
  let best: K8sVolumeMount | undefined;
  for (const m of ctx.mounts) {
    const mp = path.posix.normalize(m.mountPath).replace(/\/+$/, '') || '/';
    const covers = m.subPath ? p === mp : p === mp || p.startsWith(mp === '/' ? '/' : mp + '/');
    if (covers && (!best || mp.length >= path.posix.normalize(best.mountPath).replace(/\/+$/, '').length)) best = m;
  }
  if (!best) return { kind: 'no-mount', containerPath: p };
  const volume = ctx.volumes.find((v) => v.name === best!.name);
  if (!volume) return { kind: 'volume-missing', containerPath: p, mount: best };
  if (!volume.secret) return { kind: 'not-secret', containerPath: p, mount: best, volume };
  const mp = path.posix.normalize(best.mountPath).replace(/\/+$/, '');
  const file = best.subPath ? path.posix.normalize(best.subPath) : p.slice(mp.length + 1);
  const via = best.subPath ? 'subPath' : 'path';
  const its = volume.secret.items;
  if (its) {
    const item = its.find((i) => path.posix.normalize(i.path) === file);
    if (!item) return { kind: 'secret', containerPath: p, mount: best, volume, key: file, via, notProjected: true };
    return { kind: 'secret', containerPath: p, mount: best, volume, key: item.key, via: 'item', itemRange: item.keyRange };
  }
  return { kind: 'secret', containerPath: p, mount: best, volume, key: file, via };
}
