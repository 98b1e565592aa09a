/**
 * `check`: every supported file of the folders and files given, judged as the editor judges an
 * open document, as findings sorted by file, then position.
 */
import { findWorkspaceFiles } from '../workspace-files';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { LanguageService, Workspace, MAX_DOCUMENT_CHARS } from '../service';
import { DEFAULT_SETTINGS } from '../service/types';
import type { Diagnostic } from 'vscode-languageserver-types';

const SEVERITY = ['', 'error', 'warning', 'information', 'hint'] as const;
const MAX_FILES = 20000;

/** Another place of the same problem (LSP relatedInformation), `file` relative like the finding's. */
export interface RelatedFinding {
  file: string;
  range: Diagnostic['range'];
  message: string;
}

export interface Finding {
  file: string;
  range: Diagnostic['range'];
  severity: 'error' | 'warning' | 'information' | 'hint';
  code: string;
  message: string;
  related?: RelatedFinding[];
}

export interface CheckResult {
  findings: Finding[];
  /** The folder `file` is relative to. */
  base: string;
  /** Files a target recognised and judged (an unreadable file given by name counts: it was tried). */
  filesChecked: number;
}

const CANDIDATE = /\.(pem|crt|cer|key|csr|ca-bundle|ya?ml)$/i;
/** The postgres target's files: .env, pg_service.conf, postgresql.conf, JSON/properties configs holding connection strings. */
const PG_CANDIDATE = /(^|[\\/])\.env(\.[^\\/]*)?$|\.(env|conf|json|properties|toml|ini)$/i;
/** nginx keeps configs without an extension in sites-available/, sites-enabled/ (Debian). */
const CANDIDATE_DIR = /(^|[\\/])(sites-available|sites-enabled)[\\/][^\\/]+$/;
/** .sh holds APISIX admin calls and curl to Milvus; .py pymilvus clients; .md the curl commands of READMEs. */
const CANDIDATE_EXT = /\.(conf|json|sh|py|md)$/i;

export function check(targets: string[], opts: { expiryDays?: number } = {}): CheckResult {
  const absTargets = targets.map((t) => path.resolve(t));
  const base = absTargets.length === 1 && safeIsDir(absTargets[0]) ? absTargets[0] : process.cwd();
  const roots = absTargets.map((t) => (safeIsDir(t) ? t : path.dirname(t)));
  const ws = new Workspace(roots, { ...DEFAULT_SETTINGS, expiryWarningDays: opts.expiryDays ?? DEFAULT_SETTINGS.expiryWarningDays });
  const service = new LanguageService(ws);
  const files: string[] = [];
  for (const t of absTargets) {
    if (safeIsDir(t)) files.push(...findWorkspaceFiles([t], [], MAX_FILES).files);
    else files.push(t);
  }
  const findings: Finding[] = [];
  let filesChecked = 0;
  const rel = (f: string) => path.relative(base, f).split(path.sep).join('/') || path.basename(f);
  for (const f of files) {
    if (!CANDIDATE.test(f) && !PG_CANDIDATE.test(f) && !CANDIDATE_EXT.test(f) && !CANDIDATE_DIR.test(f) && !absTargets.includes(f))
      continue;
    const r = ws.read(f);
    // A *.conf or sites-enabled/ entry is only maybe ours (most are not nginx): one we cannot read is not a finding.
    if (!r.ok && !CANDIDATE.test(f) && !absTargets.includes(f)) continue;
    if (!r.ok) {
      filesChecked++;
      findings.push({ file: rel(f), range: zero(), severity: 'error', code: 'file-unreadable', message: r.message });
      continue;
    }
    const text = r.size > MAX_DOCUMENT_CHARS ? 'x'.repeat(MAX_DOCUMENT_CHARS + 1) : Buffer.from(r.bytes).toString('utf8');
    const doc = { path: f, uri: URI.file(f).toString(), text };
    if (service.kindOf(doc) === undefined) continue;
    filesChecked++;
    for (const d of service.validate(doc)) findings.push(toFinding(d, rel(f), rel));
  }
  return { findings: findings.sort(byPlace), base, filesChecked };
}

function toFinding(d: Diagnostic, file: string, rel: (f: string) => string): Finding {
  const finding: Finding = {
    file,
    range: d.range,
    severity: SEVERITY[d.severity ?? 1] as Finding['severity'],
    code: String(d.code),
    message: typeof d.message === 'string' ? d.message : (d.message as { value: string }).value,
  };
  const related = (d.relatedInformation ?? []).flatMap((ri) => {
    const uri = URI.parse(ri.location.uri);
    return uri.scheme === 'file' ? [{ file: rel(uri.fsPath), range: ri.location.range, message: ri.message }] : [];
  });
  if (related.length) finding.related = related;
  return finding;
}

/** By file (code-unit order, the same on every machine, unlike localeCompare), then line, column and code. */
export function byPlace(a: Finding, b: Finding): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
  );
}

function zero() {
  return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}

export function safeIsDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
