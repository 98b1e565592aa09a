/**
 * Quick fixes about key files, for findings of any document: a key others can read (the server runs chmod 600 on
 * it, tlsConfig.server.fixKeyPermissions), and a key setting that names the wrong key while the right one sits beside it.
 */
import * as path from 'node:path';
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver-types';
import { SERVER_COMMANDS } from '../../../protocol';
import type { Doc, TargetContext } from '../target';
import { LineIndex } from '../../text';
import type { UseKeyFix } from '../../tls/key-match';

/** The setting's value with its file name replaced (quotes and the folder kept): /milvus/tls/client.key → /milvus/tls/server.key. */
export function withFileName(value: string, name: string): string | undefined {
  const m = /^(.*?[\\/]?)([^\\/'"]+)(['"]?)$/.exec(value);
  return m && m[2] ? `${m[1]}${name}${m[3]}` : undefined;
}

function useKeyAction(doc: Doc, d: Diagnostic): CodeAction | undefined {
  const fix = (d.data as { fix?: Partial<UseKeyFix> } | undefined)?.fix;
  if (fix?.kind !== 'use-key' || typeof fix.name !== 'string' || /[\\/]/.test(fix.name)) return undefined;
  const idx = new LineIndex(doc.text);
  const value = doc.text.slice(idx.offsetAt(d.range.start), idx.offsetAt(d.range.end));
  const next = withFileName(value, fix.name);
  if (!next || next === value) return undefined;
  return {
    title: `Use ${fix.name}, the key of ${fix.certificate ?? 'the certificate'}`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [d],
    isPreferred: true,
    edit: { changes: { [doc.uri]: [{ range: d.range, newText: next }] } },
  };
}

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
    const use = useKeyAction(doc, d);
    if (use) out.push(use);
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
