/**
 * Cached, trust-aware reads of files that documents refer to (certificates,
 * keys, compose files, .env). Every read goes through here so the limits
 * (size, workspace folders, trust) are enforced in one place.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ReadResult, Settings } from './types';
import { DEFAULT_SETTINGS } from './types';

/** Referenced files bigger than this are not read: certificates are a few KB. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

/** How long a directory listing is trusted without a file-watcher event. */
export const LIST_TTL_MS = 2000;

interface CacheEntry {
  mtimeMs: number;
  size: number;
  result: ReadResult;
  derived: Map<string, unknown>;
}

interface Overlay {
  text: string;
  version: number;
  derived: Map<string, unknown>;
  /** UTF-8 encoding of text, made on the first read of this version. */
  read?: ReadResult;
}

export class Workspace {
  private cache = new Map<string, CacheEntry>();
  /** Directory listings, dropped on any invalidation and after LIST_TTL_MS for clients without file watchers. */
  private lists = new Map<string, { at: number; names: string[] }>();
  /** Open documents: their text wins over the disk copy. Keyed by absolute path. */
  private overlays = new Map<string, Overlay>();
  /** Files on disk some check asked about (read, kind), whether or not the answer was cached. */
  private asked = new Set<string>();
  /** How many reads, listings and stats Restricted Mode refused: the facade tells the user once per document when some were. */
  untrustedRefusals = 0;
  /** Bumped whenever what a read could answer may have changed (an open text, a watcher event, settings). */
  epoch = 0;

  constructor(
    public roots: string[] = [],
    public settings: Settings = { ...DEFAULT_SETTINGS },
  ) {}

  setOverlay(file: string, text: string, version: number): void {
    this.epoch++;
    this.overlays.set(path.resolve(file), { text, version, derived: new Map() });
  }

  /**
   * Whether making `text` the open text of `file` leaves every answer given so far about it unchanged: nothing
   * asked about the file, or what was read is these very bytes. An editor opening a file as it is on disk then
   * needs no re-check of the documents that refer to it.
   */
  openKeepsAnswers(file: string, text: string): boolean {
    const abs = path.resolve(file);
    const overlay = this.overlays.get(abs);
    if (overlay) return overlay.text === text;
    if (!this.asked.has(abs)) return true;
    const r = this.cache.get(abs)?.result;
    return !!r?.ok && r.size === Buffer.byteLength(text, 'utf8') && Buffer.from(text, 'utf8').equals(r.bytes);
  }

  clearOverlay(file: string): void {
    this.epoch++;
    this.overlays.delete(path.resolve(file));
  }

  /** Forget cached reads of a file (a file watcher saw it change). */
  invalidate(file: string): void {
    this.epoch++;
    this.cache.delete(path.resolve(file));
    this.lists.clear();
  }

  isInsideRoots(file: string): boolean {
    if (this.roots.length === 0) return true;
    const abs = path.resolve(file);
    return this.roots.some((r) => {
      const rel = path.relative(path.resolve(r), abs);
      return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
    });
  }

  /** Text of an open document, if the client has it open. */
  overlayText(file: string): string | undefined {
    return this.overlays.get(path.resolve(file))?.text;
  }

