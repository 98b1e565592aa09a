/**
 * Quick fixes: a PEM rewritten as a literal block, a Milvus block moved to the top of its fragment, a
 * chart key renamed. The fragment's other Milvus fixes (rename-key, remove-lines, …) carry document
 * ranges already, and the Milvus target's own codeActions, asked for every document, offer them.
 */
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver-types';
import { LineIndex } from '../../text';
import type { PemFix } from './pem-scalars';

type K8sFix =
  | PemFix
  | { kind: 'k8s-rename'; to: string; title: string }
  | { kind: 'k8s-move-block'; fromLine: number; toLine: number; dedent: number; afterLine: number; title: string };

export function k8sCodeActions(uri: string, text: string, diagnostics: Diagnostic[]): CodeAction[] {
  const out: CodeAction[] = [];
  const idx = new LineIndex(text);
  for (const dg of diagnostics) {
    const fix = (dg.data as { fix?: K8sFix } | undefined)?.fix;
    if (!fix) continue;
    const edit = (edits: { range: typeof dg.range; newText: string }[]) => ({ changes: { [uri]: edits } });
    switch (fix.kind) {
      case 'k8s-pem-literal':
        out.push({
          title: 'Write the PEM as a literal block (|)',
          kind: CodeActionKind.QuickFix,
          diagnostics: [dg],
          isPreferred: true,
          edit: edit([{ range: fix.range, newText: fix.newText }]),
        });
        break;
      case 'k8s-rename':
        out.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [dg],
          isPreferred: true,
          edit: edit([{ range: dg.range, newText: fix.to }]),
        });
        break;
      case 'k8s-move-block': {
        const lines: string[] = [];
        for (let i = fix.fromLine; i <= fix.toLine; i++) {
          const l = idx.lineText(i);
          lines.push(l.slice(0, fix.dedent).trim() === '' ? l.slice(fix.dedent) : l.trimStart());
        }
        const endOf = (l: number) => ({ line: l, character: idx.lineText(l).length });
        const from = { line: fix.fromLine, character: 0 };
        const to = { line: fix.toLine + 1, character: 0 };
        const at = endOf(fix.afterLine);
        const edits =
          fix.afterLine > fix.toLine
            ? [
                { range: { start: at, end: at }, newText: '\n' + lines.join('\n') },
                { range: { start: from, end: to }, newText: '' },
              ]
            : [{ range: { start: from, end: to }, newText: lines.join('\n') + '\n' }];
        out.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [dg], isPreferred: true, edit: edit(edits) });
        break;
      }
    }
  }
  return out;
}
