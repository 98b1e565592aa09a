/**
 * LSP wiring only: connection, documents, capabilities, settings. No TLS rule
 * lives here. Runs over stdio (`--stdio`, any LSP client) or VS Code's IPC.
 */
import * as path from 'node:path';
import * as v8 from 'node:v8';
import {
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  DidChangeWatchedFilesNotification,
  ShowMessageNotification,
  MessageType,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import type { Doc, LanguageService, Workspace } from './service';
import type { Settings } from './service/types';
import { version } from '../../package.json';
import { SERVER_COMMANDS, SETTINGS_NOTIFICATION, SETTINGS_SECTION, type InitializationOptions, type SettingsParams } from './protocol';
import type { Editor } from './commands';

// Every version of an open document stays alive until the next keystroke, so each one survives a scavenge; V8 reads that
// survival as a reason to double the young generation (1 → 8 MB semi-spaces within ~40 full-text edits of a 100 KB
// milvus.yaml), memory a server idle between keystrokes never needs back. --max-semi-space-size only works at launch,
// and stdio clients start `node server.js` without flags.
v8.setFlagsFromString('--semi-space-growth-factor=1');
// No TurboFan in the server: a keystroke's work (one YAML parse, a few file stats) is over before optimized code pays
// back, while the optimizing compiler's code pages in the node binary, its zone memory in per-thread malloc arenas and
// the optimized code it leaves behind were ~7 MB of the server's peak RSS (bench 1-2: 70.0 → 62.7 MB). Measured at the
// same load, edit → diagnostics medians were equal (9.1–9.5 vs 8.9–9.7 ms over 3 A/B runs) and the 2,000-file open
// was not slower (10.7 vs 8.1 s). Ignition + Sparkplug still run; the CLI, which checks thousands of files, keeps it.
v8.setFlagsFromString('--no-opt');

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
type Core = typeof import('./core');
let core: Core | undefined;
let roots: string[] = [];
let initialSettings: Partial<Settings> | undefined;
let state: { ws: Workspace; service: LanguageService } | undefined;

/** Loads the service on first need (right after initialize, or by the first request). */
function get(): { ws: Workspace; service: LanguageService } {
  if (!state) {
    core ??= require('./core') as Core;
    const ws = new core.Workspace(roots, { ...core.DEFAULT_SETTINGS });
    state = { ws, service: new core.LanguageService(ws) };
    applySettings(initialSettings);
  }
  return state;
}
/** Time between the last keystroke and validation; short, since the work itself takes a few ms. */
const DEBOUNCE_MS = Number(process.env.TLS_CONFIG_DEBOUNCE_MS ?? 25);
const pending = new Map<string, NodeJS.Timeout>();
let watchRegistrationSupported = false;
let editor: Editor | undefined;

// Anything on stdout that is not a protocol message breaks stdio clients: route console output to the client's log.
console.log = (...a: unknown[]) => connection.console.log(a.map(String).join(' '));
console.info = console.log;
console.warn = (...a: unknown[]) => connection.console.warn(a.map(String).join(' '));
console.error = (...a: unknown[]) => connection.console.error(a.map(String).join(' '));
process.on('uncaughtException', (e) => connection.console.error(`uncaught: ${e?.message ?? e}`));
process.on('unhandledRejection', (e) => connection.console.error(`unhandled rejection: ${(e as Error)?.message ?? e}`));

function toDoc(td: TextDocument): Doc | undefined {
  const u = URI.parse(td.uri);
  if (u.scheme !== 'file' && u.scheme !== 'untitled') return undefined;
  return {
    uri: td.uri,
    path: u.scheme === 'file' ? u.fsPath : path.resolve('/untitled', u.path),
    languageId: td.languageId,
    text: td.getText(),
    version: td.version,
  };
}

function applySettings(s: Partial<Settings> | undefined): void {
  if (!s) return;
  if (!state) {
    initialSettings = { ...initialSettings, ...s };
    return;
  }
  const { ws } = state;
  const next: Settings = { ...ws.settings };
  if (typeof s.expiryWarningDays === 'number' && s.expiryWarningDays >= 0) next.expiryWarningDays = s.expiryWarningDays;
  if (typeof s.allowReadsOutsideWorkspace === 'boolean') next.allowReadsOutsideWorkspace = s.allowReadsOutsideWorkspace;
  if (typeof s.trusted === 'boolean') next.trusted = s.trusted;
  if (Array.isArray(s.pemGlobs)) next.pemGlobs = s.pemGlobs.filter((g) => typeof g === 'string');
  if (Array.isArray(s.milvusConfigGlobs)) next.milvusConfigGlobs = s.milvusConfigGlobs.filter((g) => typeof g === 'string');
  if (typeof s.postgresLibpqVersion === 'number' && s.postgresLibpqVersion > 0) next.postgresLibpqVersion = s.postgresLibpqVersion;
  ws.settings = next;
}

connection.onInitialize((params: InitializeParams): InitializeResult => {
  roots = (params.workspaceFolders ?? [])
    .map((f) => URI.parse(f.uri))
    .filter((u) => u.scheme === 'file')
    .map((u) => u.fsPath);
  if (roots.length === 0 && params.rootUri) roots.push(URI.parse(params.rootUri).fsPath);
  applySettings((params.initializationOptions as InitializationOptions | undefined)?.settings);
  watchRegistrationSupported = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  const w = params.capabilities.workspace;
  editor = {
    // A notification: connection.window.show*Message would send window/showMessageRequest and wait for an answer.
    showMessage: (kind, message) =>
      void connection.sendNotification(ShowMessageNotification.type, {
        type: kind === 'error' ? MessageType.Error : kind === 'warning' ? MessageType.Warning : MessageType.Info,
        message,
      }),
    // The wiring edit is built as documentChanges; a client without them would misread it.
    applyEdit:
      w?.applyEdit && w.workspaceEdit?.documentChanges ? async (edit) => (await connection.workspace.applyEdit(edit)).applied : undefined,
    canCreateFiles: !!w?.workspaceEdit?.resourceOperations?.includes('create'),
    publish: (uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }),
  };
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      completionProvider: { triggerCharacters: [':', ' ', '/'] },
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      documentLinkProvider: { resolveProvider: false },
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      codeLensProvider: { resolveProvider: false },
      executeCommandProvider: { commands: Object.values(SERVER_COMMANDS) },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'tls-config', version },
  };
});

