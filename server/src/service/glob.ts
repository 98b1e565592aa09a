/**
 * Minimal glob matching for the settings' file patterns (`**`, `*`, `?`,
 * `[abc]` / `[!abc]`, `{a,b}` with globs inside), on forward-slash paths.
 */
export function globToRegExp(glob: string): RegExp {
  try {
    return new RegExp('^' + source(glob) + '$');
  } catch {
    // A class the regex engine refuses (`[z-a]`): a setting must not break matching, so it means itself.
    return new RegExp('^' + escape(glob) + '$');
  }
}

function source(glob: string): string {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
        i += glob[i + 2] === '/' ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = classEnd(glob, i);
      if (end < 0) re += '\\[';
      else {
        re += charClass(glob.slice(i + 1, end));
        i = end;
      }
    } else if (c === '{') {
      const end = braceEnd(glob, i);
      if (end < 0) re += '\\{';
      else {
        re +=
          '(?:' +
          alternatives(glob.slice(i + 1, end))
            .map(source)
            .join('|') +
          ')';
        i = end;
      }
    } else re += escape(c);
  }
  return re;
}

/** Index of the `]` closing the class at `open`; a `]` first in the class (after any `!`) is a member. */
function classEnd(glob: string, open: number): number {
  let j = open + 1;
  if (glob[j] === '!' || glob[j] === '^') j++;
  if (glob[j] === ']') j++;
  return glob.indexOf(']', j);
}

/** A class never matches the separator, negated or not, as `*` and `?` do not. */
function charClass(body: string): string {
  const negated = body[0] === '!' || body[0] === '^';
  const members = (negated ? body.slice(1) : body).replace(/[\\\]^]/g, '\\$&');
  return negated ? `[^/${members}]` : `(?!/)[${members}]`;
}

function braceEnd(glob: string, open: number): number {
  let depth = 0;
  for (let i = open; i < glob.length; i++) {
    if (glob[i] === '{') depth++;
    else if (glob[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

/** Splits at the commas of this brace level only, so `{a,{b,c}}` has two alternatives. */
function alternatives(body: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '{') depth++;
    else if (body[i] === '}') depth--;
    else if (body[i] === ',' && depth === 0) {
      out.push(body.slice(start, i));
      start = i + 1;
    }
  }
  out.push(body.slice(start));
  return out;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * True when the path, or its tail after any folder, matches one of the globs.
 * Backslashes are separators in paths and patterns alike, as Windows users write both.
 */
export function matchesAny(file: string, globs: string[]): boolean {
  const p = file.replace(/\\/g, '/');
  return globs.some((raw) => {
    const g = raw.replace(/\\/g, '/');
    const r = globToRegExp(g.startsWith('**/') || g.startsWith('/') ? g : '**/' + g);
    return r.test(p) || r.test(p.replace(/^\//, ''));
  });
}
