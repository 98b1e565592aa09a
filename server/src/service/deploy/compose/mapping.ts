/**
 * Container path ↔ host path through a service's mounts, and loading a compose
 * file through the workspace. Knows nothing of any one system's image.
 */
import * as path from 'node:path';
import type { Workspace } from '../../workspace';
import { composeEnv } from './env';
import type { Env } from './interpolate';
import { isWindowsAbsolute, parseComposeVolumes } from './volumes';
import type { ComposeModel, VolumeMount } from './volumes';
import { lspLines } from '../../text';

export type ContainerToHost =
  { hostPath: string; mount: VolumeMount } | { hostPath: undefined; reason: 'no-mount' | 'named-volume'; mount?: VolumeMount };

/** Absolute, normalised container path; relative paths resolve against the image's working directory. */
export function normaliseContainerPath(p: string, workdir = '/'): string {
  const s = String(p ?? '')
    .trim()
    .replace(/\\/g, '/');
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
export function containerToHost(containerPath: string, mounts: VolumeMount[], workdir = '/'): ContainerToHost {
  const p = normaliseContainerPath(containerPath, workdir);
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
