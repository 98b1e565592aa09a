/**
 * "TLS: Open example workspace" (the walkthrough's first step): copies the bundled
 * examples/mtls-broken, a Milvus mutual-TLS setup with real mistakes, into a folder the user picks
 * and opens it.
 */
import * as fs from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

export async function openExample(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): Promise<void> {
  const src = context.asAbsolutePath(path.join('examples', 'mtls-broken'));
  if (!fs.existsSync(src)) {
    void vscode.window.showErrorMessage('The example is not part of this installation of TLS Config.');
    return;
  }
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
    openLabel: 'Copy the example here',
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir()),
  });
  if (!picked?.[0]) return;
  let dest = path.join(picked[0].fsPath, 'tls-config-example');
  for (let i = 2; fs.existsSync(dest); i++) dest = path.join(picked[0].fsPath, `tls-config-example-${i}`);
  fs.cpSync(src, dest, { recursive: true });
  // A package may not carry private keys (vsce refuses them), so the example's server.key is made here: a fresh key,
  // which belongs to no certificate of the example, as the key in the repository does not. 0600: the example is about
  // other mistakes than permissions.
  const key = path.join(dest, 'tls', 'server.key');
  if (!fs.existsSync(key)) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    fs.writeFileSync(key, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }
  for (const f of fs.readdirSync(path.join(dest, 'tls'))) if (f.endsWith('.key')) fs.chmodSync(path.join(dest, 'tls', f), 0o600);
  log.info(`example copied to ${dest}`);
  await vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(dest), {
    forceNewWindow: !!vscode.workspace.workspaceFolders?.length,
  });
}
