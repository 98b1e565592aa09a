/**
 * Maps a path written in milvus.yaml to the host file Milvus would open: through
 * the compose mounts of the service that mounts this milvus.yaml (or the compose
 * file beside it), or, with no compose file, as a path on this machine.
 */
import * as path from 'node:path';
import type { Workspace } from '../workspace';
import { composeEnv, containerToHost, findMilvusService, findMilvusConfigMount, loadComposeModel, MILVUS_WORKDIR } from '../compose';
import type { ComposeModel, ComposeService, VolumeMount } from '../compose';

export { MILVUS_WORKDIR };

export interface DeployContext {
  kind: 'compose' | 'host';
  composePath?: string;
  service?: ComposeService;
  /** The volume entry that mounts this milvus.yaml, if any. */
  configMount?: VolumeMount;
  /** Folder relative paths resolve against on the host, in host mode. */
  hostBase: string;
}

export type Resolved =
  | { ok: true; hostPath: string; containerPath?: string; mount?: VolumeMount }
  | { ok: false; containerPath: string; reason: 'no-mount' | 'named-volume'; mount?: VolumeMount };

/** `*compose*.y*ml`, as VS Code's Docker extension associates compose files. */
const COMPOSE_NAME = /compose.*\.y[^.]*ml$/i;

export function isComposeFileName(file: string): boolean {
  return COMPOSE_NAME.test(path.basename(file));
}

/** Compose model of a file, cached by the workspace on the file's and its .env's mtimes (edits re-check in a few ms). */
export function loadCompose(composePath: string, ws: Workspace, processEnv: Record<string, string | undefined>): ComposeModel | undefined {
  const { dotEnvPath } = composeEnv(composePath, ws, processEnv);
  const envKey = dotEnvPath ? String((ws.read(dotEnvPath) as { mtimeMs?: number }).mtimeMs ?? '') : '';
  return ws.derive(composePath, 'compose-model:' + envKey, () => loadComposeModel(composePath, ws, processEnv)?.model);
}

/** Compose files in the milvus.yaml's folder and up to two folders above it (a `configs/` layout). */
export function candidateComposeFiles(milvusPath: string, ws: Workspace): string[] {
  const out: string[] = [];
  let dir = path.dirname(path.resolve(milvusPath));
  for (let depth = 0; depth < 3; depth++) {
    if (!ws.isInsideRoots(dir) && depth > 0) break;
    for (const name of ws.list(dir).sort()) if (isComposeFileName(name)) out.push(path.join(dir, name));
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return out;
}

export function deployContext(milvusPath: string, ws: Workspace, processEnv: Record<string, string | undefined>): DeployContext {
  const abs = path.resolve(milvusPath);
  const candidates = candidateComposeFiles(abs, ws);
  let fallback: DeployContext | undefined;
  for (const c of candidates) {
    const model = loadCompose(c, ws, processEnv);
    if (!model) continue;
    for (const svc of model.services) {
      const m = svc.volumes.find((v) => v.type === 'bind' && v.hostPath && path.resolve(v.hostPath) === abs);
      if (m) return { kind: 'compose', composePath: c, service: svc, configMount: m, hostBase: path.dirname(abs) };
    }
    if (!fallback && path.dirname(c) === path.dirname(abs)) {
      const svc = findMilvusService(model);
      if (svc) fallback = { kind: 'compose', composePath: c, service: svc, configMount: findMilvusConfigMount(svc), hostBase: path.dirname(abs) };
    }
  }
  if (fallback) return fallback;
  // Milvus run from a source checkout or a tarball: cwd is the folder holding `configs/`.
  const dir = path.dirname(abs);
  const hostBase = path.basename(dir) === 'configs' ? path.dirname(dir) : dir;
  return { kind: 'host', hostBase };
}

export function resolvePath(value: string, ctx: DeployContext): Resolved {
  if (ctx.kind === 'host' || !ctx.service) {
    const expanded = value.startsWith('~/') ? path.join(process.env.HOME ?? '/', value.slice(2)) : value;
    return { ok: true, hostPath: path.resolve(ctx.hostBase, expanded) };
  }
  const containerPath = path.posix.resolve(MILVUS_WORKDIR, value.replace(/\\/g, '/'));
  const r = containerToHost(containerPath, ctx.service.volumes);
  if (r.hostPath !== undefined) return { ok: true, hostPath: r.hostPath, containerPath, mount: r.mount };
  return { ok: false, containerPath, reason: r.reason, mount: r.mount };
}
