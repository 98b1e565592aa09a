/**
 * The thin VS Code door: starts the language server, passes settings and
 * workspace trust, and runs the UI of "Generate TLS certs". No TLS rule here.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { runGenerateFlow, snippetDocs, SNIPPET_SCHEME } from './generate';
import { checkCertificateSet } from './check-set';
import { runTestConnection, results, RESULT_SCHEME } from './test-connection';
import {
  CLIENT_COMMANDS,
  SERVER_COMMANDS,
  SETTINGS_NOTIFICATION,
  SETTINGS_SECTION,
  type GenerateCertsParams,
  type TestConnectionParams,
  type InitializationOptions,
  type SettingsParams,
} from '../../server/src/protocol';

let client: LanguageClient | undefined;

function settings(): Required<SettingsParams> {
  const c = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return {
    expiryWarningDays: c.get<number>('expiryWarningDays', 30),
    pemGlobs: c.get<string[]>('pemGlobs', []),
    milvusConfigGlobs: c.get<string[]>('milvusConfigGlobs', []),
    allowReadsOutsideWorkspace: c.get<boolean>('allowReadsOutsideWorkspace', false),
    postgresLibpqVersion: c.get<number>('postgres.libpqVersion', 16),
    trusted: vscode.workspace.isTrusted,
  };
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  // glibc gives each of V8's GC and compiler threads its own malloc arena, whose freed pages stay resident; two arenas
  // keep the server's peak RSS ~3 MB lower over a run of keystrokes. Read at process start, so only a launcher can set it.
  const env = { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' };
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { env } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const s = settings();
  const output = vscode.window.createOutputChannel('TLS Config', { log: true });
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'pem' },
      { scheme: 'untitled', language: 'pem' },
      { scheme: 'file', language: 'yaml' },
      { scheme: 'file', language: 'dockercompose' },
      // PostgreSQL: .env files, pg_service.conf, postgresql.conf, and configs holding connection strings.
      { scheme: 'file', pattern: '**/{.env,.env.*,*.env,pg_service.conf,.pg_service.conf,postgresql.conf,postgresql.auto.conf}' },
      { scheme: 'file', language: 'properties' },
      { scheme: 'file', language: 'json' },
      { scheme: 'file', language: 'jsonc' },
      { scheme: 'file', language: 'toml' },
      // nginx (issue 15): any *.conf and Debian's sites-*/ entries; the server's recognise() keeps non-nginx files free.
      { scheme: 'file', language: 'nginx' },
      { scheme: 'file', pattern: '**/*.conf' },
      { scheme: 'file', pattern: '**/sites-{available,enabled}/*' },
      // APISIX / ADC SSL objects as JSON bodies and in curl calls of scripts.
      { scheme: 'file', language: 'shellscript' },
      ...s.pemGlobs.map((g) => ({ scheme: 'file', pattern: g })),
    ],
    initializationOptions: { settings: s } satisfies InitializationOptions,
    outputChannel: output,
    synchronize: { configurationSection: SETTINGS_SECTION },
    middleware: {
      // The client registers every server command itself; in VS Code the quick fix's generate command asks the wizard's questions instead of taking defaults.
      // Likewise the connection test's CodeLens runs the UI (progress, cancel, preview) around the server command.
      executeCommand: (command, args, next) =>
        command === SERVER_COMMANDS.generateCerts && client
          ? runGenerateFlow(client, args[0] as GenerateCertsParams | undefined)
          : command === SERVER_COMMANDS.testConnection && client
            ? runTestConnection(client, context.workspaceState, args[0] as TestConnectionParams | undefined)
            : next(command, args),
    },
  };
  client = new LanguageClient(SETTINGS_SECTION, 'TLS Config', serverOptions, clientOptions);
  await client.start();
  const push = () => client?.sendNotification(SETTINGS_NOTIFICATION, settings());
  context.subscriptions.push(
    output,
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration(SETTINGS_SECTION) && push()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => push()),
    vscode.commands.registerCommand(
      CLIENT_COMMANDS.generateCerts,
      (arg?: vscode.Uri | GenerateCertsParams) => client && runGenerateFlow(client, arg),
    ),
    vscode.commands.registerCommand(CLIENT_COMMANDS.showOutput, () => output.show()),
    vscode.commands.registerCommand(
      CLIENT_COMMANDS.checkCertificateSet,
      (uri?: vscode.Uri, uris?: vscode.Uri[]) => client && checkCertificateSet(client, uri, uris),
    ),
    vscode.workspace.registerTextDocumentContentProvider(RESULT_SCHEME, results),
    vscode.workspace.registerTextDocumentContentProvider(SNIPPET_SCHEME, snippetDocs),
    vscode.commands.registerCommand(
      CLIENT_COMMANDS.testConnection,
      (arg?: vscode.Uri | TestConnectionParams) =>
        client && runTestConnection(client, context.workspaceState, arg instanceof vscode.Uri ? { uri: arg.toString() } : arg),
    ),
    vscode.commands.registerCommand(CLIENT_COMMANDS.checkWorkspace, async () => {
      // Open every milvus.yaml / compose / PEM file in the background so the server checks them.
      const files = await vscode.workspace.findFiles(
        '**/{milvus*.yaml,user.yaml,*compose*.yml,*compose*.yaml,*.pem,*.crt,*.key,nginx.conf,conf.d/*.conf,sites-enabled/*,apisix.yaml}',
        '**/node_modules/**',
        500,
      );
      for (const f of files) await vscode.workspace.openTextDocument(f);
      await vscode.commands.executeCommand('workbench.actions.view.problems');
    }),
  );
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