connection.onInitialized(() => {
  setImmediate(get);
  connection.workspace.onDidChangeWorkspaceFolders((e) => {
    const gone = new Set(e.removed.map((f) => URI.parse(f.uri).fsPath));
    roots = [
      ...roots.filter((r) => !gone.has(r)),
      ...e.added
        .map((f) => URI.parse(f.uri))
        .filter((u) => u.scheme === 'file')
        .map((u) => u.fsPath),
    ];
    get().ws.roots = roots;
    revalidateAll();
  });
  if (watchRegistrationSupported) {
    void connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: [{ globPattern: '**/*.{pem,crt,cer,key,csr,ca-bundle,yaml,yml,env}' }, { globPattern: '**/.env' }],
    });
  }
});

connection.onNotification(SETTINGS_NOTIFICATION, (s: SettingsParams) => {
  applySettings(s);
  revalidateAll();
});
connection.onDidChangeConfiguration((p) => {
  const s = (p.settings as Record<string, SettingsParams | undefined> | null | undefined)?.[SETTINGS_SECTION];
  if (s) {
    applySettings(s);
    revalidateAll();
  }
});

/** Bumped by every event that can change what other open documents read; see recheckOthers. */
let generation = 0;
const checkedAt = new Map<string, number>();

function validateNow(td: TextDocument): void {
  const doc = toDoc(td);
  if (!doc) return;
  const version = td.version;
  checkedAt.set(td.uri, generation);
  const diagnostics = get().service.validate(doc);
  void connection.sendDiagnostics({ uri: td.uri, version, diagnostics });
}

function schedule(td: TextDocument, delay = DEBOUNCE_MS): void {
  const prev = pending.get(td.uri);
  if (prev) clearTimeout(prev);
  pending.set(
    td.uri,
    setTimeout(() => {
      pending.delete(td.uri);
      const cur = documents.get(td.uri);
      if (cur) validateNow(cur);
    }, delay),
  );
}

function revalidateAll(): void {
  for (const td of documents.all()) schedule(td, 0);
}

/**
 * Other open documents may read the one that changed (a compose file, a certificate). One timer for all of them:
 * re-arming a timer per open document on every event made opening n documents cost n² timer operations, and kept
 * every diagnostic back until the last didOpen. Documents checked since the last event, or about to be, are skipped.
 */
