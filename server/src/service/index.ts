/**
 * The language service facade: one object the LSP server, the CLI and the
 * tests talk to. It asks the registry which target owns a document, parses the
 * document once per version, and hands that model to every feature. Pure: text
 * + a workspace view in, LSP types out.
 */
import type {
  CodeAction,
  CodeLens,
  CompletionItem,
  Diagnostic,
  DocumentLink,
  DocumentSymbol,
  FoldingRange,
  Hover,
  Position,
} from 'vscode-languageserver-types';
import { Workspace } from './workspace';
import { diag, Severity, type Settings } from './types';
import { TARGETS } from './targets/registry';
import type { ConnectionTarget, Doc, Target, TargetContext } from './targets/target';
import type { ConfigSlot } from './tls/slots';
import { loadPemFile } from './pem/files';
import { describeItem } from './pem/describe';
import { decodeFile } from './pem/decode';
import { lspLines } from './text';
import { relativeMessage } from './shown-path';

export type { Doc, ConnectionTarget };
export type DocumentKind = string;

/** Documents larger than this are not analysed: a message says so instead of freezing the editor. */
export const MAX_DOCUMENT_CHARS = 5 * 1024 * 1024;

interface Parsed {
  text: string;
  version?: number;
  target?: Target<unknown>;
  model?: unknown;
}

/** How many documents keep their parsed model (an editor has a few open; the CLI walks thousands once). */
const MODEL_CACHE_SIZE = 64;

export class LanguageService {
  /** One parse per document version, shared by validation, hover, completion, links and symbols. */
  private parsed = new Map<string, Parsed>();

