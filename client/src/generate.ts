/**
 * The UI of "Generate TLS certs": the questions (one multi-step flow, see wizard/), progress,
 * then the wiring edit shown for approval (or previewed), and the connection snippet as a
 * read-only document when asked. The work and every check are the server's.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { WorkspaceEdit as LspWorkspaceEdit, Range as LspRange } from 'vscode-languageserver-types';
import { SERVER_COMMANDS as CMD, type GenerateCertsParams, type SnippetsParams, type WiringResult } from '../../server/src/protocol';
import { exec } from './exec';
import { GenerateWizard, serverDeps, type Exec } from './wizard/generate-steps';
import { runWizard } from './wizard/multi-step';
import { ReadOnlyDocs } from './read-only-docs';

export const SNIPPET_SCHEME = 'tls-config-snippet';
/** The "how to connect" documents, registered as a content provider in extension.ts. */
export const snippetDocs = new ReadOnlyDocs(SNIPPET_SCHEME);
import { offerKubernetes } from './generate-k8s';

function pickFolder(arg?: vscode.Uri | Partial<GenerateCertsParams>): string | undefined {
  if (arg instanceof vscode.Uri) return arg.fsPath;
  if (arg && typeof arg === 'object' && 'folder' in arg && arg.folder) return arg.folder;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file') return path.dirname(active.fsPath);
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

const rel = (p: string) => vscode.workspace.asRelativePath(p, false);

export async function runGenerateFlow(client: LanguageClient, arg?: vscode.Uri | Partial<GenerateCertsParams>): Promise<void> {
  try {
    const folder = pickFolder(arg);
    if (!folder) {
      void vscode.window.showErrorMessage('Open a folder first: the certificates are written into the workspace.');
      return;
    }
    const run: Exec = (command, a) => exec(client, command, a);
    const d = await run(CMD.defaults, { folder });
    if (await offerKubernetes(client, folder, d)) return;
    const w = new GenerateWizard(d, serverDeps(run, folder));
    if (!(await runWizard(w))) return;
    const a = w.answers;
    const options = w.options();
    const layout = w.layout;
    // Files may have appeared since the folder step: never replace one the user was not asked about.
    const plan = await run(CMD.plan, { out: a.out, options, reuseCa: a.reuseCa });
    if (plan.errors.length) {
      void vscode.window.showErrorMessage(`Cannot generate: ${plan.errors.join('; ')}`);
      return;
    }
    const existing = plan.files.filter((f) => f.exists).map((f) => path.basename(f.path));
    if (existing.length && !a.overwrite) {
      const ok = await vscode.window.showWarningMessage(
        `${existing.join(', ')} appeared in ${rel(a.out)} meanwhile and would be replaced.`,
        { modal: true, detail: 'The old certificates and keys are lost. Cancel to keep them.' },
        'Overwrite',
      );
      if (ok !== 'Overwrite') return;
    }
    const res = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Generating TLS certificates…' },
      () => run(CMD.generate, { out: a.out, options, overwrite: a.overwrite || existing.length > 0, reuseCa: a.reuseCa }),
    );
    const wiring = await run(CMD.wiring, {
      layout: a.layout,
      certDir: a.out,
      mode: a.mode === 'mutual' ? 2 : 1,
      composePath: layout?.composePath,
      ...(layout?.clientNameIsUser ? { dbUser: a.clientCommonName ?? layout.dbUser, db: layout.db } : {}),
    });
    const wrote = `Wrote ${res.written.length} files to ${rel(a.out)}.`;
    const applied = wiring.summary.length ? await offerWiring(client, wrote, wiring) : undefined;
    const todo = wiring.todo?.length ? ` Still to do: ${wiring.todo.join('; ')}.` : '';
    const said =
      applied === undefined
        ? `${wrote} The config already points at them: nothing to wire.${todo}`
        : applied
          ? `${wrote} Wired and saved: ${touched(wiring.edit).join(', ')}.${todo}`
          : `${wrote} Nothing was wired; to use them: ${wiring.summary.join('; ')}.${todo}`;
    await followUp(client, said, a.out, () => ({
      mode: a.mode,
      layout: a.layout,
      serverName: a.names[0],
      host: a.names[0],
      port: layout?.port,
      dir: a.out,
      ...(a.clientCommonName ? { dbUser: a.clientCommonName } : layout?.dbUser ? { dbUser: layout.dbUser } : {}),
      ...(layout?.db ? { db: layout.db } : {}),
    }));
  } catch (e) {
    void vscode.window.showErrorMessage(`Generate TLS certs failed: ${(e as Error).message}`);
  }
}

/** The files an LSP edit changes, workspace-relative. */
function touched(edit: LspWorkspaceEdit): string[] {
  const uris = new Set<string>();
  for (const c of edit.documentChanges ?? []) uris.add('kind' in c ? ('uri' in c ? c.uri : c.newUri) : c.textDocument.uri);
  return [...uris].map((u) => rel(vscode.Uri.parse(u).fsPath));
}

/**
 * Shows what the wiring changes and applies it on "Apply" (saved, so the containers see it), or
 * opens VS Code's refactor preview on "Preview…" where each change can be unticked.
 * True when applied, false when declined.
 */
async function offerWiring(client: LanguageClient, wrote: string, wiring: WiringResult): Promise<boolean> {
  const files = touched(wiring.edit);
  if (files.length === 0) return false;
  const choice = await vscode.window.showInformationMessage(
    `${wrote} Wire them into ${files.join(' and ')}?`,
    { modal: true, detail: wiring.summary.join('\n') },
    'Apply',
    'Preview…',
  );
  if (!choice) return false;
  const edit = toCodeEdit(client, wiring.edit, choice === 'Preview…');
  if (!(await vscode.workspace.applyEdit(edit, { isRefactoring: choice === 'Preview…' }))) return false;
  for (const [uri] of edit.entries()) {
    const doc =
      vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) ?? (await vscode.workspace.openTextDocument(uri));
    if (doc.isDirty) await doc.save();
  }
  return true;
}

/** The LSP edit as a VS Code edit; with `confirm`, each change waits in the refactor preview. */
function toCodeEdit(client: LanguageClient, lsp: LspWorkspaceEdit, confirm: boolean): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  const meta = (label: string): vscode.WorkspaceEditEntryMetadata => ({ needsConfirmation: confirm, label });
  for (const c of lsp.documentChanges ?? []) {
    if ('kind' in c) {
      if (c.kind === 'create')
        edit.createFile(vscode.Uri.parse(c.uri), { ignoreIfExists: true }, meta(`Create ${rel(vscode.Uri.parse(c.uri).fsPath)}`));
      continue;
    }
    const uri = vscode.Uri.parse(c.textDocument.uri);
    for (const e of c.edits as { range: LspRange; newText: string }[])
      edit.replace(uri, client.protocol2CodeConverter.asRange(e.range), e.newText, meta(`Wire the certificates into ${rel(uri.fsPath)}`));
  }
  return edit;
}

async function followUp(client: LanguageClient, message: string, out: string, snippetInput: () => SnippetsParams): Promise<void> {
  const open = 'Open folder';
  const show = 'Show snippet';
  const pick = await vscode.window.showInformationMessage(message, open, show);
  if (pick === open) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(out));
  if (pick === show) {
    const snip = await exec(client, CMD.snippets, snippetInput());
    const uri = snippetDocs.put(`${snip.title}.md`, snip.markdown);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), {
      preview: true,
      viewColumn: vscode.ViewColumn.Beside,
    });
  }
}
