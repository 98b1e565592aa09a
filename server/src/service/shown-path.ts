/**
 * How a host path reads in a message: relative to the workspace folder that holds it, as the Problems panel and
 * the CLI show files, so the panel's one visible line is not spent on /home/…/project/. A path outside every
 * folder stays absolute: there is nothing shorter that still says where it is.
 */
import * as path from 'node:path';

export function shownPath(file: string, roots: readonly string[]): string {
  const abs = path.resolve(file);
  let best: string | undefined;
  for (const r of roots) {
    const rel = path.relative(path.resolve(r), abs);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) continue;
    // The innermost folder wins when workspace folders nest.
    if (best === undefined || rel.length < best.length) best = rel;
  }
  return best === undefined ? abs : best.split(path.sep).join('/');
}

/**
 * The same for whole messages, applied once to every finding the service returns: the rule then holds for quoted
 * tool output ('could not load private key file "/w/tls/server.key"') and for targets that build their own wording.
 * Only a root followed by a separator is cut, so a sibling folder (/w-old beside /w) stays as written.
 */
export function relativeMessage(message: string, roots: readonly string[]): string {
  let out = message;
  // Innermost roots first, so a nested folder's files read relative to it.
  for (const r of [...roots].map((x) => path.resolve(x)).sort((a, b) => b.length - a.length)) {
    if (r === path.parse(r).root) continue;
    out = out.split(r + path.sep).join('');
  }
  return out;
}
