/**
 * The UI of "TLS: Test connection": progress with cancel, the result as a
 * Markdown preview of a read-only virtual document, "Copy openssl command".
 * The endpoint is derived and tested by the server (tlsConfig.server.testConnection);
 * this only asks for what the server could not derive and remembers it per workspace.
 */
import { ReadOnlyDocs } from './read-only-docs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ExecuteCommandRequest, type LanguageClient } from 'vscode-languageclient/node';
import { SERVER_COMMANDS, type CommandFailure, type TestConnectionParams, type TestConnectionResult } from '../../server/src/protocol';
import { endpointKey, keyBeside, needs, rankPemFiles, type FileAnswers, type Needs, type Role } from './wizard/connection-answers';

export const RESULT_SCHEME = 'tls-config-probe';
// A workspaceState key (not a protocol id): the last host:port the user typed.
const LAST_ENDPOINT = 'testConnection.lastEndpoint';
// workspaceState keys of the files the user picked for an endpoint (paths only).
const FILES = (key: string) => `testConnection.files:${key}`;

/** Results by virtual document path, shown by the Markdown preview. */
export const results = new ReadOnlyDocs(RESULT_SCHEME, '# This result is no longer available\n\nRun **TLS: Test connection** again.');

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
    const recall = (p: TestConnectionParams) => {
      const k = endpointKey(p);
      return k ? state.get<FileAnswers>(FILES(k)) : undefined;
    };
    let r = await withProgress(client, { ...params, fallback: recall(params) ?? params.fallback });
    if (!r) return;
    if (r.status === 'no-target') {
      const target = await askEndpoint(state, r.message);
      if (!target) return;
      params = { target };
      r = await withProgress(client, { ...params, fallback: recall(params) });
      if (!r || r.status !== 'tested') return;
    }
    // Ask for the files the handshake showed are missing, then test again with them.
    const missing = needs(r);
    if (missing.ca || missing.client) {
      const picked = await askFiles(missing, r, params);
      if (picked) {
        await remember(state, params, r, picked);
        const again = await withProgress(client, { ...params, fallback: picked });
        if (!again) return;
        r = again;
      }
    }
    if (r.status !== 'tested') return;
    const uri = results.put(`${r.target.host}_${r.target.port}.md`, r.markdown);
    try {
      await vscode.commands.executeCommand('markdown.showPreview', uri);
    } catch {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
    }
    const copy = 'Copy openssl command';
    const choose = 'Choose files…';
    const pick = r.ok
      ? await vscode.window.showInformationMessage(r.message, copy)
      : await vscode.window.showErrorMessage(r.message, copy, choose);
    if (pick === copy) await vscode.env.clipboard.writeText(r.openssl);
    if (pick === choose) {
      const tested = r;
      const picked = await askFiles({ ca: true, client: tested.clientCertificate.requested !== false }, tested, params);
      if (picked) {
        await remember(state, params, tested, picked);
        await runTestConnection(client, state, { ...params, target: { ...params.target, ...picked } });
      }
    }
  } catch (e) {
    void vscode.window.showErrorMessage(`TLS: Test connection failed: ${(e as Error).message}`);
  }
}

/** Under the document's endpoint and under host:port, so either way of asking finds them. */
async function remember(state: vscode.Memento, params: TestConnectionParams, r: TestConnectionResult, files: FileAnswers): Promise<void> {
  const keys = [endpointKey(params)];
  if (r.status === 'tested') keys.push(endpointKey({ target: { host: r.target.host, port: r.target.port } }));
  for (const k of new Set(keys)) if (k) await state.update(FILES(k), { ...state.get<FileAnswers>(FILES(k)), ...files });
}

/**
 * File pickers for what is missing: the workspace's PEM files first (named for the role, near
 * the config), then "Browse…", and "Skip" to test without.
 */
async function askFiles(missing: Needs, r: TestConnectionResult, params: TestConnectionParams): Promise<FileAnswers | undefined> {
  const found = (await vscode.workspace.findFiles('**/*.{pem,crt,cer,key,ca-bundle}', '**/node_modules/**', 500)).map((u) => u.fsPath);
  const near = params.uri ? path.dirname(vscode.Uri.parse(params.uri).fsPath) : undefined;
  const where = r.status === 'tested' ? `${r.target.host}:${r.target.port}` : 'the endpoint';
  const roles: { role: Role; what: string }[] = [
    ...(missing.ca ? [{ role: 'ca' as const, what: `CA file that ${where}'s certificate chains to` }] : []),
    ...(missing.client
      ? [
          { role: 'cert' as const, what: `client certificate ${where} asks for` },
          { role: 'key' as const, what: 'private key of that client certificate' },
        ]
      : []),
  ];
  const out: FileAnswers = {};
  for (let i = 0; i < roles.length; i++) {
    const { role, what } = roles[i];
    const beside = role === 'key' && out.cert ? keyBeside(out.cert, found) : undefined;
    const ranked = rankPemFiles(found, role, near);
    const ordered = beside ? [beside, ...ranked.filter((f) => f !== beside)] : ranked;
    type Item = vscode.QuickPickItem & { file?: string; browse?: boolean };
    const items: Item[] = [
      ...ordered.map((f) => ({ label: path.basename(f), description: vscode.workspace.asRelativePath(path.dirname(f)), file: f })),
      { label: 'Browse…', description: 'a file outside this list', browse: true },
      { label: 'Skip', description: role === 'ca' ? 'verify against the system roots' : 'test without a client certificate' },
    ];
    const pick = await vscode.window.showQuickPick(items, {
      title: `TLS: Test connection (${i + 1}/${roles.length}): ${what}`,
      ignoreFocusOut: true,
      matchOnDescription: true,
    });
    if (!pick) return undefined;
    let file = pick.file;
    if (pick.browse) {
      const u = await vscode.window.showOpenDialog({
        canSelectMany: false,
        openLabel: `Use as ${role === 'ca' ? 'CA' : role === 'cert' ? 'client certificate' : 'client key'}`,
      });
      if (!u?.[0]) return undefined;
      file = u[0].fsPath;
    }
    if (file) out[role] = file;
    else if (role === 'cert') break; // no certificate: no key to ask for
  }
  return Object.keys(out).length ? out : undefined;
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
