/**
 * The variables docker compose interpolates a compose file with: the `.env`
 * file beside the compose file, overridden by the process environment (as
 * `docker compose` does). Reads go through the Workspace only.
 */
import * as path from 'node:path';
import type { Workspace } from '../../workspace';
import { parseDotEnv } from './interpolate';
import type { Env } from './interpolate';
import type { Range } from 'vscode-languageserver-types';
import type { ComposeService } from './model';

export interface ComposeEnv {
  env: Record<string, string | undefined>;
  /** The `.env` file that contributed, when one was read. */
  dotEnvPath?: string;
}

export function composeEnv(composePath: string, ws: Workspace, processEnv: Env): ComposeEnv {
  const base: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(processEnv ?? {})) if (typeof v === 'string') base[k] = v;
  let dotEnvPath: string | undefined;
  try {
    const candidate = path.join(path.dirname(path.resolve(composePath)), '.env');
    const r = ws.read(candidate);
    if (r.ok) {
      dotEnvPath = r.path;
      const text = Buffer.from(r.bytes).toString('utf8');
      const fromFile = parseDotEnv(text, base);
      return { env: { ...fromFile, ...base }, dotEnvPath };
    }
  } catch {
    /* never throw: fall back to the process environment */
  }
  return { env: base, dotEnvPath };
}

/** A variable the container of a service gets, with where it is set. */
export interface ServiceVariable {
  name: string;
  value: string;
  via: 'environment' | 'env_file';
  /** The file that sets it (the compose file, or the env_file) and the 0-based line there. */
  file: string;
  line: number;
  /** Range in `file`. */
  range: Range;
  /** Range in the compose file: the `environment:` entry, or the `env_file:` entry that brings it. */
  composeRange: Range;
}

/**
 * The variables a service's container gets from the compose file, as docker compose sets them:
 * `env_file:` files in order (later wins), then `environment:` over all. A bare `KEY` takes the
 * value from the environment docker compose runs in (`interpolationEnv`). Reads go through the Workspace.
 */
export function serviceVariables(
  service: ComposeService,
  composePath: string,
  ws: Workspace,
  interpolationEnv: Env,
): Map<string, ServiceVariable> {
  const out = new Map<string, ServiceVariable>();
  for (const f of service.envFiles ?? []) {
    const r = ws.read(f.hostPath);
    if (!r.ok) continue;
    const lines = Buffer.from(r.bytes)
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/);
    lines.forEach((text, line) => {
      const m = /^\s*(?:export\s+)?([A-Za-z0-9_.\-/]+)\s*(=|:)?/.exec(text);
      if (!m || text.trimStart().startsWith('#')) return;
      const parsed = parseDotEnv(text, interpolationEnv);
      const value = parsed[m[1]];
      if (value === undefined) return;
      const start = text.indexOf(m[1]);
      out.set(m[1], {
        name: m[1],
        value,
        via: 'env_file',
        file: f.hostPath,
        line,
        range: { start: { line, character: start }, end: { line, character: text.length } },
        composeRange: f.range,
      });
    });
  }
  for (const e of service.environment ?? []) {
    const value = e.value ?? (typeof interpolationEnv[e.name] === 'string' ? interpolationEnv[e.name] : undefined);
    if (value === undefined) continue;
    out.set(e.name, {
      name: e.name,
      value,
      via: 'environment',
      file: path.resolve(composePath),
      line: e.range.start.line,
      range: e.range,
      composeRange: e.range,
    });
  }
  return out;
}
