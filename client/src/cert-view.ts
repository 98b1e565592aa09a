/**
 * The certificate view (a read-only webview beside the text, or "Reopen Editor With… Certificate
 * view" on .pem/.crt/.cer files) and "Copy SHA-256 fingerprint". The server describes the file
 * (describeCertificates, key-free); this module only renders it and copies what a button names.
 */
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  CERTIFICATE_VIEW_TYPE,
  SERVER_COMMANDS,
  type DescribeCertificatesParams,
  type DescribeCertificatesResult,
} from '../../server/src/protocol';
import { certificatePage, escapeHtml, fingerprintChoices } from './cert-view-model';
import { exec } from './exec';

/** Fingerprints and SPKI hashes: hex with or without colons. Nothing else is ever copied from the page. */
const COPYABLE = /^[0-9A-Fa-f:]{16,200}$/;
const REFRESH_MS = 300;

type Target = { uri: string; line?: number };

function targetOf(arg: unknown): Target | undefined {
  if (arg instanceof vscode.Uri) return { uri: arg.toString() };
  if (arg && typeof arg === 'object' && typeof (arg as Target).uri === 'string') return arg as Target;
  const ed = vscode.window.activeTextEditor;
  return ed ? { uri: ed.document.uri.toString(), line: ed.selection.active.line } : undefined;
}

export class CertificateViews implements vscode.CustomReadonlyEditorProvider {
  private panels = new Map<string, Set<vscode.WebviewPanel>>();
  private timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly client: LanguageClient,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  register(): vscode.Disposable {
    return vscode.Disposable.from(
      vscode.window.registerCustomEditorProvider(CERTIFICATE_VIEW_TYPE, this, { webviewOptions: { retainContextWhenHidden: false } }),
      vscode.workspace.onDidChangeTextDocument((e) => this.refreshSoon(e.document.uri.toString())),
      vscode.workspace.onDidSaveTextDocument((d) => this.refreshSoon(d.uri.toString())),
    );
  }

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): Promise<void> {
    return this.attach({ uri: document.uri.toString() }, panel);
  }

  /** "TLS: Show certificate" and the CodeLens: the view beside the text, one per file. */
  async show(arg?: unknown): Promise<void> {
    const t = targetOf(arg);
    if (!t) {
      void vscode.window.showInformationMessage('Open a PEM or CRT file first: the certificate view shows the file of the active editor.');
      return;
    }
    const open = [...(this.panels.get(t.uri) ?? [])][0];
    if (open) {
      open.reveal(undefined, true);
      return this.render(t, open);
    }
    const name = path.posix.basename(vscode.Uri.parse(t.uri).path);
    // Its own id: only the custom editor restores under CERTIFICATE_VIEW_TYPE.
    const panel = vscode.window.createWebviewPanel(
      `${CERTIFICATE_VIEW_TYPE}.beside`,
      `Certificate: ${name}`,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      {},
    );
    return this.attach(t, panel);
  }

  private async attach(t: Target, panel: vscode.WebviewPanel): Promise<void> {
    panel.webview.options = { enableScripts: true, localResourceRoots: [] };
    const set = this.panels.get(t.uri) ?? new Set();
    set.add(panel);
    this.panels.set(t.uri, set);
    panel.onDidDispose(() => {
      set.delete(panel);
      if (!set.size) this.panels.delete(t.uri);
    });
    panel.webview.onDidReceiveMessage(async (m: { copy?: unknown; what?: unknown }) => {
      if (typeof m?.copy !== 'string' || !COPYABLE.test(m.copy)) return;
      const what = typeof m.what === 'string' ? m.what : 'fingerprint';
      try {
        await vscode.env.clipboard.writeText(m.copy);
        vscode.window.setStatusBarMessage(`Copied ${what}`, 3000);
      } catch (e) {
        this.log.error(`copying the ${what} failed: ${(e as Error).message}`);
        void vscode.window.showWarningMessage(`Could not copy the ${what} (${(e as Error).message}): ${m.copy}`);
      }
    });
    await this.render(t, panel);
  }

  private refreshSoon(uri: string): void {
    if (!this.panels.has(uri)) return;
    clearTimeout(this.timers.get(uri));
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        for (const p of this.panels.get(uri) ?? []) void this.render({ uri }, p);
      }, REFRESH_MS),
    );
  }

  private async render(t: Target, panel: vscode.WebviewPanel): Promise<void> {
    const nonce = randomBytes(16).toString('base64');
    try {
      const r = await describe(this.client, { uri: t.uri, line: t.line, quiet: true });
      panel.webview.html = certificatePage(r, { nonce });
    } catch (e) {
      const message = (e as Error).message;
      this.log.error(`certificate view: ${message}`);
      panel.webview.html = `<!DOCTYPE html><html><body><p>${escapeHtml(message)}</p></body></html>`;
    }
  }
}

function describe(client: LanguageClient, p: DescribeCertificatesParams): Promise<DescribeCertificatesResult> {
  return exec(client, SERVER_COMMANDS.describeCertificates, p);
}

/** "TLS: Copy SHA-256 fingerprint": the certificate under the cursor, the only one of the file, or the one picked. */
export async function copyFingerprint(client: LanguageClient, arg?: unknown): Promise<void> {
  const t = targetOf(arg);
  if (!t) {
    void vscode.window.showInformationMessage('Open a PEM or CRT file first, or run this from the explorer on one.');
    return;
  }
  const r = await describe(client, { uri: t.uri, line: t.line, quiet: true });
  // From the explorer there is no cursor: every certificate of the file is a choice.
  const choices = fingerprintChoices(t.line === undefined ? { ...r, focus: -1 } : r);
  if (choices.length === 0) {
    void vscode.window.showWarningMessage('This file holds no certificate, so there is no certificate fingerprint to copy.');
    return;
  }
  const pick = choices.length === 1 ? choices[0] : await vscode.window.showQuickPick(choices, { title: 'Copy the SHA-256 fingerprint of' });
  if (!pick) return;
  await vscode.env.clipboard.writeText(pick.sha256);
  void vscode.window.showInformationMessage(`Copied the SHA-256 fingerprint of ${pick.label}: ${pick.sha256}`);
}
