/**
 * "TLS: Check workspace" and the same check at start-up: the server walks the workspace folders
 * (bounded by tlsConfig.workspaceCheck.maxFiles) and publishes the findings of files that are not
 * open, so Problems is complete without opening anything. Progress in the status bar at start-up,
 * a cancellable notification when asked for.
 */
import * as vscode from 'vscode';
import { ExecuteCommandRequest, type LanguageClient } from 'vscode-languageclient/node';
import { SERVER_COMMANDS, SETTINGS_SECTION, type CheckWorkspaceResult, type CommandFailure } from '../../server/src/protocol';

let truncationShown = false;

export async function checkWorkspace(client: LanguageClient, log: vscode.LogOutputChannel, interactive: boolean): Promise<void> {
  if (!vscode.workspace.workspaceFolders?.length) {
    if (interactive)
      void vscode.window.showInformationMessage('Open a folder first: the workspace check looks at the files of the workspace folders.');
    return;
  }
  if (!vscode.workspace.isTrusted) {
    log.info('workspace check skipped: the workspace is not trusted (only open files are checked)');
    if (interactive)
      void vscode.window.showWarningMessage(
        'This workspace is not trusted, so TLS Config checks only the open files and reads no referenced file. Trust the folder to check the whole workspace.',
      );
    return;
  }
  const maxFiles = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<number>('workspaceCheck.maxFiles', 2000);
  const started = Date.now();
  let r: CheckWorkspaceResult | CommandFailure;
  try {
    r = await vscode.window.withProgress(
      {
        location: interactive ? vscode.ProgressLocation.Notification : vscode.ProgressLocation.Window,
        title: 'TLS: checking the workspace…',
        cancellable: interactive,
      },
      (_p, token) =>
        client.sendRequest(
          ExecuteCommandRequest.type,
          { command: SERVER_COMMANDS.checkWorkspace, arguments: [{ maxFiles }] },
          token,
        ) as Promise<CheckWorkspaceResult | CommandFailure>,
    );
  } catch (e) {
    log.error(`workspace check failed: ${(e as Error).message}`);
    if (interactive) void vscode.window.showErrorMessage(`TLS: the workspace check failed: ${(e as Error).message}`);
    return;
  }
  if (!r || 'error' in r) {
    const message = r ? r.error : 'no answer';
    log.error(`workspace check failed: ${message}`);
    if (interactive) void vscode.window.showErrorMessage(`TLS: the workspace check failed: ${message}`);
    return;
  }
  log.info(`workspace check (${Date.now() - started} ms): ${r.summary}`);
  const problems = 'Show Problems';
  const raise = 'Raise the limit';
  if (interactive) {
    const say = r.errors ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    const answer = await say(r.summary, problems, ...(r.truncated ? [raise] : []));
    if (answer === problems) await vscode.commands.executeCommand('workbench.actions.view.problems');
    if (answer === raise) await openMaxFilesSetting();
  } else if (r.truncated && !truncationShown) {
    truncationShown = true;
    const answer = await vscode.window.showInformationMessage(r.summary, raise);
    if (answer === raise) await openMaxFilesSetting();
  }
}

function openMaxFilesSetting(): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openSettings', `${SETTINGS_SECTION}.workspaceCheck.maxFiles`);
}

export function checkOnStartup(): boolean {
  return vscode.workspace.getConfiguration(SETTINGS_SECTION).get<boolean>('workspaceCheck.onStartup', true);
}
