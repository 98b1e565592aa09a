/** Minimal glob matching for the settings' file patterns (`**`, `*`, `?`, `{a,b}`), on forward-slash paths. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
        i += glob[i + 2] === '/' ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) re += '\\{';
      else {
        re += '(?:' + glob.slice(i + 1, end).split(',').map(escape).join('|') + ')';
        i = end;
      }
    } else re += escape(c);
  }
  return new RegExp('^' + re + '$');
}

function escape(s: string): string {
  return s.replace(/[.+^${}()|[\]\\]/g, '\\$&');
}

/** True when the path, or its tail after any folder, matches one of the globs. */
export function matchesAny(file: string, globs: string[]): boolean {
  const p = file.replace(/\\/g, '/');
  return globs.some((g) => {
    const r = globToRegExp(g.startsWith('**/') || g.startsWith('/') ? g : '**/' + g);
    return r.test(p) || r.test(p.replace(/^\//, ''));
  });
}
