/**
 * Docker compose variable interpolation and `.env` parsing, with the same
 * semantics as compose-go (the library behind `docker compose`):
 *
 * - `$$` is a literal `$`.
 * - `$VAR` / `${VAR}`: the value; an unset variable warns and becomes "".
 * - `${VAR:-d}` default when unset OR empty, `${VAR-d}` only when unset.
 * - `${VAR:?e}` error when unset or empty, `${VAR?e}` only when unset.
 * - `${VAR:+a}` `a` when set and non-empty, `${VAR+a}` `a` when set.
 * - Defaults / alternatives / messages are themselves interpolated, so
 *   `${A:-${B:-x}}` nests.
 * - Only a `${` that is unclosed or holds no valid expression (`${}`,
 *   `${1A}`, `${A:x}`) is an "invalid interpolation format" error: compose
 *   refuses the file. Any other lone `$` (`$(date)`, `^re$`, `5$`, `$1`) is
 *   kept as it is, as compose-go (docker compose >= 2.11) does: its pattern
 *   has the `invalid` alternative only after `{`.
 *
 * Besides the value this keeps, for every output character, where it came
 * from in the input, so callers can put diagnostics on exact characters of
 * a split result (the host part of `HOST:CONTAINER`).
 */

export type InterpolationProblemKind = 'unset' | 'required' | 'invalid';

export interface InterpolationProblem {
  message: string;
  /** Offset of the offending `$…` expression in the input string. */
  offset: number;
  length: number;
  kind: InterpolationProblemKind;
  /** The variable name, when there is one. */
  variable?: string;
}

export interface InterpolationResult {
  value: string;
  problems: InterpolationProblem[];
}

export interface DetailedInterpolation extends InterpolationResult {
  /** For output char i: input offset where the text producing it starts. */
  starts: number[];
  /** For output char i: input offset just after the text producing it. */
  ends: number[];
}

export type Env = Record<string, string | undefined>;

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

function lookup(env: Env, name: string): string | undefined {
  if (!Object.prototype.hasOwnProperty.call(env, name)) return undefined;
  const v = env[name];
  return typeof v === 'string' ? v : undefined;
}

class Builder {
  text = '';
  starts: number[] = [];
  ends: number[] = [];
  push(s: string, start: number, end: number): void {
    this.text += s;
    for (let i = 0; i < s.length; i++) {
      this.starts.push(start);
      this.ends.push(end);
    }
  }
  /** Appends `s` whose characters map one to one onto input from `start`. */
  pushLiteral(s: string, start: number): void {
    this.text += s;
    for (let i = 0; i < s.length; i++) {
      this.starts.push(start + i);
      this.ends.push(start + i + 1);
    }
  }
}

const MAX_DEPTH = 32;

function run(src: string, from: number, to: number, env: Env, out: Builder, problems: InterpolationProblem[], depth: number): void {
  let i = from;
  while (i < to) {
    const c = src[i];
    if (c !== '$') {
      // copy a run of plain characters at once
      let j = i + 1;
      while (j < to && src[j] !== '$') j++;
      out.pushLiteral(src.slice(i, j), i);
      i = j;
      continue;
    }
    const n = i + 1 < to ? src[i + 1] : '';
    if (n === '$') {
      out.push('$', i, i + 2);
      i += 2;
      continue;
    }
    if (n !== '' && NAME_START.test(n)) {
      let j = i + 2;
      while (j < to && NAME_CHAR.test(src[j])) j++;
      const name = src.slice(i + 1, j);
      const v = lookup(env, name);
      if (v === undefined) problems.push(unsetProblem(name, i, j - i));
      else out.push(v, i, j);
      i = j;
      continue;
    }
    if (n === '{') {
      // find the closing brace, counting nested `${`
      let depthBraces = 1;
      let k = i + 2;
      while (k < to) {
        if (src[k] === '$' && src[k + 1] === '{' && k + 1 < to) {
          depthBraces++;
          k += 2;
          continue;
        }
        if (src[k] === '}') {
          depthBraces--;
          if (depthBraces === 0) break;
        }
        k++;
      }
      if (k >= to) {
        problems.push(invalidProblem(src.slice(i, to), i, to - i, 'the "${" is never closed with "}"'));
        i = to;
        continue;
      }
      evalBraced(src, i, k, env, out, problems, depth);
      i = k + 1;
      continue;
    }
    // a lone `$` (not `$$`, `$NAME` or `${`): compose-go keeps it as it is
    out.pushLiteral('$', i);
    i += 1;
  }
}

