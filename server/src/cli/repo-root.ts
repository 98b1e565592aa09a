/** The git work tree a folder lies in: the nearest folder above it holding `.git` (a folder, or a file in a linked worktree or submodule). */
import * as fs from 'node:fs';
import * as path from 'node:path';

export function gitRoot(from: string): string | undefined {
  let dir = path.resolve(from);
  for (;;) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
