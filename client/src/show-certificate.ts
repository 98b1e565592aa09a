/**
 * "Show certificate" from a hover: the server decodes the file (tlsConfig.showCertificate); the full decode opens
 * as a read-only Markdown preview beside the text, from the same virtual documents as the connection test results.
 */
import * as vscode from 'vscode';
import type { CommandFailure, ShowCertificateResult } from '../../server/src/protocol';
import { results } from './test-connection';

export async function showCertificate(r: unknown): Promise<unknown> {
  const res = r as ShowCertificateResult | CommandFailure | undefined;
  if (!res || typeof res !== 'object' || ('error' in res && res.error)) {
    void vscode.window.showErrorMessage(`TLS: ${(res as CommandFailure | undefined)?.error ?? 'Show certificate failed.'}`);
    return r;
  }
  const ok = res as ShowCertificateResult;
  const uri = results.put(ok.title, ok.markdown);
  try {
    await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
  } catch {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), {
      preview: true,
      viewColumn: vscode.ViewColumn.Beside,
    });
  }
  return r;
}
