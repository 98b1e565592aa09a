/**
 * Writing a generated set to disk: all files or none.
 *
 * Each file is first written to a temp file in the target folder, created
 * with its final mode (0600 for keys, 0644 otherwise; chmod-ed again so a
 * strict umask cannot change it) and fsync-ed. Only when every temp file is
 * complete are they moved into place. Without `overwrite` the move is
 * `link(tmp, final)`, which fails with EEXIST if a file appeared meanwhile,
 * so nothing is ever clobbered. With `overwrite` the old files are kept as
 * hard-link backups until the whole set is in place. On any failure, temp
 * files are removed, files this run created are removed and replaced files
 * are restored.
 */
import { lstatSync, promises as fsp, constants as fsc } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { GeneratedFile } from './generate';

export interface WriteOptions {
  overwrite: boolean;
  /** Test hook: called right before each file is moved into place. */
  beforeCommit?: (finalPath: string) => void | Promise<void>;
}

export interface PlannedFile {
  path: string;
  exists: boolean;
}

const SECRET_MODE = 0o600;
const PUBLIC_MODE = 0o644;

export function fileMode(f: GeneratedFile): number {
  return f.secret ? SECRET_MODE : PUBLIC_MODE;
}

/** Where each file would go and whether something is already there. */
export function planWrite(dir: string, files: GeneratedFile[]): PlannedFile[] {
  // Synchronous on purpose: a UI shows this before asking "overwrite?".
  return files.map((f) => {
    const p = path.join(dir, checkedName(f.name));
    let exists = true;
    try {
      lstatSync(p);
    } catch {
      exists = false;
    }
    return { path: p, exists };
  });
}

export class CertWriteError extends Error {
  override name = 'CertWriteError';
}

interface Staged {
  file: GeneratedFile;
  final: string;
  tmp?: string;
  backup?: string;
  committed?: boolean;
}

export async function writeCertSet(dir: string, files: GeneratedFile[], opts: WriteOptions): Promise<{ written: string[] }> {
  const plan = planWrite(dir, files);
  const dupes = plan.map((p) => p.path).filter((p, i, all) => all.indexOf(p) !== i);
  if (dupes.length) throw new CertWriteError(`The set names a file twice: ${dupes.join(', ')}.`);

  const existing = plan.filter((p) => p.exists);
  if (existing.length && !opts.overwrite) {
    throw new CertWriteError(
      `Not writing certificates: ${existing.length === 1 ? 'this file already exists' : 'these files already exist'}: ` +
        `${existing.map((p) => p.path).join(', ')}. Choose another folder or allow overwriting.`,
    );
  }
  for (const p of existing) {
    const st = await fsp.lstat(p.path).catch(() => undefined);
    if (st && !st.isFile()) {
      throw new CertWriteError(`Not writing certificates: ${p.path} exists and is not a regular file; remove or rename it first.`);
    }
  }

  await makeDir(dir);

  const staged: Staged[] = files.map((file, i) => ({ file, final: plan[i].path }));
  let step = '';
  try {
    // 1. Every file complete on disk under a temp name.
    for (const s of staged) {
      step = `write a temporary file for ${s.file.name}`;
      s.tmp = tempName(dir, s.file.name, 'tmp');
      await writeDurably(s.tmp, s.file.contents, fileMode(s.file));
    }
    // 2. Keep the old versions reachable until the whole set is in place.
    if (opts.overwrite) {
      for (const s of staged) {
        step = `keep a backup of ${s.final}`;
        const backup = tempName(dir, s.file.name, 'bak');
        try {
          await linkExclusive(s.final, backup);
          s.backup = backup;
        } catch (e) {
          if (code(e) !== 'ENOENT') throw e;
        }
      }
    }
    // 3. Move into place.
    for (const s of staged) {
      step = `move ${s.file.name} into place at ${s.final}`;
      if (opts.beforeCommit) await opts.beforeCommit(s.final);
      if (opts.overwrite) {
        await fsp.rename(s.tmp!, s.final);
        s.committed = true;
      } else {
        await linkExclusive(s.tmp!, s.final);
        s.committed = true;
        await fsp.unlink(s.tmp!);
      }
      s.tmp = undefined;
    }
  } catch (e) {
    const leftovers = await rollback(staged);
    const why = code(e) === 'EEXIST' ? `${step}: the file appeared while writing (not overwritten)` : `${step}: ${errorText(e)}`;
    throw new CertWriteError(
      `Could not write the certificate set to ${dir}: failed to ${why}. ` +
        (leftovers.length
          ? `Could not clean up: ${leftovers.join(', ')}.`
          : 'No file of the new set was left behind; existing files are unchanged.'),
    );
  }
  await Promise.all(staged.map((s) => (s.backup ? fsp.unlink(s.backup).catch(() => undefined) : undefined)));
  await syncDir(dir);
  return { written: staged.map((s) => s.final) };
}

/** Undo: drop temp files, take back what this run put in place, restore backups. Returns paths it could not fix. */
async function rollback(staged: Staged[]): Promise<string[]> {
  const failed: string[] = [];
  for (const s of staged) {
    if (s.tmp) {
      await fsp.unlink(s.tmp).catch((e) => code(e) === 'ENOENT' || failed.push(s.tmp!));
    }
    if (s.backup && s.committed) {
      await fsp.rename(s.backup, s.final).catch(() => failed.push(s.final));
    } else if (s.backup) {
      // Never replaced: the old file is still in place, the backup is a second name for it.
      await fsp.unlink(s.backup).catch((e) => code(e) === 'ENOENT' || failed.push(s.backup!));
    } else if (s.committed) {
      await fsp.unlink(s.final).catch((e) => code(e) === 'ENOENT' || failed.push(s.final));
    }
  }
  return failed;
}

async function makeDir(dir: string): Promise<void> {
  try {
    await fsp.mkdir(dir, { recursive: true });
  } catch (e) {
    const c = code(e);
    if (c === 'EEXIST' || c === 'ENOTDIR') {
      throw new CertWriteError(`Cannot create the folder ${dir}: a file (not a folder) is in the way.`);
    }
    throw new CertWriteError(`Cannot create the folder ${dir}: ${errorText(e)}`);
  }
  const st = await fsp.stat(dir);
  if (!st.isDirectory()) throw new CertWriteError(`Cannot write into ${dir}: it is not a folder.`);
}

async function writeDurably(file: string, contents: string, mode: number): Promise<void> {
  // O_EXCL: never follow or reuse something already at the temp name.
  const fh = await fsp.open(file, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL, mode);
  try {
    await fh.chmod(mode); // the creation mode is filtered by the umask
    await fh.writeFile(contents, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** link() fails with EEXIST instead of replacing; fall back to an exclusive copy where hard links are unsupported. */
async function linkExclusive(from: string, to: string): Promise<void> {
  try {
    await fsp.link(from, to);
  } catch (e) {
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV'].includes(code(e) ?? '')) throw e;
    await fsp.copyFile(from, to, fsc.COPYFILE_EXCL);
  }
}

async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    const fh = await fsp.open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // Best effort: some file systems cannot fsync a directory.
  }
}

function tempName(dir: string, name: string, kind: 'tmp' | 'bak'): string {
  return path.join(dir, `.${name}.${randomBytes(6).toString('hex')}.${kind}`);
}

function checkedName(name: string): string {
  if (!name || name !== path.basename(name) || name === '.' || name === '..') {
    throw new CertWriteError(`Refusing to write "${name}": generated file names must be plain file names.`);
  }
  return name;
}

function code(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
