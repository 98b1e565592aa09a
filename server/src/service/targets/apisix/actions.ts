/** Quick fixes for APISIX findings whose remedy is one edit of the document itself (`data.fix`). */
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver-types';
import { LineIndex } from '../../text';
import type { ApisixFix } from './validate';

export function apisixCodeActions(uri: string, text: string, diagnostics: Diagnostic[]): CodeAction[] {
  const out: CodeAction[] = [];
  for (const dg of diagnostics) {
    if (!String(dg.code).startsWith('apisix-')) continue;
    const fix = (dg.data as { fix?: ApisixFix } | undefined)?.fix;
    if (!fix) continue;
    let edit;
    if (fix.kind === 'replace') edit = { range: dg.range, newText: fix.text };
    else {
      const end = new LineIndex(text).positionAt(text.length);
      edit = { range: { start: end, end }, newText: `${text.length === 0 || text.endsWith('\n') ? '' : '\n'}${fix.text}\n` };
    }
    out.push({
      title: fix.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [dg],
      isPreferred: true,
      edit: { changes: { [uri]: [edit] } },
    });
  }
  return out;
}