/** Evaluates `${…}` spanning src[start] = '$' … src[close] = '}'. */
function evalBraced(
  src: string,
  start: number,
  close: number,
  env: Env,
  out: Builder,
  problems: InterpolationProblem[],
  depth: number,
): void {
  const exprEnd = close + 1;
  const inner = src.slice(start + 2, close);
  const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(inner);
  if (!m) {
    problems.push(invalidProblem(src.slice(start, exprEnd), start, exprEnd - start, 'a variable name must follow "${"'));
    return;
  }
  const name = m[0];
  const afterName = start + 2 + name.length;
  const v = lookup(env, name);
  if (afterName === close) {
    if (v === undefined) problems.push(unsetProblem(name, start, exprEnd - start));
    else out.push(v, start, exprEnd);
    return;
  }
  const opMatch = /^(:?)([-+?])/.exec(src.slice(afterName, Math.min(close, afterName + 2)));
  if (!opMatch) {
    problems.push(
      invalidProblem(src.slice(start, exprEnd), start, exprEnd - start, `"${src[afterName]}" after the name; use one of :- - :? ? :+ +`),
    );
    return;
  }
  const colon = opMatch[1] === ':';
  const op = opMatch[2];
  const restFrom = afterName + opMatch[0].length;
  const present = colon ? v !== undefined && v !== '' : v !== undefined;
  const sub = (): Builder => {
    const b = new Builder();
    if (depth >= MAX_DEPTH) {
      problems.push(invalidProblem(src.slice(start, exprEnd), start, exprEnd - start, 'nested too deeply'));
      return b;
    }
    run(src, restFrom, close, env, b, problems, depth + 1);
    return b;
  };
  // text produced by a default / alternative maps onto the whole `${…}` expression
  const whole = (b: Builder): void => out.push(b.text, start, exprEnd);
  if (op === '-') {
    if (present) out.push(v as string, start, exprEnd);
    else whole(sub());
  } else if (op === '+') {
    if (present) whole(sub());
  } else {
    // '?': required
    if (present) {
      out.push(v as string, start, exprEnd);
    } else {
      const msg = sub().text;
      problems.push({
        kind: 'required',
        variable: name,
        offset: start,
        length: exprEnd - start,
        message:
          `required variable ${name} is missing a value${msg ? `: ${msg}` : ''}; docker compose refuses to start ` +
          `until ${name} is set${colon ? ' to a non-empty value' : ''} in the environment or the .env file`,
      });
    }
  }
}

function unsetProblem(name: string, offset: number, length: number): InterpolationProblem {
  return {
    kind: 'unset',
    variable: name,
    offset,
    length,
    message: `variable ${name} is not set; docker compose substitutes an empty string`,
  };
}

function invalidProblem(text: string, offset: number, length: number, why: string): InterpolationProblem {
  return {
    kind: 'invalid',
    offset,
    length,
    message: `invalid interpolation format "${text}": ${why}; docker compose refuses the file (write $$ for a literal $)`,
  };
}

/** Interpolation with a map from every output character back to the input. */
export function interpolateDetailed(value: string, env: Env): DetailedInterpolation {
  const out = new Builder();
  const problems: InterpolationProblem[] = [];
  if (typeof value !== 'string') return { value: '', problems, starts: [], ends: [] };
  run(value, 0, value.length, env ?? {}, out, problems, 0);
  return { value: out.text, problems, starts: out.starts, ends: out.ends };
}

/** Interpolates `value` as docker compose does. Never throws. */
export function interpolate(value: string, env: Env): InterpolationResult {
  const r = interpolateDetailed(value, env);
  return { value: r.value, problems: r.problems };
}

/**
 * Input range [start, end) that produced output characters [from, to). When
 * the output slice is empty, `fallback` (an input offset) anchors it.
 */
