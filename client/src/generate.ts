/** The UI of "Generate TLS certs": questions, confirmation, progress, wiring. The work is the server's. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { SERVER_COMMANDS as CMD, type GenerateCertsParams, type KeyType } from '../../server/src/protocol';
import { exec } from './exec';
import { offerKubernetes } from './generate-k8s';

function pickFolder(arg?: vscode.Uri | Partial<GenerateCertsParams>): string | undefined {
  if (arg instanceof vscode.Uri) return arg.fsPath;
  if (arg && typeof arg === 'object' && 'folder' in arg && arg.folder) return arg.folder;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file') return path.dirname(active.fsPath);
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

const positiveInt = (v: string) =>
  /^\d+$/.test(v.trim()) && Number(v) > 0 && Number(v) <= 36500 ? undefined : 'Enter a number of days between 1 and 36500';

export async function runGenerateFlow(client: LanguageClient, arg?: vscode.Uri | Partial<GenerateCertsParams>): Promise<void> {
  try {
    const folder = pickFolder(arg);
    if (!folder) {
      void vscode.window.showErrorMessage('Open a folder first: the certificates are written into the workspace.');
      return;
    }
    const d = await exec(client, CMD.defaults, { folder });
    if (await offerKubernetes(client, folder, d)) return;
    const mode = await vscode.window.showQuickPick(
      [
        { label: 'Mutual TLS', description: 'CA + server + client (tlsMode 2)', value: 'mutual' as const },
        { label: 'One-way TLS', description: 'CA + server (tlsMode 1)', value: 'one-way' as const },
      ],
      { title: 'Generate TLS certs (1/7): what for?', ignoreFocusOut: true },
    );
    if (!mode) return;
    const namesText = await vscode.window.showInputBox({
      title: 'Generate TLS certs (2/7): server names (DNS names and IPs clients dial)',
      value: d.names.join(', '),
      ignoreFocusOut: true,
      validateInput: (v) =>
        v
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean).length
          ? undefined
          : 'Give at least one name',
    });
    if (namesText === undefined) return;
    const keyType = await vscode.window.showQuickPick<{ label: KeyType; description: string }>(
      [
        { label: 'P-256', description: 'ECDSA, fast and widely supported (default)' },
        { label: 'P-384', description: 'ECDSA' },
        { label: 'RSA-2048', description: 'RSA, for old clients' },
        { label: 'RSA-3072', description: 'RSA' },
        { label: 'RSA-4096', description: 'RSA, slow to generate' },
      ],
      { title: 'Generate TLS certs (3/7): key type', ignoreFocusOut: true },
    );
    if (!keyType) return;
    const csr = await vscode.window.showQuickPick(
      [
        { label: 'No CSRs', description: 'certificates and keys only (default)', value: false },
        { label: 'Also write CSRs', description: 'server.csr (and client.csr) for signing elsewhere', value: true },
      ],
      { title: 'Generate TLS certs (4/7): certificate signing requests', ignoreFocusOut: true },
    );
    if (!csr) return;
    const leafDays = await vscode.window.showInputBox({
      title: 'Generate TLS certs (5/7): server/client certificate validity in days',
      value: String(d.options.leafDays ?? 825),
      validateInput: positiveInt,
      ignoreFocusOut: true,
    });
    if (leafDays === undefined) return;
    const out = await vscode.window.showInputBox({
      title: 'Generate TLS certs (6/7): output folder',
      value: d.out,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'Give a folder'),
    });
    if (out === undefined) return;
    const outAbs = path.resolve(folder, out.trim());
    let reuseCa = false;
    let caDays = d.options.caDays ?? 3650;
    const caThere = d.caExists && path.resolve(d.out) === outAbs;
    if (caThere) {
      const r = await vscode.window.showQuickPick(
        [
          { label: 'Reuse the existing CA', description: `sign new leaves with ca.pem / ca.key in ${out}`, value: true },
          { label: 'Create a new CA', description: 'clients must then trust the new ca.pem', value: false },
        ],
        { title: 'Generate TLS certs (7/7): a CA exists in this folder', ignoreFocusOut: true },
      );
      if (!r) return;
      reuseCa = r.value;
    }
    if (!reuseCa) {
      const v = await vscode.window.showInputBox({
        title: 'Generate TLS certs (7/7): CA validity in days',
        value: String(caDays),
        validateInput: positiveInt,
        ignoreFocusOut: true,
      });
      if (v === undefined) return;
      caDays = Number(v);
    }
    const options = {
      mode: mode.value,
      names: namesText
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
      keyType: keyType.label,
      leafDays: Number(leafDays),
      caDays,
      csr: csr.value,
    };
    const plan = await exec(client, CMD.plan, { out: outAbs, options, reuseCa });
    if (plan.errors.length) {
      void vscode.window.showErrorMessage(`Cannot generate: ${plan.errors.join('; ')}`);
      return;
    }
    const existing = plan.files.filter((f) => f.exists).map((f) => path.basename(f.path));
    let overwrite = false;
    if (existing.length) {
      const ok = await vscode.window.showWarningMessage(
        `These files exist in ${outAbs} and would be replaced: ${existing.join(', ')}`,
        { modal: true, detail: 'The old certificates and keys are lost. Cancel to keep them.' },
        'Overwrite',
      );
      if (ok !== 'Overwrite') return;
      overwrite = true;
    }
    const res = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Generating TLS certificates…' },
      () => exec(client, CMD.generate, { out: outAbs, options, overwrite, reuseCa }),
    );
    const mode12 = mode.value === 'mutual' ? 2 : 1;
    const wiring = await exec(client, CMD.wiring, { certDir: outAbs, mode: mode12, composePath: d.composePath });
    const choice = await vscode.window.showInformationMessage(
      `Wrote ${res.written.length} files to ${outAbs}. Wire them into milvus.yaml${d.composePath ? ' and ' + path.basename(d.composePath) : ''}?`,
      { modal: true, detail: wiring.summary.join('\n') || 'Nothing to change: the config already points at these files.' },
      'Apply',
    );
    if (choice === 'Apply' && wiring.summary.length) {
      const edit = await client.protocol2CodeConverter.asWorkspaceEdit(wiring.edit);
      if (edit && (await vscode.workspace.applyEdit(edit))) {
        for (const e of edit.entries()) {
          const doc = await vscode.workspace.openTextDocument(e[0]);
          if (doc.isDirty) await doc.save();
        }
      }
    }
    const snip = await exec(client, CMD.snippets, {
      mode: mode.value,
      serverName: options.names[0],
      host: options.names[0],
      port: 19530,
      dir: outAbs,
    });
    const doc = await vscode.workspace.openTextDocument({
      language: 'markdown',
      content: `# Connect to Milvus with these certificates\n\n\`\`\`python\n${snip.pymilvus}\n\`\`\`\n\n\`\`\`sh\n${snip.curl}\n\`\`\`\n`,
    });
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  } catch (e) {
    void vscode.window.showErrorMessage(`Generate TLS certs failed: ${(e as Error).message}`);
  }
}
