/**
 * A PEM pasted into an untitled editor stays Plain Text (VS Code applies the language's firstLine
 * rule only when a file opens): switch such a document to PEM once, say so, and leave it alone if
 * the user switches it back.
 */
import * as vscode from 'vscode';
import { looksLikePem, switchable } from './pem-detect';

export function watchUntitledPem(log: vscode.LogOutputChannel): vscode.Disposable {
  const handled = new Set<string>();
  const consider = async (doc: vscode.TextDocument) => {
    const key = doc.uri.toString();
    if (doc.uri.scheme !== 'untitled' || handled.has(key) || !switchable(doc.languageId) || !looksLikePem(doc.getText())) return;
    handled.add(key);
    try {
      await vscode.languages.setTextDocumentLanguage(doc, 'pem');
      log.info(`untitled document ${doc.uri.path}: PEM text detected, language set to PEM`);
      vscode.window.setStatusBarMessage('TLS Config: PEM text detected, language set to PEM', 5000);
    } catch (e) {
      log.warn(`could not set the language of ${doc.uri.path}: ${(e as Error).message}`);
    }
  };
  for (const d of vscode.workspace.textDocuments) void consider(d);
  return vscode.Disposable.from(
    vscode.workspace.onDidOpenTextDocument((d) => void consider(d)),
    vscode.workspace.onDidChangeTextDocument((e) => void consider(e.document)),
    vscode.workspace.onDidCloseTextDocument((d) => {
      // setTextDocumentLanguage closes and reopens the document under the same URI: keep the mark while it lives.
      if (d.isClosed && !vscode.workspace.textDocuments.some((t) => t.uri.toString() === d.uri.toString()))
        handled.delete(d.uri.toString());
    }),
  );
}
