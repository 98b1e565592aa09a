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
import { checkWorkspace, checkOnStartup } from './workspace-check';
import { statusBar } from './status';
import { watchUntitledPem } from './untitled-pem';
import { CertificateViews, copyFingerprint } from './cert-view';
import { openExample } from './example';
import { commandLine, redact, startupLines } from './log-lines';
import {
  CLIENT_COMMANDS,
  SERVER_COMMANDS,
  SETTINGS_NOTIFICATION,
  SETTINGS_SECTION,
  type GenerateCertsParams,
  type TestConnectionParams,
  type InitializationOptions,
  type SettingsParams,
  type ClientCommand,
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
    milvusVersion: c.get<string>('milvus.version', ''),
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
  const views: { current?: CertificateViews } = {};
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
      // Milvus clients: pymilvus calls in Python, curl commands in READMEs (the server's recognise() keeps other files free).
      { scheme: 'file', language: 'python' },
      { scheme: 'file', language: 'markdown' },
      ...s.pemGlobs.map((g) => ({ scheme: 'file', pattern: g })),
    ],
    initializationOptions: { settings: s } satisfies InitializationOptions,
    outputChannel: output,
    // Hovers end with a "Show certificate" command link; VS Code runs command links only from trusted markdown.
    markdown: { isTrusted: { enabledCommands: [SERVER_COMMANDS.showCertificate] } },
    synchronize: { configurationSection: SETTINGS_SECTION },
    middleware: {
      // The client registers every server command itself; in VS Code the quick fix's generate command asks the wizard's questions instead of taking defaults.
      // Likewise the connection test's CodeLens runs the UI (progress, cancel, preview) around the server command.
      executeCommand: (command, args, next) => {
        output.info(commandLine(command, args));
        // The hovers' "Show certificate" link (a server command, so other editors get the decode as markdown) opens the certificate view here.
        return (command === SERVER_COMMANDS.describeCertificates || command === SERVER_COMMANDS.showCertificate) && views.current
          ? views.current.show(certificateTarget(args[0]))
          : command === SERVER_COMMANDS.generateCerts && client
            ? runGenerateFlow(client, args[0] as GenerateCertsParams | undefined)
            : command === SERVER_COMMANDS.testConnection && client
              ? runTestConnection(client, context.workspaceState, args[0] as TestConnectionParams | undefined)
              : next(command, args);
      },
    },
  };
  client = new LanguageClient(SETTINGS_SECTION, 'TLS Config', serverOptions, clientOptions);
  for (const line of startupLines({
    version: String(context.extension.packageJSON.version),
    vscodeVersion: vscode.version,
    serverPath: serverModule,
    folders: (vscode.workspace.workspaceFolders ?? []).map((f) => (f.uri.scheme === 'file' ? f.uri.fsPath : f.uri.toString())),
    trusted: vscode.workspace.isTrusted,
  }))
    output.info(line);
  try {
    await client.start();
  } catch (e) {
    output.error(`the language server did not start: ${redact((e as Error).message)}`);
    throw e;
  }
  output.info(
    `server started: ${client.initializeResult?.serverInfo?.name ?? 'tls-config'} ${client.initializeResult?.serverInfo?.version ?? ''}`.trim(),
  );
  const c = client;
  const certificates = (views.current = new CertificateViews(c, output));
  /** Every palette command: logged when run, and an error it throws is logged and shown instead of vanishing. */
  const command = (id: ClientCommand, run: (...args: any[]) => unknown) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      output.info(commandLine(id, args));
      try {
        return await run(...args);
      } catch (e) {
        const message = redact((e as Error).message ?? String(e));
        output.error(`${id} failed: ${message}`);
        void vscode.window.showErrorMessage(`TLS Config: ${message}`);
      }
    });
  const push = () => client?.sendNotification(SETTINGS_NOTIFICATION, settings());
  context.subscriptions.push(
    output,
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SETTINGS_SECTION)) return;
      push();
      // New globs can make files candidates that the last check did not look at.
      const globs = ['pemGlobs', 'milvusConfigGlobs'].some((k) => e.affectsConfiguration(`${SETTINGS_SECTION}.${k}`));
      if (globs && checkOnStartup()) void checkWorkspace(c, output, false);
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      output.info('workspace trust granted: referenced files are read now');
      push();
      if (checkOnStartup()) void checkWorkspace(c, output, false);
    }),
    statusBar(),
    watchUntitledPem(output),
    certificates.register(),
    command(CLIENT_COMMANDS.showCertificate, (arg?: unknown) => certificates.show(arg)),
    command(CLIENT_COMMANDS.copyFingerprint, (arg?: unknown) => copyFingerprint(c, arg)),
    command(CLIENT_COMMANDS.openExample, () => openExample(context, output)),
    command(CLIENT_COMMANDS.generateCerts, (arg?: vscode.Uri | GenerateCertsParams) => client && runGenerateFlow(client, arg)),
    command(CLIENT_COMMANDS.showOutput, () => output.show()),
    command(
      CLIENT_COMMANDS.checkCertificateSet,
      (uri?: vscode.Uri, uris?: vscode.Uri[]) => client && checkCertificateSet(client, uri, uris),
    ),
    vscode.workspace.registerTextDocumentContentProvider(RESULT_SCHEME, results),
    vscode.workspace.registerTextDocumentContentProvider(SNIPPET_SCHEME, snippetDocs),
    command(
      CLIENT_COMMANDS.testConnection,
      (arg?: vscode.Uri | TestConnectionParams) =>
        client && runTestConnection(client, context.workspaceState, arg instanceof vscode.Uri ? { uri: arg.toString() } : arg),
    ),
    command(CLIENT_COMMANDS.checkWorkspace, () => checkWorkspace(c, output, true)),
  );
  // Problems complete without opening a file; in the background, bounded, and not in an untrusted workspace.
  if (checkOnStartup()) void checkWorkspace(c, output, false);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}

/** A hover link names the file by document uri or by host path; the certificate view wants a uri. */
function certificateTarget(arg: unknown): unknown {
  const a = arg as { uri?: unknown; path?: unknown; line?: unknown } | undefined;
  if (a && typeof a.uri !== 'string' && typeof a.path === 'string')
    return { uri: vscode.Uri.file(a.path).toString(), ...(typeof a.line === 'number' ? { line: a.line } : {}) };
  return arg;
}
