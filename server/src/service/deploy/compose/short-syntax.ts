/** compose-go's rules for the short volume syntax `HOST:CONTAINER[:MODE]` and for host paths. */
import * as os from 'node:os';
import * as path from 'node:path';

/** Compose's test for "this short-syntax source is a host path". */
export function isHostPathSource(source: string): boolean {
  if (!source) return false;
  const c = source[0];
  if (c === '.' || c === '/' || c === '~') return true;
  if (source.startsWith('\\\\')) return true;
  return /^\p{L}:/u.test(source);
}

export function isWindowsAbsolute(p: string): boolean {
  return /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

/** Absolute host path of a bind source, as compose resolves it. */
export function resolveHostPath(source: string, composePath: string): string {
  if (source === '~' || source.startsWith('~/') || source.startsWith('~\\')) {
    return path.join(os.homedir(), source.slice(1));
  }
  if (isWindowsAbsolute(source)) {
    return path.sep === '\\' ? path.resolve(source) : path.win32.normalize(source);
  }
  if (/^[A-Za-z]:$/.test(source)) return path.win32.normalize(source + '\\');
  return path.resolve(path.dirname(path.resolve(composePath)), source);
}

export function normaliseTarget(target: string): string {
  if (!target) return target;
  let t = target.replace(/\\/g, '/');
  t = path.posix.normalize(t);
  if (t.length > 1 && t.endsWith('/')) t = t.slice(0, -1);
  return t;
}

interface ShortParts {
  source?: [number, number];
  target?: [number, number];
  mode?: [number, number];
  error?: string;
}

/** compose-go's ParseVolume over an interpolated spec, keeping offsets. */
export function splitShortVolume(spec: string): ShortParts {
  const parts: ShortParts = {};
  if (spec.length === 0) return { error: 'empty volume entry' };
  if (spec.length <= 2) return { target: [0, spec.length] };
  let bufStart = 0;
  let bufLen = 0;
  const populate = (atEnd: boolean): string | undefined => {
    const span: [number, number] = [bufStart, bufStart + bufLen];
    if (bufLen === 0) return 'empty section between colons';
    if (!parts.source && atEnd) {
      parts.target = span;
      return undefined;
    }
    if (!parts.source) {
      parts.source = span;
      return undefined;
    }
    if (!parts.target) {
      parts.target = span;
      return undefined;
    }
    if (!atEnd) return 'too many colons';
    parts.mode = span;
    return undefined;
  };
  for (let i = 0; i < spec.length; i++) {
    const ch = spec[i];
    const driveColon = ch === ':' && bufLen === 1 && /\p{L}/u.test(spec[bufStart]);
    if (ch === ':' && !driveColon) {
      const err = populate(false);
      if (err) return { ...parts, error: err };
      bufStart = i + 1;
      bufLen = 0;
    } else {
      bufLen++;
    }
  }
  const err = populate(true);
  if (err) return { ...parts, error: err };
  return parts;
}
