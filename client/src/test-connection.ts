/**
 * The UI of "TLS: Test connection": progress with cancel, the result as a
 * Markdown preview of a read-only virtual document, "Copy openssl command".
 * The endpoint is derived and tested by the server (tlsConfig.server.testConnection);
 * this only asks for what the server could not derive and remembers it per workspace.
 */
import * as vscode from 'vscode';
import { ExecuteCommandRequest, type LanguageClient } from 'vscode-languageclient/node';
import { SERVER_COMMANDS, type CommandFailure, type TestConnectionParams, type TestConnectionResult } from '../../server/src/protocol';

export const RESULT_SCHEME = 'tls-config-probe';
// A workspaceState key (not a protocol id): the last host:port the user typed.
const LAST_ENDPOINT = 'testConnection.lastEndpoint';

/** Results by virtual document path, shown by the Markdown preview. */
class Results implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private n = 0;

  put(title: string, markdown: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: RESULT_SCHEME, path: `/${++this.n}/${title.replace(/[^\w.-]+/g, '_')}.md` });
    this.texts.set(uri.path, markdown);
    if (this.texts.size > 20) this.texts.delete(this.texts.keys().next().value!);
    this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.path) ?? '# This result is no longer available\n\nRun **TLS: Test connection** again.';
  }
}

export const results = new Results();

async function request(
  client: LanguageClient,
  params: TestConnectionParams,
  token: vscode.CancellationToken,
): Promise<TestConnectionResult> {
  const r = (await client.sendRequest(
    ExecuteCommandRequest.type,
    { command: SERVER_COMMANDS.testConnection, arguments: [{ ...params, quiet: true }] },
    token,
  )) as TestConnectionResult | CommandFailure;
  if (r && typeof r === 'object' && 'error' in r && r.error) throw new Error(r.error);
  return r as TestConnectionResult;
}

async function askEndpoint(state: vscode.Memento, why: string): Promise<TestConnectionParams['target'] | undefined> {
  const last = state.get<string>(LAST_ENDPOINT) ?? '127.0.0.1:19530';
  const hp = await vscode.window.showInputBox({
    title: 'TLS: Test connection',
    prompt: `${why} Host and port to test:`,
    value: last,
    validateInput: (v) => (/^(\[[^\]]+\]|[^\s:/]+):\d{1,5}$/.test(v.trim()) ? undefined : 'HOST:PORT, for example 127.0.0.1:19530'),
  });
  if (!hp) return undefined;
  await state.update(LAST_ENDPOINT, hp.trim());
  const m = /^\[?([^\]]*?)\]?:(\d+)$/.exec(hp.trim())!;
  return { host: m[1], port: Number(m[2]) };
}

export async function runTestConnection(client: LanguageClient, state: vscode.Memento, arg?: TestConnectionParams): Promise<void> {
  let params: TestConnectionParams = arg && typeof arg === 'object' ? { ...arg } : {};
  if (!params.uri && !params.target) {
    const doc = vscode.window.activeTextEditor?.document;
    if (doc?.uri.scheme === 'file') params.uri = doc.uri.toString();
    else {
      const target = await askEndpoint(state, 'No config file is open.');
      if (!target) return;
      params = { target };
    }
  }
  try {
    let r = await withProgress(client, params);
    if (!r) return;
    if (r.status === 'no-target') {
      const target = await askEndpoint(state, r.message);
      if (!target) return;
      r = await withProgress(client, { target });
      if (!r || r.status !== 'tested') return;
    }
    const uri = results.put(`${r.target.host}_${r.target.port}`, r.markdown);
    try {
      await vscode.commands.executeCommand('markdown.showPreview', uri);
    } catch {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
    }
    const copy = 'Copy openssl command';
    const pick = r.ok ? await vscode.window.showInformationMessage(r.message, copy) : await vscode.window.showErrorMessage(r.message, copy);
    if (pick === copy) await vscode.env.clipboard.writeText(r.openssl);
  } catch (e) {
    void vscode.window.showErrorMessage(`TLS: Test connection failed: ${(e as Error).message}`);
  }
}

function withProgress(client: LanguageClient, params: TestConnectionParams): Thenable<TestConnectionResult | undefined> {
  const what = params.target?.host ? `${params.target.host}:${params.target.port}` : 'the endpoint of this config';
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `TLS: testing the connection to ${what}…`, cancellable: true },
    async (_progress, token) => {
      const r = await request(client, params, token);
      return token.isCancellationRequested ? undefined : r;
    },
  );
}
