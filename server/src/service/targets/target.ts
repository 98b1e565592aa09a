/**
 * The one small interface every system we support implements. A target
 * recognises its documents cheaply, parses each once per version (the facade
 * caches the model and hands the same one to every feature), and answers the
 * features it has. Adding a system is a folder under targets/ and a line in
 * registry.ts.
 */
import type {
  CodeAction,
  CompletionItem,
  Diagnostic,
  DocumentLink,
  DocumentSymbol,
  FoldingRange,
  Hover,
  Position,
  Range,
} from 'vscode-languageserver-types';
import type { Settings } from '../types';
import type { Workspace } from '../workspace';
import type { ComposeModel } from '../deploy/compose';
import type { ConfigSlot } from '../tls/slots';
import type { CertInfo, FileContents } from '../pem/model';

export interface Doc {
  /** Absolute file-system path. */
  path: string;
  uri: string;
  languageId?: string;
  text: string;
  /** The editor's version of the text; undefined for files read from disk (CLI). */
  version?: number;
}

export interface TargetContext {
  ws: Workspace;
  settings: Settings;
  now: Date;
  processEnv: Record<string, string | undefined>;
  /** One-line description of a file's PEM contents (compose hovers). */
  describeFile(file: string): string;
  /** Every registered target: a deploy document (compose) asks the others what they expect of it. */
  targets: readonly Target<unknown>[];
}

export interface Target<M = unknown> {
  readonly id: string;
  /** Cheap: the name, the language id, at most a line scan of the text. */
  recognise(doc: Pick<Doc, 'path' | 'languageId' | 'text'>, settings: Settings): boolean;
  parse(doc: Doc, ctx: TargetContext): M;
  validate(doc: Doc, model: M, ctx: TargetContext): Diagnostic[];
  hover?(doc: Doc, model: M, pos: Position, ctx: TargetContext): Hover | null;
  completion?(doc: Doc, model: M, pos: Position, ctx: TargetContext): CompletionItem[];
  links?(doc: Doc, model: M, ctx: TargetContext): DocumentLink[];
  symbols?(doc: Doc, model: M): DocumentSymbol[];
  folding?(doc: Doc, model: M): FoldingRange[];
  /** The certificate and key settings of the document, for features beyond validation (links, a connection test). */
  slots?(doc: Doc, model: M, ctx: TargetContext): ConfigSlot[];
  /** Quick fixes for the diagnostics (of any document) whose `data` this target understands. */
  codeActions?(doc: Doc, diagnostics: Diagnostic[], ctx: TargetContext): CodeAction[];
  /** What this system expects of the compose file that runs it (checked on the compose document). */
  composeChecks?(composePath: string, model: ComposeModel, ctx: TargetContext): Diagnostic[];
  /** Findings this target adds to a PEM file (the sets of a folder of certificates and keys). */
  pemChecks?(doc: Doc, contents: FileContents, ctx: TargetContext): Diagnostic[];
  /** One line about a certificate's place in this target's view, shown at the top of its hover. */
  pemSummary?(file: string, cert: CertInfo, ctx: TargetContext): string | undefined;
  /**
   * The endpoints this document describes, for "Test TLS connection" (a CodeLens
   * at `range`, the CLI's `probe --config`). Derivation only: the service never connects.
   */
  connectionTargets?(doc: Doc, model: M, ctx: TargetContext): ConnectionTarget[];
  /** Server commands its code actions name, advertised in executeCommandProvider. */
  readonly commands?: readonly string[];
  /** Its diagnostic codes, for the generated table. */
  readonly codes: readonly DiagnosticCodeInfo[];
}

export type SeverityName = 'error' | 'warning' | 'information' | 'hint';

export interface DiagnosticCodeInfo {
  code: string;
  severity: SeverityName;
  summary: string;
}

export type EndpointProtocol = 'tls' | 'postgres' | 'postgres-direct';

/** Where to connect and with which files (absolute host paths). */
export interface EndpointTarget {
  host: string;
  port: number;
  /** Name sent as SNI and verified; default `host`. */
  serverName?: string;
  /** CA file the server certificate must chain to; absent = the system roots. */
  ca?: string;
  /** Client certificate and key, for mutual TLS. */
  cert?: string;
  key?: string;
  alpn?: string[];
  protocol?: EndpointProtocol;
}

/** What a config says about an endpoint, so a failed test is explained in the config's terms. */
export interface EndpointFacts {
  /** "Milvus", "PostgreSQL", … */
  product?: string;
  /** The config the target was derived from. */
  configFile?: string;
  /** Milvus common.security.tlsMode in the config (0, 1, 2). */
  tlsMode?: number;
  /** The server certificate the config names (host path), compared with the presented one. */
  serverCert?: string;
  /**
   * The config requires a client certificate but the server only enforces it after the handshake
   * (nginx `ssl_verify_client on`: every request without one is answered 400): what happens, in a sentence.
   */
  clientCertRequired?: string;
  /** How each value was found, one line each ("port 19530 from compose ports 19530:19530"). */
  derivation?: string[];
}

export interface ConnectionTarget {
  /** "Milvus proxy (gRPC) 127.0.0.1:19530". */
  label: string;
  /** Where the CodeLens goes (the `tls:` key). */
  range: Range;
  target: EndpointTarget;
  facts: EndpointFacts;
}
