/** Applies an LSP WorkspaceEdit to the real files, as an editor would on "Apply". */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { WorkspaceEdit, TextEdit } from 'vscode-languageserver-types';

export function applyWorkspaceEdit(edit: WorkspaceEdit): string[] {
  const touched: string[] = [];
  const apply = (uri: string, edits: TextEdit[]) => {
    const file = URI.parse(uri).fsPath;
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    fs.writeFileSync(file, TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, text), edits));
    touched.push(file);
  };
  for (const ch of edit.documentChanges ?? []) {
    if ('kind' in ch) {
      if (ch.kind === 'create') {
        const file = URI.parse(ch.uri).fsPath;
        // As VS Code's file service does: a file in a missing folder creates the folder.
        fs.mkdirSync(path.dirname(file), { recursive: true });
        if (!fs.existsSync(file)) fs.writeFileSync(file, '');
      }
      continue;
    }
    apply(ch.textDocument.uri, ch.edits as TextEdit[]);
  }
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) apply(uri, edits);
  return touched;
}
