/**
 * Where a client's certificate path points on this machine. pymilvus opens it with
 * `Path(...).open()` and curl with fopen, both relative to the process's working directory, which
 * a script does not state: we assume the script (or the README's commands) runs from its own
 * folder, and fall back to a workspace folder when the file is there instead. The assumption is
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
  for (const root of ws.roots) {
    const p = path.resolve(root, v);
    if (p !== own && ws.kind(p) === 'file')
      return { hostPath: p, where: `${v} (from the workspace folder ${path.basename(root)})`, base: 'workspace' };
  }
  return { hostPath: own, where: `${v} (from ${folder}, where we assume it runs)`, base: 'script' };
}
