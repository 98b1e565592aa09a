/**
 * The custom protocol between the TLS Config server and its clients, in one file
 * (as rust-analyzer's lsp_ext.ts): every command, notification and setting
 * section by id, with what it takes and returns.
 *
 * Only constants and `import type`: the VS Code client bundle, the server's
 * start-up file and the pure service all import this, so it must not pull a
 * module (vscode, vscode-languageserver, the YAML parser) into any of them.
 */
import type { GenerateOptions } from './service/certgen/options';
import type { PlannedFile } from './service/certgen/write';
import type { WireRequest, WirePlan } from './service/targets/milvus/wire';
import type { SnippetInput, ClientSnippets } from './service/certgen/snippets';
import type { Settings } from './service/types';
import type { ProbeResult, ProbeTarget } from './probe/types';

export type { GenerateOptions, KeyType, CertMode } from './service/certgen/options';

/**
 * The settings section, and the LanguageClient id, which VS Code also uses for
 * the `tlsConfig.trace.server` setting.
 */
export const SETTINGS_SECTION = 'tlsConfig';

/** Client → server: settings changed, or workspace trust was granted. */
export const SETTINGS_NOTIFICATION = 'tlsConfig/settings';
/** Fields the server does not know or that have the wrong type are ignored. */
export type SettingsParams = Partial<Settings>;

/** `initializationOptions` of `initialize`: the settings before any notification. */
export interface InitializationOptions {
  settings?: SettingsParams;
}

/**
 * Commands the server executes (`workspace/executeCommand`, one argument object)
 * and advertises in `executeCommandProvider`, so every LSP client can run them.
 */
export const SERVER_COMMANDS = {
  defaults: 'tlsConfig.server.generateDefaults',
  plan: 'tlsConfig.server.planGenerate',
  generate: 'tlsConfig.server.generate',
  wiring: 'tlsConfig.server.planWiring',
  snippets: 'tlsConfig.server.snippets',
  /** The whole "Generate TLS certs" action with defaults; what the quick fix names. */
  generateCerts: 'tlsConfig.server.generateCerts',
  /** Judge the PEM files of folders (or the given files with their folders) as certificate sets; results go to Problems. */
  checkCertificateSet: 'tlsConfig.server.checkCertificateSet',
  /** "Test TLS connection": one live handshake with the endpoint a document describes (or an explicit target). */
  testConnection: 'tlsConfig.server.testConnection',
  /**
   * The full decode of a PEM file (or of one block), which hovers link to ("Show certificate"). The server only
   * answers; the VS Code client shows the markdown in a read-only preview. Named without `.server.` so the hover's
   * command link reads as the user action it is.
   */
  showCertificate: 'tlsConfig.showCertificate',
  /** chmod 600 on a private key inside the workspace (the quick fix of a key readable by group or others). */
  fixKeyPermissions: 'tlsConfig.fixKeyPermissions',
} as const;

/**
 * VS Code commands contributed in package.json; they ask the questions and
 * leave the work to server commands.
 */
export const CLIENT_COMMANDS = {
  generateCerts: 'tlsConfig.generateCerts',
  checkWorkspace: 'tlsConfig.checkWorkspace',
  showOutput: 'tlsConfig.showOutput',
  checkCertificateSet: 'tlsConfig.checkCertificateSet',
  testConnection: 'tlsConfig.testConnection',
} as const;

export interface DefaultsParams {
  /** Where the user asked for certificates; the server's first workspace folder when absent. */
  folder?: string;
}

export interface DefaultsResult {
  /** Names clients dial: localhost, 127.0.0.1 and the Milvus service name when a compose file has one. */
  names: string[];
  /** Suggested output folder: tls/ next to the compose file, else tls/ in (or as) the folder. */
  out: string;
  composePath?: string;
  service?: string;
  /** `out` already holds ca.pem and ca.key, so new leaves could be signed with them. */
  caExists: boolean;
  options: GenerateOptions;
}

export interface GenerateParams {
  out: string;
  options: Partial<GenerateOptions>;
  overwrite?: boolean;
  /** Sign the new leaves with ca.pem / ca.key already in `out`. */
  reuseCa?: boolean;
}

export interface PlanResult {
  files: PlannedFile[];
  /** Why the options cannot be generated; empty when they can. */
  errors: string[];
}

