/**
 * Container path ↔ host path through a service's mounts, and finding the
 * Milvus service / the compose file that mounts a given milvus.yaml.
 */
import * as path from 'node:path';
import type { Workspace } from '../workspace';
import { composeEnv } from './env';
import type { Env } from './interpolate';
import { isWindowsAbsolute, parseComposeVolumes } from './volumes';
import type { ComposeModel, ComposeService, VolumeMount } from './volumes';
import { lspLines } from '../text';

/** Working directory of the official Milvus image: relative paths in milvus.yaml resolve here. */
export const MILVUS_WORKDIR = '/milvus';
export const MILVUS_CONFIG_TARGET = '/milvus/configs/milvus.yaml';
export const MILVUS_USER_CONFIG_TARGET = '/milvus/configs/user.yaml';

export type ContainerToHost =
  | { hostPath: string; mount: VolumeMount }
  | { hostPath: undefined; reason: 'no-mount' | 'named-volume'; mount?: VolumeMount };

/** Absolute, normalised container path; relative paths resolve against `/milvus`. */
export function normaliseContainerPath(p: string, workdir = MILVUS_WORKDIR): string {
  const s = String(p ?? '').trim().replace(/\\/g, '/');
  const abs = s.startsWith('/') ? path.posix.normalize(s) : path.posix.resolve(workdir, s);
  return abs.length > 1 && abs.endsWith('/') ? abs.slice(0, -1) : abs;
}

/** Remainder of `p` under `target` ('' when equal), or undefined when not under it. */
function under(p: string, target: string): string | undefined {
  if (p === target) return '';
  if (target === '/') return p.slice(1);
  if (p.startsWith(target + '/')) return p.slice(target.length + 1);
  return undefined;
}

function hostPathApi(p: string): typeof path.posix {
  return isWindowsAbsolute(p) && path.sep !== '\\' ? path.win32 : path;
}

/** Maps a container path to the host file behind it: the longest mount target covering it wins. */
export function containerToHost(containerPath: string, mounts: VolumeMount[]): ContainerToHost {
  const p = normaliseContainerPath(containerPath);
  let best: VolumeMount | undefined;
  let bestRest = '';
  for (const m of mounts ?? []) {
    if (!m || !m.target || !m.target.startsWith('/')) continue;
    const rest = under(p, m.target);
    if (rest === undefined) continue;
    if (!best || m.target.length > best.target.length) {
      best = m;
      bestRest = rest;
    }
  }
  if (!best) return { hostPath: undefined, reason: 'no-mount' };
  if (best.type !== 'bind' || !best.hostPath) return { hostPath: undefined, reason: 'named-volume', mount: best };
  const api = hostPathApi(best.hostPath);
  const hostPath = bestRest ? api.join(best.hostPath, ...bestRest.split('/')) : best.hostPath;
  return { hostPath, mount: best };
}

/** Container path at which a host file is visible, through the bind mount with the longest host path covering it. */
export function hostToContainer(hostPath: string, mounts: VolumeMount[]): string | undefined {
  if (!hostPath) return undefined;
  let bestLen = -1;
  let result: string | undefined;
  for (const m of mounts ?? []) {
    if (!m || m.type !== 'bind' || !m.hostPath || !m.target || !m.target.startsWith('/')) continue;
    const api = hostPathApi(m.hostPath);
    const abs = api.resolve(hostPath);
    const rel = api.relative(m.hostPath, abs);
    if (rel.startsWith('..') || api.isAbsolute(rel)) continue;
    if (m.hostPath.length <= bestLen) continue;
    bestLen = m.hostPath.length;
    const parts = rel ? rel.split(/[\\/]+/) : [];
    result = parts.length ? path.posix.join(m.target, ...parts) : m.target;
  }
  return result;
}

const MILVUS_CONFIG_NAME = /^(milvus[^/\\]*|user)\.ya?ml$/i;

/** Whether a host file name looks like a Milvus config (milvus*.yaml, user.yaml). */
export function isMilvusConfigName(hostPath: string): boolean {
  return MILVUS_CONFIG_NAME.test(path.basename(hostPath.replace(/\\/g, '/')));
}

/**
 * The bind mount that carries a Milvus config file into the service:
 * preferably the one at /milvus/configs/milvus.yaml, then user.yaml, then a
 * host milvus*.yaml / user.yaml file, then any *.yaml under /milvus/configs/.
 * A whole-folder mount (./configs:/milvus/configs) is not returned: use
 * `milvusConfigHostPath` for the file behind it.
 */
export function findMilvusConfigMount(service: ComposeService): VolumeMount | undefined {
  let best: VolumeMount | undefined;
  let bestScore = 0;
  for (const m of service?.volumes ?? []) {
    if (m.type !== 'bind' || !m.hostPath) continue;
    let score = 0;
    if (m.target === MILVUS_CONFIG_TARGET) score = 4;
    else if (m.target === MILVUS_USER_CONFIG_TARGET) score = 3;
    else if (isMilvusConfigName(m.hostPath)) score = 2;
    else if (m.target.startsWith('/milvus/configs/') && /\.ya?ml$/i.test(m.target)) score = 1;
    if (score > bestScore) {
      best = m;
      bestScore = score;
    }
  }
  return best;
}

/** Host path of the milvus.yaml the service reads, when a bind mount provides one. */
export function milvusConfigHostPath(service: ComposeService): string | undefined {
  const direct = containerToHost(MILVUS_CONFIG_TARGET, service?.volumes ?? []);
  if (direct.hostPath) return direct.hostPath;
  const m = findMilvusConfigMount(service);
  if (m?.hostPath && isMilvusConfigName(m.hostPath)) return m.hostPath;
  return undefined;
}

/** Whether a service looks like Milvus by image or name (not by mounts). */
export function looksLikeMilvusService(service: ComposeService): boolean {
  const image = (service.image ?? '').toLowerCase();
  if (/(^|\/)milvus(:|@|$)/.test(image) || image.includes('milvusdb/milvus')) return true;
  const name = service.name.toLowerCase();
  return name === 'standalone' || name === 'milvus' || name === 'milvus-standalone';
}

/** The Milvus service of a compose model: by image, then by name, then by a mounted milvus config. */
export function findMilvusService(model: ComposeModel): ComposeService | undefined {
  const services = model?.services ?? [];
  return (
    services.find((s) => (s.image ?? '').toLowerCase().includes('milvusdb/milvus')) ??
    services.find((s) => {
      const img = (s.image ?? '').toLowerCase();
      return /(^|\/)milvus(:|@|$)/.test(img) || (img.includes('milvus') && !img.includes('attu'));
    }) ??
    services.find((s) => ['standalone', 'milvus', 'milvus-standalone'].includes(s.name.toLowerCase())) ??
    services.find((s) => findMilvusConfigMount(s) !== undefined)
  );
}

export interface LoadedCompose {
  composePath: string;
  model: ComposeModel;
  env: Record<string, string | undefined>;
  dotEnvPath?: string;
}

/** Reads (through the workspace) and parses a compose file; undefined when it cannot be read. */
export function loadComposeModel(composePath: string, ws: Workspace, processEnv: Env): LoadedCompose | undefined {
  try {
    const abs = path.resolve(composePath);
    const r = ws.read(abs);
    if (!r.ok) return undefined;
    const { env, dotEnvPath } = composeEnv(abs, ws, processEnv);
    const text = lspLines(Buffer.from(r.bytes).toString('utf8'));
    return { composePath: abs, model: parseComposeVolumes(text, abs, env), env, dotEnvPath };
  } catch {
    return undefined;
  }
}
