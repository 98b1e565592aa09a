/**
 * The files of the workspace folders a target may own, for "Check workspace" and the check at
 * start-up, and the CLI's `check DIR`: what a target may take (PEM extensions, YAML, .env, configs nginx / PostgreSQL /
 * APISIX keep) plus the user's tlsConfig.pemGlobs and milvusConfigGlobs. Bounded: at most
 * `maxFiles` candidates, and a walk that visits at most 50 entries per candidate allowed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { matchesAny } from './service/glob';
import { PEM_EXT } from './service/targets/pem/siblings';

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out', '.e2e', '.vscode-test', '__pycache__', '.venv', '.tox']);

/** YAML (milvus, compose, APISIX, Kubernetes), .env files, the configs nginx, PostgreSQL and APISIX keep, and Milvus clients (.py, curl in .sh and .md). */
const CONFIG = /\.(ya?ml|env|conf|json|properties|toml|ini|sh|py|md)$|(^|\/)\.env(\.[^/]*)?$|(^|\/)(pg_service\.conf|\.pg_service\.conf)$/i;
/** nginx (Debian) keeps site configs without an extension. */
const SITES = /(^|\/)sites-(available|enabled)\/[^/]+$/;

export interface FoundFiles {
  files: string[];
  /** The bound stopped the walk: more files may exist. */
  truncated: boolean;
}

export function isCandidate(rel: string, globs: string[]): boolean {
  const p = rel.split(path.sep).join('/');
  return PEM_EXT.test(p) || CONFIG.test(p) || SITES.test(p) || (globs.length > 0 && matchesAny(p, globs));
}

/** Candidates in a stable order (folders depth-first, names sorted); symlink loops and the usual build folders skipped. */
export function findWorkspaceFiles(roots: string[], globs: string[], maxFiles: number): FoundFiles {
  const files: string[] = [];
  const seen = new Set<string>();
  let budget = Math.max(1000, maxFiles * 50);
  let truncated = false;
  const walk = (root: string, dir: string): void => {
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch {
      return;
    }
    if (seen.has(real)) return;
    seen.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (truncated) return;
      if (--budget < 0 || files.length >= maxFiles) {
        truncated = true;
        return;
      }
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) walk(root, p);
      } else if ((e.isFile() || e.isSymbolicLink()) && isCandidate(path.relative(root, p), globs)) files.push(p);
    }
  };
  for (const r of roots) walk(r, r);
  return { files, truncated };
}
