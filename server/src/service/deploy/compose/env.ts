/**
 * The variables docker compose interpolates a compose file with: the `.env`
 * file beside the compose file, overridden by the process environment (as
 * `docker compose` does). Reads go through the Workspace only.
 */
import * as path from 'node:path';
import type { Workspace } from '../../workspace';
import { parseDotEnv } from './interpolate';
import type { Env } from './interpolate';

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
