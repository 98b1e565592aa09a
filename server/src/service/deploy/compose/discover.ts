/**
 * Finding compose files and the service that mounts a given host file, for any
 * target: which image runs there is the target's business, not this room's.
 */
import * as path from 'node:path';
import type { Workspace } from '../../workspace';
import { composeEnv } from './env';
import { hostToContainer, loadComposeModel } from './mapping';
import type { Env } from './interpolate';
import type { ComposeModel, ComposeService, VolumeMount } from './model';

/** `*compose*.y*ml`, as VS Code's Docker extension associates compose files. */
const COMPOSE_NAME = /compose.*\.y[^.]*ml$/i;

export function isComposeFileName(file: string): boolean {
  return COMPOSE_NAME.test(path.basename(file));
}

/** The top-level keys of the Compose Specification (compose-go's schema); `x-*` extensions are allowed too. */
const COMPOSE_TOP_KEYS = new Set(['version', 'name', 'include', 'services', 'networks', 'volumes', 'configs', 'secrets', 'models']);

/**
 * Whether a YAML text is shaped like a compose file, as docker compose reads it: its top-level keys
 * are compose's (with `services:` or `include:`), whatever the file is called. A text with no
 * top-level key yet (a new, empty file) is left to the name. A line scan, no parse.
 */
export function composeShape(source: string): 'compose' | 'other' | 'empty' {
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const keys: string[] = [];
  const re = /^(?:"([^"]*)"|'([^']*)'|([^-\s#'"{[][^:#]*?))\s*:(?:\s|$)/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    keys.push(m[1] ?? m[2] ?? m[3]);
    if (keys.length > 64) break;
  }
  if (keys.length === 0) return 'empty';
  if (!keys.some((k) => k === 'services' || k === 'include')) return 'other';
  return keys.every((k) => COMPOSE_TOP_KEYS.has(k) || k.startsWith('x-')) ? 'compose' : 'other';
}

/**
 * Compose model of a file, cached by the workspace per document version (open) or mtime (on disk),
 * and on its .env's mtime: validation, hover and the cross-file checks share one parse.
 */
export function loadCompose(composePath: string, ws: Workspace, processEnv: Env): ComposeModel | undefined {
  const { dotEnvPath } = composeEnv(composePath, ws, processEnv);
  const envKey = dotEnvPath ? String((ws.read(dotEnvPath) as { mtimeMs?: number }).mtimeMs ?? '') : '';
  return ws.derive(composePath, 'compose-model:' + envKey, () => loadComposeModel(composePath, ws, processEnv)?.model);
}

/** Compose files in a file's folder and up to two folders above it (a `configs/` layout). */
export function candidateComposeFiles(file: string, ws: Workspace): string[] {
  const out: string[] = [];
  let dir = path.dirname(path.resolve(file));
  for (let depth = 0; depth < 3; depth++) {
    if (!ws.isInsideRoots(dir) && depth > 0) break;
    for (const name of ws.list(dir).sort()) if (isComposeFileName(name)) out.push(path.join(dir, name));
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return out;
}

/** The service (and its volume entry) that bind-mounts exactly this host file, in the nearest compose file. */
export function serviceMounting(
  file: string,
  ws: Workspace,
  processEnv: Env,
): { composePath: string; model: ComposeModel; service: ComposeService; mount: VolumeMount } | undefined {
  const abs = path.resolve(file);
  for (const c of candidateComposeFiles(abs, ws)) {
    const model = loadCompose(c, ws, processEnv);
    if (!model) continue;
    for (const service of model.services) {
      const mount = service.volumes.find((v) => v.type === 'bind' && v.hostPath && path.resolve(v.hostPath) === abs);
      if (mount) return { composePath: c, model, service, mount };
    }
  }
  return undefined;
}

/** The services (of the compose files near a host file) whose bind mounts make it visible in their container, with the container path. */
export function servicesSeeing(
  file: string,
  ws: Workspace,
  processEnv: Env,
): { composePath: string; service: ComposeService; containerPath: string }[] {
  const abs = path.resolve(file);
  const out: { composePath: string; service: ComposeService; containerPath: string }[] = [];
  for (const c of candidateComposeFiles(abs, ws)) {
    const model = loadCompose(c, ws, processEnv);
    for (const service of model?.services ?? []) {
      const containerPath = hostToContainer(abs, service.volumes);
      if (containerPath) out.push({ composePath: c, service, containerPath });
    }
  }
  return out;
}
