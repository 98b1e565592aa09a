/**
 * Contracts shared by every room of the service. The service is pure: it takes
 * text plus a read-only view of the file system and returns LSP types.
 */
import type { Diagnostic, Range } from 'vscode-languageserver-types';

/** `source` of every diagnostic we publish. */
export const SOURCE = 'tls-config';

export interface Settings {
  /** Warn when a certificate expires within this many days. */
  expiryWarningDays: number;
  /** Read referenced files outside the workspace folders. */
  allowReadsOutsideWorkspace: boolean;
  /** Workspace trust: when false, no file other than the open documents is read. */
  trusted: boolean;
  /** Extra globs of milvus.yaml files (relative to a workspace folder). */
  milvusConfigGlobs: string[];
  /** Extra globs of PEM files. */
  pemGlobs: string[];
  /** Major version of the libpq the PostgreSQL clients use (sslrootcert=system needs 16). */
  postgresLibpqVersion?: number;
  /** Milvus version the version rules assume when the compose image has no version tag ("2.6", "2.5.4"); unset: none. */
  milvusVersion?: string;
}

export const DEFAULT_SETTINGS: Settings = {
  expiryWarningDays: 30,
  allowReadsOutsideWorkspace: false,
  trusted: true,
  milvusConfigGlobs: [],
  pemGlobs: [],
  postgresLibpqVersion: 16,
};

/** Why a referenced file could not be read; each maps to its own diagnostic. */
export type ReadFailure = 'missing' | 'directory' | 'unreadable' | 'too-large' | 'outside-workspace' | 'untrusted' | 'not-a-file';

export type ReadResult =
  /** `uid`: owner of a file on disk (absent for open documents). */
  | { ok: true; path: string; bytes: Uint8Array; mtimeMs: number; size: number; mode: number; uid?: number }
  | { ok: false; path: string; reason: ReadFailure; message: string };

/** Helper to build a diagnostic with our source set; code is mandatory by design. */
export function diag(range: Range, severity: 1 | 2 | 3 | 4, code: string, message: string, data?: unknown): Diagnostic {
  const d: Diagnostic = { range, severity, code, source: SOURCE, message };
  if (data !== undefined) d.data = data;
  return d;
}

/** One finding per code, place and message: two paths to the same fault (an include seen twice, a URI and its env) say it once. */
export function dedupeDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((x) => {
    const k = `${x.code}|${x.range.start.line}:${x.range.start.character}|${x.message}`;
    return !seen.has(k) && !!seen.add(k);
  });
}

export const Severity = { Error: 1, Warning: 2, Information: 3, Hint: 4 } as const;
