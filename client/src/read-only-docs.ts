/**
 * Read-only virtual documents (a TextDocumentContentProvider): text shown for reading, which
 * never asks to be saved on close, unlike an Untitled document.
 */
import * as vscode from 'vscode';

export class ReadOnlyDocs implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private n = 0;

  constructor(
    readonly scheme: string,
    /** What a document shows once it has been dropped (only the last 20 are kept). */
    private readonly gone = 'This document is no longer available.',
  ) {}

  /** A new document; `name` ends in its extension (".md" opens as Markdown). */
  put(name: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: this.scheme, path: `/${++this.n}/${name.replace(/[^\w.-]+/g, '_')}` });
    this.texts.set(uri.path, text);
    if (this.texts.size > 20) this.texts.delete(this.texts.keys().next().value!);
    this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.path) ?? this.gone;
  }
}
