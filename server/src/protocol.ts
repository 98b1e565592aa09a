/**
 * The custom protocol between the TLS Config server and its clients, in one file
 * (as rust-analyzer's lsp_ext.ts): every command, notification and setting
 * section by id, with what it takes and returns.
 *
 * Only constants and `import type`: the VS Code client bundle, the server's
 * start-up file and the pure service all import this, so it must not pull a
 * module (vscode, vscode-languageserver, the YAML parser) into any of them.
 */
import type { GenerateOptions, OptionProblem } from './service/certgen/options';
import type { LayoutId, LayoutInfo } from './service/certgen/layouts';
import type { PgWireRequest } from './service/targets/postgres/wire';
import type { PlannedFile } from './service/certgen/write';
import type { WireRequest, WirePlan } from './service/targets/milvus/wire';
import type { SnippetInput, ClientSnippets } from './service/certgen/snippets';
import type { K8sOptions } from './service/certgen/k8s';
import type { K8sTarget } from './service/certgen/k8s-detect';
import type { K8sWireRequest, K8sWirePlan } from './service/certgen/k8s-wire';
import type { Settings } from './service/types';
import type { ProbeResult, ProbeTarget } from './probe/types';

export type { GenerateOptions, KeyType, CertMode, OptionField, OptionProblem } from './service/certgen/options';
export type { LayoutId, LayoutInfo } from './service/certgen/layouts';

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
  /** The edit that wires a Kubernetes TLS Secret into a Milvus resource (kind: Milvus) or Helm values file. */
  kubernetesWiring: 'tlsConfig.server.planKubernetesWiring',
  /** "Test TLS connection": one live handshake with the endpoint a document describes (or an explicit target). */
  testConnection: 'tlsConfig.server.testConnection',
  /** The generator's own checks of answers given so far, each on the field it is about: a wizard validates each step with it. */
  validateGenerate: 'tlsConfig.server.validateGenerateOptions',
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
  /** The layouts to offer, in order, each with its own suggested folder; `layout` is the one the workspace suggests. */
  layouts?: LayoutChoice[];
  layout?: LayoutId;
  /** The folder (or its parent) holds a Milvus resource or Milvus Helm values: offer layout 'k8s' and wire this file. */
  kubernetes?: K8sTarget;
}

export interface LayoutChoice extends LayoutInfo {
  /** Suggested output folder for this layout (absolute). */
  out: string;
  /** The compose file it wires, when one runs this system. */
  composePath?: string;
  service?: string;
  /** Why it is suggested: "service db in docker-compose.yml". */
  detected?: string;
  /** Postgres: the database user (POSTGRES_USER) and database, the default client CN. */
  dbUser?: string;
  db?: string;
}

export interface ValidateGenerateParams {
  /** The answers so far; absent fields take the defaults. */
  options: Partial<GenerateOptions>;
  /** With `reuseCa`, the CA in `out` is read and checked instead of caDays. */
  out?: string;
  reuseCa?: boolean;
}

export interface ValidateGenerateResult {
  errors: OptionProblem[];
  /** Valid but worth a word (a wildcard name). */
  notes: OptionProblem[];
}

/** planWiring: Milvus by default; `layout: 'postgres'` wires the compose ssl flags and a .env URI. */
export type WiringParams = WireRequest & Partial<Omit<PgWireRequest, 'certDir' | 'mode' | 'composePath'>> & { layout?: LayoutId };
export type WiringResult = WirePlan & {
  /** What the edit cannot do (file ownership), to say after applying. */
  todo?: string[];
};

export type SnippetsParams = SnippetInput & { layout?: LayoutId; dbUser?: string; db?: string };
export type SnippetsResult = Partial<ClientSnippets> & {
  /** A read-only document for people: how to connect with the generated files. */
  title: string;
  markdown: string;
};

export interface GenerateParams {
  out: string;
  options: Partial<GenerateOptions>;
  overwrite?: boolean;
  /** Sign the new leaves with ca.pem / ca.key already in `out`. */
  reuseCa?: boolean;
  /** With options.layout 'k8s': the Secret's name and namespace. */
  kubernetes?: K8sOptions;
}

export interface PlanResult {
  files: PlannedFile[];
  /** Why the options cannot be generated; empty when they can. */
  errors: string[];
  /** `out` holds this layout's CA certificate and ca.key, so new leaves could be signed with them. */
  caExists?: boolean;
  /** The names of this layout's CA files (certificate, key), to tell them from the leaves. */
  caFiles?: string[];
}

export interface GenerateResult {
  written: string[];
  out: string;
  /** Layout 'k8s': the Secret manifest (private keys, 0600) and the Helm values fragment, and the commands to apply them. */
  kubernetes?: { secretManifest: string; valuesFragment: string; apply: string[] };
}

export interface GenerateCertsParams {
  /** Absolute path of the folder the certificates are for (the quick fix passes the missing file's folder). */
  folder: string;
  /**
   * 'k8s': also a Secret manifest and a values fragment, and the wiring edit to the Milvus resource or
   * Helm values file found in the folder or its parent. Default: 'k8s' when such a file is there and no
   * compose file runs Milvus, else plain files wired into milvus.yaml / compose.
   */
  layout?: 'files' | 'k8s';
  namespace?: string;
  secretName?: string;
}

export type GenerateCertsResult =
  | {
      status: 'written';
      out: string;
      written: string[];
      /** `applied` is false when the client cannot apply edits or declined; `summary` then says what to change by hand. */
      wiring: { applied: boolean; summary: string[] };
      /** Layout 'k8s': the file wired (if one was found), the edit (also applied when `wiring.applied`), what to run. */
      kubernetes?: {
        target?: K8sTarget;
        edit: import('vscode-languageserver-types').WorkspaceEdit;
        secretManifest: string;
        apply: string[];
      };
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
  /** Used for the fields (ca, cert, key, serverName) that neither the document nor `target` gives: answers the user gave before. */
  fallback?: Partial<Pick<ProbeTarget, 'ca' | 'cert' | 'key' | 'serverName'>>;
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

/** What any server command answers instead of its result when it fails. */
export interface CommandFailure {
  error: string;
}

interface Signatures {
  defaults: [DefaultsParams, DefaultsResult];
  plan: [GenerateParams, PlanResult];
  generate: [GenerateParams, GenerateResult];
  wiring: [WiringParams, WiringResult];
  snippets: [SnippetsParams, SnippetsResult];
  generateCerts: [GenerateCertsParams, GenerateCertsResult];
  checkCertificateSet: [CheckCertificateSetParams, CheckCertificateSetResult];
  kubernetesWiring: [K8sWireRequest, K8sWirePlan];
  testConnection: [TestConnectionParams, TestConnectionResult];
  validateGenerate: [ValidateGenerateParams, ValidateGenerateResult];
}
type ByName = typeof SERVER_COMMANDS;
type ById = { [K in keyof ByName as ByName[K]]: Signatures[K] };

export type ServerCommand = ByName[keyof ByName];
export type ClientCommand = (typeof CLIENT_COMMANDS)[keyof typeof CLIENT_COMMANDS];
export type CommandParams<C extends ServerCommand> = ById[C][0];
export type CommandResult<C extends ServerCommand> = ById[C][1];
