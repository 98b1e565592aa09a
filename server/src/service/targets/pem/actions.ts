/** The quick fix of a private key others can read: the server runs chmod 600 on it (tlsConfig.fixKeyPermissions). */
import * as path from 'node:path';
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver-types';
import { SERVER_COMMANDS } from '../../../protocol';
import type { Doc, TargetContext } from '../target';

/** The key file a permissions finding is about: the PEM document itself, or the file its data names (PostgreSQL settings). */
function keyFileOf(doc: Doc, d: Diagnostic): string | undefined {
  if (d.code === 'pem-key-permissions') return doc.path;
  const fix = (d.data as { fix?: { kind?: string; path?: unknown } } | undefined)?.fix;
  return fix?.kind === 'chmod-600' && typeof fix.path === 'string' ? fix.path : undefined;
}

export function pemCodeActions(doc: Doc, diagnostics: Diagnostic[], ctx: TargetContext): CodeAction[] {
  const out: CodeAction[] = [];
  if (!ctx.settings.trusted) return out;
  for (const d of diagnostics) {
    const file = keyFileOf(doc, d);
    // Only a file on disk inside the workspace: the command refuses anything else anyway.
    if (!file || !path.isAbsolute(file) || !ctx.ws.isInsideRoots(file) || ctx.ws.roots.length === 0) continue;
    out.push({
      title: `Restrict ${path.basename(file)} to its owner (chmod 600)`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      isPreferred: true,
      command: { title: 'chmod 600', command: SERVER_COMMANDS.fixKeyPermissions, arguments: [{ path: file }] },
    });
  }
  return out;
}
