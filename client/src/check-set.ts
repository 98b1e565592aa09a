/** "TLS: Check certificate set…": the files or folders picked in the explorer, judged by the server; findings go to Problems. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { SERVER_COMMANDS } from '../../server/src/protocol';
import { exec } from './exec';

export async function checkCertificateSet(client: LanguageClient, uri?: vscode.Uri, uris?: vscode.Uri[]): Promise<void> {
  let picked = (uris?.length ? uris : uri ? [uri] : []).filter((u) => u.scheme === 'file');
  if (picked.length === 0) {
    picked =
      (await vscode.window.showOpenDialog({
        canSelectFiles: true,
        canSelectFolders: true,
        canSelectMany: true,
        openLabel: 'Check certificate set',
      })) ?? [];
  }
  if (picked.length === 0) return;
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'TLS: checking certificate set…' },
      () => exec(client, SERVER_COMMANDS.checkCertificateSet, { paths: picked.map((u) => u.fsPath) }),
    );
    const show = 'Show Problems';
    const say = result.errors ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    if ((await say(result.summary, show)) === show) await vscode.commands.executeCommand('workbench.actions.view.problems');
  } catch (e) {
    void vscode.window.showErrorMessage(`Check certificate set failed: ${(e as Error).message}`);
  }
}
