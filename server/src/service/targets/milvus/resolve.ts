/**
 * Maps a path written in milvus.yaml to the host file Milvus would open: through
 * the compose mounts of the service that mounts this milvus.yaml (or the Milvus
 * service of the compose file beside it), or, with no compose file, as a path on
 * this machine relative to the folder Milvus runs in.
 */
import * as path from 'node:path';
import type { Workspace } from '../../workspace';
import { candidateComposeFiles, loadCompose, serviceMounting, type ComposeService, type VolumeMount } from '../../deploy/compose';
import { resolveThrough, type Resolved } from '../../deploy/context';
import { findMilvusService, findMilvusConfigMount, MILVUS_WORKDIR } from './deploy';

export type { Resolved };

export interface DeployContext {
  kind: 'compose' | 'host';
  composePath?: string;
  service?: ComposeService;
  /** The volume entry that mounts this milvus.yaml, if any. */
  configMount?: VolumeMount;
  /** Folder relative paths resolve against on the host, in host mode. */
  hostBase: string;
}

export function deployContext(milvusPath: string, ws: Workspace, processEnv: Record<string, string | undefined>): DeployContext {
  const abs = path.resolve(milvusPath);
  const mounted = serviceMounting(abs, ws, processEnv);
  if (mounted)
    return {
      kind: 'compose',
      composePath: mounted.composePath,
      service: mounted.service,
      configMount: mounted.mount,
      hostBase: path.dirname(abs),
    };
  // No service mounts this file: the Milvus service of a compose file in the same folder is the best guess.
  for (const c of candidateComposeFiles(abs, ws)) {
    if (path.dirname(c) !== path.dirname(abs)) continue;
    const model = loadCompose(c, ws, processEnv);
    const svc = model && findMilvusService(model);
    if (svc) return { kind: 'compose', composePath: c, service: svc, configMount: findMilvusConfigMount(svc), hostBase: path.dirname(abs) };
  }
  // Milvus run from a source checkout or a tarball: cwd is the folder holding `configs/`.
  const dir = path.dirname(abs);
  const hostBase = path.basename(dir) === 'configs' ? path.dirname(dir) : dir;
  return { kind: 'host', hostBase };
}

export function resolvePath(value: string, ctx: DeployContext): Resolved {
  if (ctx.kind === 'host' || !ctx.service) return resolveThrough(value, { kind: 'host', hostBase: ctx.hostBase });
  return resolveThrough(value, {
    kind: 'compose',
    composePath: ctx.composePath ?? '',
    serviceName: ctx.service.name,
    volumes: ctx.service.volumes,
    workdir: MILVUS_WORKDIR,
  });
}
