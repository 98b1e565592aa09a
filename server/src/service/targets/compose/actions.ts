/** Quick fixes for compose findings that carry a ready edit (`data.edit`). */
import { CodeActionKind, type CodeAction, type Diagnostic, type Range } from 'vscode-languageserver-types';

const TITLES: Record<string, string> = {
  'compose-cert-mount-writable': 'Mount read-only (:ro)',
};

export function composeCodeActions(uri: string, diagnostics: Diagnostic[]): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    const edit = (d.data as { edit?: { range: Range; newText: string } } | undefined)?.edit;
    const title = TITLES[String(d.code)];
    if (!edit || !title) continue;
    out.push({ title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, edit: { changes: { [uri]: [edit] } } });
  }
  return out;
}