  /**
   * Reads a file, never throws. Symlinks are followed but the real target must
   * also lie inside the workspace (unless allowed), so a link cannot smuggle
   * reads of ~/.ssh into a hover.
   */
  read(file: string): ReadResult {
    const abs = path.resolve(file);
    const overlay = this.overlays.get(abs);
    if (overlay) return overlayRead(abs, overlay);
    this.asked.add(abs);
    if (!this.settings.trusted) {
      this.untrustedRefusals++;
      return { ok: false, path: abs, reason: 'untrusted', message: `not read: the workspace is not trusted (${abs})` };
    }
    if (!this.settings.allowReadsOutsideWorkspace && !this.isInsideRoots(abs)) {
      return {
        ok: false,
        path: abs,
        reason: 'outside-workspace',
        message: `not read: ${abs} is outside the workspace folders (setting tlsConfig.allowReadsOutsideWorkspace allows it)`,
      };
    }
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, path: abs, reason: 'missing', message: `${abs} does not exist` };
      if (code === 'ELOOP') return { ok: false, path: abs, reason: 'unreadable', message: `${abs} is a symbolic link loop` };
      return { ok: false, path: abs, reason: 'unreadable', message: `${abs} cannot be read (${code ?? 'error'})` };
    }
    if (st.isDirectory()) return { ok: false, path: abs, reason: 'directory', message: `${abs} is a directory, not a file` };
    if (!st.isFile()) return { ok: false, path: abs, reason: 'not-a-file', message: `${abs} is not a regular file` };
    if (!this.settings.allowReadsOutsideWorkspace && this.roots.length > 0) {
      let real = abs;
      try {
        real = fs.realpathSync(abs);
      } catch {
        /* stat succeeded, realpath failing is a race; keep abs */
      }
      if (real !== abs && !this.isInsideRoots(real)) {
        return {
          ok: false,
          path: abs,
          reason: 'outside-workspace',
          message: `not read: ${abs} links to ${real}, outside the workspace folders`,
        };
      }
    }
    const cached = this.cache.get(abs);
    if (cached && cached.mtimeMs === st.mtimeMs && cached.size === st.size) return cached.result;
    let result: ReadResult;
    if (st.size > MAX_FILE_BYTES) {
      result = {
        ok: false,
        path: abs,
        reason: 'too-large',
        message: `${abs} is ${(st.size / 1048576).toFixed(1)} MB; files over ${MAX_FILE_BYTES / 1048576} MB are not read`,
      };
    } else {
      try {
        const bytes = fs.readFileSync(abs);
        result = { ok: true, path: abs, bytes, mtimeMs: st.mtimeMs, size: st.size, mode: st.mode, uid: st.uid };
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        result = { ok: false, path: abs, reason: 'unreadable', message: `${abs} cannot be read (${code ?? 'error'})` };
      }
    }
    this.cache.set(abs, { mtimeMs: st.mtimeMs, size: st.size, result, derived: new Map() });
    return result;
  }

  /**
   * Memoises a computation over a file's bytes (e.g. decoded certificates) for
   * as long as the file's mtime and size are unchanged.
   */
  derive<T>(file: string, key: string, compute: (r: ReadResult) => T): T {
    const abs = path.resolve(file);
    // An open document's derived values live as long as its version; a hit needs no read at all.
    const overlay = this.overlays.get(abs);
    if (overlay) {
      if (overlay.derived.has(key)) return overlay.derived.get(key) as T;
      const v = compute(overlayRead(abs, overlay));
      overlay.derived.set(key, v);
      return v;
    }
    // A file's derived values live as long as its mtime and size: read() stats it and replaces a stale entry.
    const r = this.read(abs);
    const entry = this.cache.get(abs);
    if (!entry) return compute(r);
    if (entry.derived.has(key)) return entry.derived.get(key) as T;
    const v = compute(r);
    entry.derived.set(key, v);
    return v;
  }

  /** Lists a directory's entries (names only); [] when it cannot be read. */
  list(dir: string): string[] {
    const abs = path.resolve(dir);
    if (!this.settings.trusted) {
      this.untrustedRefusals++;
      return [];
    }
    if (!this.settings.allowReadsOutsideWorkspace && !this.isInsideRoots(abs)) return [];
    const hit = this.lists.get(abs);
    const now = Date.now();
    if (hit && now - hit.at < LIST_TTL_MS) return hit.names;
    let names: string[];
    try {
      names = fs.readdirSync(abs);
    } catch {
      names = [];
    }
    this.lists.set(abs, { at: now, names });
    return names;
  }

  /** Permission bits of a file on disk (open or not), for the key-permissions lint. */
  mode(file: string): number | undefined {
    try {
      return fs.statSync(path.resolve(file)).mode;
    } catch {
      return undefined;
    }
  }

  /** Kind of a path without reading it: 'file' | 'directory' | 'missing' | 'other'. */
  kind(file: string): 'file' | 'directory' | 'missing' | 'other' {
    const abs = path.resolve(file);
    if (this.overlays.has(abs)) return 'file';
    this.asked.add(abs);
    // Untrusted, or outside the folders: make no claim about the file system at all.
    if (!this.settings.trusted) {
      this.untrustedRefusals++;
      return 'other';
    }
    if (!this.settings.allowReadsOutsideWorkspace && !this.isInsideRoots(abs)) return 'other';
    try {
      const st = fs.statSync(abs);
      return st.isFile() ? 'file' : st.isDirectory() ? 'directory' : 'other';
    } catch {
      return 'missing';
    }
  }
}

/**
 * Every reference to an open document (a compose file named by milvus.yaml, a certificate it mounts)
 * reads it on each check: encoding the text each time would copy the whole document per reference per keystroke.
 */
function overlayRead(abs: string, o: Overlay): ReadResult {
  if (!o.read) {
    const bytes = Buffer.from(o.text, 'utf8');
    o.read = { ok: true, path: abs, bytes, mtimeMs: o.version, size: bytes.length, mode: 0o600 };
  }
  return o.read;
}