let othersTimer: NodeJS.Timeout | undefined;
function recheckOthers(): void {
  generation++;
  if (othersTimer) clearTimeout(othersTimer);
  othersTimer = setTimeout(() => {
    othersTimer = undefined;
    for (const td of documents.all()) if (!pending.has(td.uri) && checkedAt.get(td.uri) !== generation) validateNow(td);
  }, DEBOUNCE_MS * 2);
}

/** TextDocuments fires onDidChangeContent synchronously right after onDidOpen, for the same document: not an edit. */
let justOpened: TextDocument | undefined;

documents.onDidOpen((e) => {
  const doc = toDoc(e.document);
  const changed = !!doc && !get().ws.openKeepsAnswers(doc.path, doc.text);
  if (doc) get().ws.setOverlay(doc.path, doc.text, e.document.version);
  justOpened = e.document;
  schedule(e.document, 0);
  if (changed) recheckOthers();
});
documents.onDidChangeContent((e) => {
  const opened = e.document === justOpened;
  justOpened = undefined;
  if (opened) return;
  const doc = toDoc(e.document);
  if (doc) get().ws.setOverlay(doc.path, doc.text, e.document.version);
  schedule(e.document, DEBOUNCE_MS);
  recheckOthers();
});
documents.onDidClose((e) => {
  const doc = toDoc(e.document);
  if (doc) {
    get().ws.clearOverlay(doc.path);
    get().ws.invalidate(doc.path);
  }
  get().service.forget(e.document.uri);
  const t = pending.get(e.document.uri);
  if (t) clearTimeout(t);
  pending.delete(e.document.uri);
  checkedAt.delete(e.document.uri);
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  recheckOthers();
});

connection.onDidChangeWatchedFiles((p) => {
  for (const c of p.changes) {
    const u = URI.parse(c.uri);
    if (u.scheme === 'file') get().ws.invalidate(u.fsPath);
  }
  // Dependent files are the open milvus.yaml / compose documents; re-check only those, no workspace rescan.
  revalidateAll();
});

function withDoc<T>(uri: string, fallback: T, f: (d: Doc) => T): T {
  const td = documents.get(uri);
  const doc = td && toDoc(td);
  if (!doc) return fallback;
  try {
    return f(doc);
  } catch (e) {
    connection.console.error(`request failed: ${(e as Error).message}`);
    return fallback;
  }
}

connection.onHover((p) => withDoc(p.textDocument.uri, null, (d) => get().service.hover(d, p.position)));
connection.onCompletion((p) => withDoc(p.textDocument.uri, [], (d) => get().service.completion(d, p.position)));
connection.onDocumentSymbol((p) => withDoc(p.textDocument.uri, [], (d) => get().service.symbols(d)));
connection.onFoldingRanges((p) => withDoc(p.textDocument.uri, [], (d) => get().service.folding(d)));
connection.onDocumentLinks((p) => withDoc(p.textDocument.uri, [], (d) => get().service.links(d)));
connection.onCodeAction((p) => withDoc(p.textDocument.uri, [], (d) => get().service.codeActions(d, p.context.diagnostics)));
connection.onCodeLens((p) =>
  withDoc(p.textDocument.uri, [], (d) =>
    get()
      .service.connectionTargets(d)
      .map((t, index) => ({
        range: t.range,
        command: {
          title: `Test TLS connection (${t.target.host}:${t.target.port})`,
          command: SERVER_COMMANDS.testConnection,
          arguments: [{ uri: p.textDocument.uri, index }],
        },
      })),
  ),
);
connection.onExecuteCommand(async (p, token) => {
  const cancel = new AbortController();
  token.onCancellationRequested(() => cancel.abort());
  try {
    const { ws, service } = get();
    const result = await core!.executeServerCommand(p.command, p.arguments ?? [], {
      ws,
      service,
      openText: (file) => ws.overlayText(file),
      editor,
      signal: cancel.signal,
    });
    // Open documents may name the files just written, and not every client reports file changes.
    if (p.command === SERVER_COMMANDS.generate || p.command === SERVER_COMMANDS.generateCerts) revalidateAll();
    return result;
  } catch (e) {
    // Errors go back to the client as a message it can show; never a stack with file contents.
    return { error: (e as Error).message };
  }
});

documents.listen(connection);
connection.listen();
