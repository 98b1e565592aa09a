/**
 * Diagnostics of files that are not open, published by "Check workspace" and "Check certificate
 * set": while such a file is closed its findings come from the disk. Opening it hands them to the
 * editor's text; closing it checks the disk copy again instead of clearing them; a file watcher's
 * change re-checks it, a deletion clears it. So Problems says the same thing about a file whether
 * or not it was ever opened.
 */
import type { Diagnostic } from 'vscode-languageserver-types';

export interface DiskDiagnosticsHost {
  publish(uri: string, diagnostics: Diagnostic[]): void;
  isOpen(uri: string): boolean;
  /** The file's findings from its disk copy; undefined when no target owns it or it cannot be read any more. */
  check(uri: string): Diagnostic[] | undefined;
}

/** Re-checks of many files give the event loop back this often, so hovers and keystrokes are not held up. */
const CHUNK = 25;

export class DiskDiagnostics {
  /** Files checked from disk, and whether what was last published for them is non-empty. */
  private tracked = new Map<string, boolean>();

  constructor(private readonly host: DiskDiagnosticsHost) {}

  get size(): number {
    return this.tracked.size;
  }

  has(uri: string): boolean {
    return this.tracked.has(uri);
  }

  /** A command checked a file that is not open; an empty result is sent only when it replaces findings. */
  record(uri: string, diagnostics: Diagnostic[]): void {
    const had = this.tracked.get(uri) ?? false;
    this.tracked.set(uri, diagnostics.length > 0);
    if (diagnostics.length > 0 || had) this.host.publish(uri, diagnostics);
  }

  /** An open document was closed: true when its disk copy was checked again (the caller then sends nothing). */
  closed(uri: string): boolean {
    if (!this.tracked.has(uri)) return false;
    this.recheck(uri);
    return true;
  }

  /** File-watcher events (type 3 = deleted). Open documents keep what their text says. */
  watched(changes: { uri: string; type: number }[]): void {
    for (const c of changes) {
      if (!this.tracked.has(c.uri) || this.host.isOpen(c.uri)) continue;
      if (c.type === 3) this.forget(c.uri);
      else this.recheck(c.uri);
    }
  }

  /** A workspace folder was removed: what was published for its files goes with it. */
  forgetUnder(isGone: (uri: string) => boolean): void {
    for (const uri of [...this.tracked.keys()]) if (isGone(uri) && !this.host.isOpen(uri)) this.forget(uri);
  }

  /** Settings or trust changed: every closed tracked file again, a chunk at a time. */
  async recheckAll(): Promise<void> {
    let n = 0;
    for (const uri of [...this.tracked.keys()]) {
      if (this.host.isOpen(uri)) continue;
      this.recheck(uri);
      if (++n % CHUNK === 0) await new Promise((r) => setImmediate(r));
    }
  }

  private forget(uri: string): void {
    if (this.tracked.get(uri)) this.host.publish(uri, []);
    this.tracked.delete(uri);
  }

  private recheck(uri: string): void {
    const d = this.host.check(uri);
    if (d === undefined) this.forget(uri);
    else this.record(uri, d);
  }
}
