/**
 * Where a client's certificate path points on this machine. pymilvus opens it with
 * `Path(...).open()` and curl with fopen, both relative to the process's working directory, which
 * a script does not state: we assume the script (or the README's commands) runs from its own
 * folder, or from a folder above it inside the workspace where the file is (`python
 * cert/example_tls1.py` run from examples/, as pymilvus's own examples are). The assumption is
 * said in the hover and in every message about a relative path.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import type { Workspace } from '../../workspace';

export interface ClientFile {
  hostPath: string;
  /** How the path reads in messages: "tls/ca.pem (from the script's folder)". */
  where: string;
  /** The folder a relative path was resolved against, when it was relative. */
  base?: 'script' | 'workspace';
}

export function resolveClientFile(value: string, docPath: string, ws: Workspace, markdown: boolean): ClientFile {
  const v = value.trim();
  const home = os.homedir();
  if (v.startsWith('~/')) return { hostPath: path.join(home, v.slice(2)), where: v };
  if (path.isAbsolute(v)) return { hostPath: path.normalize(v), where: v };
  const docDir = path.dirname(path.resolve(docPath));
  const own = path.resolve(docDir, v);
  const folder = markdown ? "the README's folder" : "the script's folder";
  if (ws.kind(own) === 'file') return { hostPath: own, where: `${v} (from ${folder})`, base: 'script' };
  // The folders above it, up to the workspace folder.
  for (let dir = path.dirname(docDir), depth = 0; depth < 4 && ws.isInsideRoots(dir); dir = path.dirname(dir), depth++) {
    const p = path.resolve(dir, v);
    if (ws.kind(p) === 'file') {
      const up = path.relative(docDir, dir).split(path.sep).join('/');
      return { hostPath: p, where: `${v} (from ${up}, above ${folder})`, base: 'workspace' };
    }
    if (path.dirname(dir) === dir || ws.roots.some((r) => path.resolve(r) === dir)) break;
  }
  return { hostPath: own, where: `${v} (from ${folder}, where we assume it runs)`, base: 'script' };
}