export function inputSpan(d: DetailedInterpolation, from: number, to: number, fallback = 0): { start: number; end: number } {
  if (to > from && from < d.starts.length) {
    const last = Math.min(to, d.ends.length) - 1;
    return { start: d.starts[from], end: d.ends[last] };
  }
  const at = from < d.starts.length ? d.starts[from] : from > 0 && d.ends.length ? d.ends[d.ends.length - 1] : fallback;
  return { start: at, end: at };
}

/**
 * Parses a `.env` file as docker compose does: blank lines and `#` comments
 * skipped, optional `export ` prefix, `KEY=VALUE` or `KEY: VALUE`, single
 * quotes literal, double quotes with `\n`/`\r`/`\"`/`\\` escapes and
 * interpolation, unquoted values trimmed with ` #` inline comments cut off
 * and interpolated. A bare `KEY` line takes the value from `lookupEnv`.
 * Values from `lookupEnv` (the process environment) win. Never throws:
 * malformed lines are skipped.
 */
export function parseDotEnv(text: string, lookupEnv: Env = {}): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  if (typeof text !== 'string') return out;
  let src = text;
  if (src.charCodeAt(0) === 0xfeff) src = src.slice(1);
  const len = src.length;
  let i = 0;
  const isSpace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\v' || ch === '\f';
  const skipLine = (): void => {
    while (i < len && src[i] !== '\n') i++;
    i++;
  };
  const env = (): Env => ({ ...out, ...stripUndefined(lookupEnv) });
  while (i < len) {
    // statement start
    while (i < len && (isSpace(src[i]) || src[i] === '\n')) i++;
    if (i >= len) break;
    if (src[i] === '#') {
      skipLine();
      continue;
    }
    if (src.startsWith('export', i) && i + 6 < len && isSpace(src[i + 6])) {
      i += 6;
      while (i < len && isSpace(src[i])) i++;
    }
    // key
    const keyStart = i;
    while (i < len && src[i] !== '=' && src[i] !== ':' && src[i] !== '\n') i++;
    const key = src.slice(keyStart, i).trim();
    const sep = i < len ? src[i] : '\n';
    if (!/^[A-Za-z0-9_.\p{L}\p{N}]+$/u.test(key)) {
      skipLine();
      continue;
    }
    if (sep === '\n') {
      const v = lookup(lookupEnv, key);
      if (v !== undefined) out[key] = v;
      i++;
      continue;
    }
    i++; // past = or :
    while (i < len && isSpace(src[i])) i++;
    let value: string;
    const q = src[i];
    if (q === '"' || q === "'") {
      let j = i + 1;
      while (j < len && !(src[j] === q && src[j - 1] !== '\\')) j++;
      if (j >= len) {
        // unterminated quote: compose fails; skip the line
        skipLine();
        continue;
      }
      const body = src.slice(i + 1, j);
      value = q === "'" ? body : interpolate(unescapeDouble(body), env()).value;
      i = j + 1;
      skipLine(); // rest of line (a comment) is ignored
    } else {
      let j = i;
      while (j < len && src[j] !== '\n') j++;
      let raw = src.slice(i, j);
      const hash = raw.search(/[ \t]#/);
      if (hash >= 0) raw = raw.slice(0, hash);
      raw = raw.replace(/\s+$/, '');
      value = interpolate(raw, env()).value;
      i = j + 1;
    }
    const fromEnv = lookup(lookupEnv, key);
    out[key] = fromEnv !== undefined ? fromEnv : value;
  }
  return { ...out };
}

function unescapeDouble(s: string): string {
  return s.replace(/\\(.)/gs, (_m, c: string) => {
    if (c === 'n') return '\n';
    if (c === 'r') return '\r';
    if (c === 't') return '\t';
    if (c === '"' || c === '\\' || c === "'") return c;
    return '\\' + c;
  });
}

function stripUndefined(env: Env): Record<string, string> {
  const o: Record<string, string> = {};
  for (const [k, v] of Object.entries(env ?? {})) if (typeof v === 'string') o[k] = v;
  return o;
}
