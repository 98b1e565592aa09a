/**
 * How a path written in a config reaches a file on this machine. A target builds
 * one of these for a document (from compose mounts, later Kubernetes volumeMounts),
 * and the TLS pipeline resolves every slot through it without knowing which.
 */
import * as path from 'node:path';
import type { VolumeMount } from './compose';
import { containerToHost } from './compose';

export type Resolved =
  | { ok: true; hostPath: string; containerPath?: string; mount?: VolumeMount }
  | { ok: false; containerPath: string; reason: 'no-mount' | 'named-volume'; mount?: VolumeMount };

/** A container of a compose service. */
export interface ComposeContainerContext {
  kind: 'compose';
  composePath: string;
  serviceName: string;
  volumes: VolumeMount[];
  /** The image's working directory: relative paths in the config resolve against it. */
  workdir: string;
}

/** A container of a Kubernetes pod (a Milvus component): its volumeMounts and the pod's volumes; resolveInPod (deploy/k8s/resolve.ts) follows a path to a Secret key. */
export { resolveInPod, type PodResolved } from './k8s/resolve';
export type { K8sContainerContext } from './k8s/volumes';
import type { K8sContainerContext } from './k8s/volumes';

export type ContainerContext = ComposeContainerContext | K8sContainerContext;

export interface HostContext {
  kind: 'host';
  /** Folder relative paths resolve against. */
  hostBase: string;
}

/** A path as the process that reads it sees it, mapped back to the host file. */
export function resolveThrough(value: string, ctx: ComposeContainerContext | HostContext, home = process.env.HOME ?? '/'): Resolved {
  if (ctx.kind === 'host') {
    const expanded = value.startsWith('~/') ? path.join(home, value.slice(2)) : value;
    return { ok: true, hostPath: path.resolve(ctx.hostBase, expanded) };
  }
  const containerPath = path.posix.resolve(ctx.workdir, value.replace(/\\/g, '/'));
  const r = containerToHost(containerPath, ctx.volumes, ctx.workdir);
  if (r.hostPath !== undefined) return { ok: true, hostPath: r.hostPath, containerPath, mount: r.mount };
  return { ok: false, containerPath, reason: r.reason, mount: r.mount };
}