export interface GenerateResult {
  written: string[];
  out: string;
}

export interface GenerateCertsParams {
  /** Absolute path of the folder the certificates are for (the quick fix passes the missing file's folder). */
  folder: string;
  /** Write the set into this folder (absolute) instead of the default tls/ beside the compose file: a missing bind source's quick fix fills the folder the mount names. */
  out?: string;
}

export type GenerateCertsResult =
  | {
      status: 'written';
      out: string;
      written: string[];
      /** `applied` is false when the client cannot apply edits or declined; `summary` then says what to change by hand. */
      wiring: { applied: boolean; summary: string[] };
      /** The text also shown with window/showMessage. */
      message: string;
    }
  | { status: 'refused'; out: string; existing: string[]; message: string };

export interface CheckCertificateSetParams {
  /** Absolute paths of folders (their PEM files) or of PEM files. */
  paths: string[];
}

export interface CheckCertificateSetResult {
  /** Every PEM file checked, with its findings (also published as diagnostics). */
  files: { uri: string; diagnostics: import('vscode-languageserver-types').Diagnostic[] }[];
  errors: number;
  warnings: number;
  /** One line for a notification: "4 PEM files in tls/: 1 error, 0 warnings". */
  summary: string;
}
export type { ProbeResult, ProbeTarget };

export interface TestConnectionParams {
  /** The document whose endpoint to test (its CodeLens passes it); its open text is used when it is open. */
  uri?: string;
  /** Which of the document's endpoints (default 0). */
  index?: number;
  /** An explicit endpoint, or fields that override the derived one (host, port, serverName, ca, cert, key, alpn, protocol; absolute paths). */
  target?: Partial<ProbeTarget>;
  /** Overall deadline in ms (default 10000, at most 120000). */
  timeoutMs?: number;
  /** Send no window/showMessage: the client shows the result itself (VS Code). */
  quiet?: boolean;
}

export type TestConnectionResult =
  | (ProbeResult & {
      status: 'tested';
      /** The result for people: the VS Code client shows it as a Markdown preview. */
      markdown: string;
      /** The one-line summary also sent with window/showMessage. */
      message: string;
      /** Which endpoint of the document was tested, as its CodeLens names it. */
      label?: string;
    })
  | { status: 'no-target'; message: string };

export interface ShowCertificateParams {
  /** The PEM file: a document uri (its open text is used) or an absolute host path. */
  uri?: string;
  path?: string;
  /** Only the block around this line (0-based); every block when absent. */
  line?: number;
}

export interface ShowCertificateResult {
  /** Workspace-relative name of the file. */
  title: string;
  /** The full decode: every field of each block as plain markdown lists (no tables), private keys as type and public-key hash only. */
  markdown: string;
  blocks: number;
}

export interface FixKeyPermissionsParams {
  /** Absolute path of the key file; it must lie inside a workspace folder and hold a private key. */
  path: string;
}

export interface FixKeyPermissionsResult {
  path: string;
  /** The mode before and after, as octal text ("0644" → "0600"). */
  before: string;
  after: string;
  message: string;
}

/** What any server command answers instead of its result when it fails. */
export interface CommandFailure {
  error: string;
}

interface Signatures {
  defaults: [DefaultsParams, DefaultsResult];
  plan: [GenerateParams, PlanResult];
  generate: [GenerateParams, GenerateResult];
  wiring: [WireRequest, WirePlan];
  snippets: [SnippetInput, ClientSnippets];
  generateCerts: [GenerateCertsParams, GenerateCertsResult];
  checkCertificateSet: [CheckCertificateSetParams, CheckCertificateSetResult];
  testConnection: [TestConnectionParams, TestConnectionResult];
  showCertificate: [ShowCertificateParams, ShowCertificateResult];
  fixKeyPermissions: [FixKeyPermissionsParams, FixKeyPermissionsResult];
}
type ByName = typeof SERVER_COMMANDS;
type ById = { [K in keyof ByName as ByName[K]]: Signatures[K] };

export type ServerCommand = ByName[keyof ByName];
export type ClientCommand = (typeof CLIENT_COMMANDS)[keyof typeof CLIENT_COMMANDS];
export type CommandParams<C extends ServerCommand> = ById[C][0];
export type CommandResult<C extends ServerCommand> = ById[C][1];