  constructor(
    readonly ws: Workspace,
    private readonly env: Record<string, string | undefined> = process.env,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  get settings(): Settings {
    return this.ws.settings;
  }

  private ctx(): TargetContext {
    return {
      ws: this.ws,
      settings: this.ws.settings,
      now: this.clock(),
      processEnv: this.env,
      describeFile: (f) => this.describeFile(f),
      targets: TARGETS,
    };
  }

  private targetOf(doc: Pick<Doc, 'path' | 'languageId' | 'text'>): Target<unknown> | undefined {
    return TARGETS.find((t) => t.recognise(doc, this.settings));
  }

  kindOf(doc: Pick<Doc, 'path' | 'languageId' | 'text'>): DocumentKind | undefined {
    return this.targetOf(doc)?.id;
  }

  /** The target and its model for this version of the document; parsed at most once per version. */
  private parse(doc: Doc): Parsed {
    const hit = this.parsed.get(doc.uri);
    if (hit && hit.text === doc.text && hit.version === doc.version) {
      // Most recently used last, so eviction drops the oldest.
      this.parsed.delete(doc.uri);
      this.parsed.set(doc.uri, hit);
      return hit;
    }
    const target = this.targetOf(doc);
    const p: Parsed = { text: doc.text, version: doc.version, target };
    if (target && doc.text.length <= MAX_DOCUMENT_CHARS) p.model = target.parse(doc, this.ctx());
    this.parsed.delete(doc.uri);
    this.parsed.set(doc.uri, p);
    if (this.parsed.size > MODEL_CACHE_SIZE) this.parsed.delete(this.parsed.keys().next().value!);
    return p;
  }

  /** A document was closed: its model goes with it. */
  forget(uri: string): void {
    this.parsed.delete(uri);
  }

  validate(doc: Doc): Diagnostic[] {
    doc = withLspLines(doc);
    try {
      const p = this.parse(doc);
      if (!p.target) return [];
      if (doc.text.length > MAX_DOCUMENT_CHARS) {
        return [
          diag(
            { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
            Severity.Warning,
            'file-too-large',
            `This file is ${(doc.text.length / 1048576).toFixed(1)} MB; files over ${MAX_DOCUMENT_CHARS / 1048576} MB are not checked. Split it or check it with a smaller excerpt.`,
          ),
        ];
      }
      const refused = this.ws.untrustedRefusals;
      const found = p.target.validate(doc, p.model, this.ctx());
      // Restricted Mode skips every check that reads another file, silently; one line says so and how to see them.
      if (!this.settings.trusted && this.ws.untrustedRefusals > refused) found.push(untrustedHint());
      return relativeMessages(found, this.ws.roots);
    } catch (e) {
      // A bug of ours must not take the server down with it; say so where the user looks.
      return [
        diag(
          { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          Severity.Warning,
          'internal-error',
          `The TLS checker failed on this file (${(e as Error).message}). Please report it; other features keep working.`,
        ),
      ];
    }
  }

  hover(doc: Doc, pos: Position): Hover | null {
    return this.feature(doc, null, (t, p, d) => t.hover?.(d, p.model, pos, this.ctx()) ?? null);
  }

  completion(doc: Doc, pos: Position): CompletionItem[] {
    return this.feature(doc, [], (t, p, d) => t.completion?.(d, p.model, pos, this.ctx()) ?? []);
  }

  symbols(doc: Doc): DocumentSymbol[] {
    return this.feature(doc, [], (t, p, d) => t.symbols?.(d, p.model) ?? []);
  }

  folding(doc: Doc): FoldingRange[] {
    return this.feature(doc, [], (t, p, d) => t.folding?.(d, p.model) ?? []);
  }

  links(doc: Doc): DocumentLink[] {
    return this.feature(doc, [], (t, p, d) => t.links?.(d, p.model, this.ctx()) ?? []);
  }

  /** The document's certificate and key settings, as its target extracts them. */
  slots(doc: Doc): ConfigSlot[] {
    return this.feature(doc, [], (t, p, d) => t.slots?.(d, p.model, this.ctx()) ?? []);
  }

  codeActions(doc: Doc, diagnostics: Diagnostic[]): CodeAction[] {
    doc = withLspLines(doc);
    const ctx = this.ctx();
    return safe(() => TARGETS.flatMap((t) => t.codeActions?.(doc, diagnostics, ctx) ?? []), []);
  }

  /** The endpoints a document describes, for "Test TLS connection" and its CodeLens (no connection is made here). */
  connectionTargets(doc: Doc): ConnectionTarget[] {
    return this.feature(doc, [], (t, p, d) => t.connectionTargets?.(d, p.model, this.ctx()) ?? []);
  }

  /** CodeLenses a target adds besides the connection test's (certificate expiry and issuer in PEM files). */
  lenses(doc: Doc): CodeLens[] {
    return this.feature(doc, [], (t, p, d) => t.lenses?.(d, p.model, this.ctx()) ?? []);
  }

  /** Every server command a code action of any target can name. */
  static commands(): string[] {
    return [...new Set(TARGETS.flatMap((t) => t.commands ?? []))];
  }

  private feature<T>(doc: Doc, fallback: T, f: (t: Target<unknown>, p: Parsed, doc: Doc) => T): T {
    doc = withLspLines(doc);
    return safe(() => {
      if (typeof doc.text !== 'string' || doc.text.length > MAX_DOCUMENT_CHARS) return fallback;
      const p = this.parse(doc);
      return p.target ? f(p.target, p, doc) : fallback;
    }, fallback);
  }

  /** One-line summary of a file's PEM contents, for compose hovers. */
  describeFile(file: string): string {
    const l = loadPemFile(file, this.ws);
    if (!l.read.ok) return l.read.message;
    const items = l.contents?.items ?? [];
    if (items.length === 0) return `${l.read.size} bytes, no PEM block`;
    return items.map((i) => describeItem(i)).join('; ');
  }
}

/** Same text with lone \r as \n (same offsets), so every range we compute is where the client sees it. */
function withLspLines<D extends { text: string }>(doc: D): D {
  if (typeof doc.text !== 'string') return doc; // a client sent a number: the feature's own try/catch reports it
  const text = lspLines(doc.text);
  return text === doc.text ? doc : { ...doc, text };
}

export const UNTRUSTED_CODE = 'untrusted-not-checked';

function untrustedHint(): Diagnostic {
  return diag(
    { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    Severity.Information,
    UNTRUSTED_CODE,
    'Restricted Mode: the files this document names (certificates, keys, compose and config files) are not read, so the checks that need them are skipped. Trust the folder (Manage Workspace Trust) to see every finding.',
  );
}

/** Findings name files relative to the workspace folders (see shown-path.ts), their related locations' messages too. */
function relativeMessages(diagnostics: Diagnostic[], roots: readonly string[]): Diagnostic[] {
  if (roots.length === 0) return diagnostics;
  // New objects: a target may hand out diagnostics it keeps (a cached file lint).
  return diagnostics.map((d) => ({
    ...d,
    message: typeof d.message === 'string' ? relativeMessage(d.message, roots) : d.message,
    ...(d.relatedInformation && {
      relatedInformation: d.relatedInformation.map((r) => ({ ...r, message: relativeMessage(r.message, roots) })),
    }),
  }));
}

function safe<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}

export { Workspace, decodeFile };
export type { Settings };
