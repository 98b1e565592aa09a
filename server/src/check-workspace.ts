/**
 * "Check workspace" (and the check VS Code runs at start-up): every file of the workspace folders a
 * target owns, checked as the CLI checks it, its findings published so Problems is complete
 * without opening anything. Bounded by `maxFiles`; says so when the bound was hit. Reads nothing in
 * an untrusted workspace.
 */
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import type { LanguageService } from './service';
import type { Workspace } from './service/workspace';
import { findWorkspaceFiles } from './workspace-files';
import type { CommandContext } from './commands';
import type { CheckWorkspaceParams, CheckWorkspaceResult } from './protocol';

export const DEFAULT_MAX_FILES = 2000;
const LIMIT = 100_000;
/**
 * Files checked between two turns of the event loop, so requests of the editor are answered meanwhile: a file costs
 * ~3.5 ms on average (2,400 files of 300 Milvus projects in 8.4 s, /tmp measurement with test/support/lsp-client.ts).
 */
const CHUNK = 10;

/** A file's findings from its open text or its disk copy; undefined when no target owns it or it cannot be read. */
export function checkFile(file: string, ws: Workspace, service: LanguageService): Diagnostic[] | undefined {
  const open = ws.overlayText(file);
  let text = open;
  if (text === undefined) {
    const r = ws.read(file);
    if (!r.ok) return undefined;
    text = Buffer.from(r.bytes).toString('utf8');
  }
  const uri = URI.file(file).toString();
  if (!service.kindOf({ path: file, text })) return undefined;
  const diagnostics = service.validate({ path: file, uri, text });
  // A walk over thousands of files must not push the open documents' models out of the service's cache.
  if (open === undefined) service.forget(uri);
  return diagnostics;
}

export async function checkWorkspace(a: CheckWorkspaceParams, ctx: CommandContext): Promise<CheckWorkspaceResult> {
  const maxFiles = typeof a?.maxFiles === 'number' && a.maxFiles >= 1 ? Math.min(Math.floor(a.maxFiles), LIMIT) : DEFAULT_MAX_FILES;
  const result: CheckWorkspaceResult = {
    checked: 0,
    withFindings: 0,
    errors: 0,
    warnings: 0,
    truncated: false,
    maxFiles,
    untrusted: !ctx.ws.settings.trusted,
    summary: '',
  };
  if (result.untrusted) {
    result.summary = 'The workspace is not trusted: only open files are checked. Trust the folder to check the whole workspace.';
    return result;
  }
  const s = ctx.ws.settings;
  const found = findWorkspaceFiles(ctx.ws.roots, [...s.pemGlobs, ...s.milvusConfigGlobs], maxFiles);
  result.truncated = found.truncated;
  for (const [i, file] of found.files.entries()) {
    if (ctx.signal?.aborted) break;
    if (i % CHUNK === CHUNK - 1) await new Promise((r) => setImmediate(r));
    const diagnostics = checkFile(file, ctx.ws, ctx.service);
    if (!diagnostics) continue;
    result.checked++;
    if (diagnostics.length) result.withFindings++;
    result.errors += diagnostics.filter((d) => d.severity === 1).length;
    result.warnings += diagnostics.filter((d) => d.severity === 2).length;
    // An open document's findings come from its text, with its version; the editor already has them.
    if (ctx.openText(file) === undefined) ctx.editor?.publish?.(URI.file(file).toString(), diagnostics);
  }
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const where = ctx.ws.roots.length === 1 ? path.basename(ctx.ws.roots[0]) : `${ctx.ws.roots.length} workspace folders`;
  result.summary =
    `${plural(result.checked, 'file')} checked in ${where}: ${plural(result.errors, 'error')}, ${plural(result.warnings, 'warning')}.` +
    (ctx.signal?.aborted ? ' Cancelled before the end.' : '') +
    (result.truncated
      ? ` Stopped after ${plural(maxFiles, 'candidate file')} (setting tlsConfig.workspaceCheck.maxFiles): files beyond are not checked.`
      : '');
  return result;
}
