/**
 * The language service facade: one object the LSP server, the CLI and the
 * tests talk to. It decides what kind a document is and routes each request
 * to the room that owns it. Pure: text + a workspace view in, LSP types out.
 */
import * as path from 'node:path';
import type { CodeAction, CompletionItem, Diagnostic, DocumentLink, DocumentSymbol, FoldingRange, Hover, Position } from 'vscode-languageserver-types';
import { Workspace } from './workspace';
import { diag, Severity, type Settings } from './types';
import { matchesAny } from './glob';
import { extractTls, looksLikeMilvusConfig } from './milvus/extract';
import { validateMilvus, type MilvusContext } from './milvus/validate';
import { milvusHover } from './milvus/hover';
import { milvusCompletion } from './milvus/completion';
import { milvusLinks } from './milvus/links';
import { milvusCodeActions } from './milvus/actions';
import { validateComposeMilvusPaths } from './milvus/compose-side';
import { isComposeFileName } from './milvus/resolve';
import { loadPemFile } from './milvus/files';
import { validateCompose, composeVolumeHover, composeCodeActions } from './compose';
import { lintPem } from './pem/lint';
import { pemHover } from './pem/hover';
import { pemSymbols, pemFolding } from './pem/symbols';
import { describeItem } from './pem/describe';
import { decodeFile } from './pem/decode';
import type { FileContents } from './pem/model';
import { lspLines } from './text';

export type DocumentKind = 'pem' | 'milvus' | 'compose';

export interface Doc {
  /** Absolute file-system path. */
  path: string;
  uri: string;
  languageId?: string;
  text: string;
}

/** Documents larger than this are not analysed: a message says so instead of freezing the editor. */
export const MAX_DOCUMENT_CHARS = 5 * 1024 * 1024;

const PEM_EXT = /\.(pem|crt|cer|key|csr|ca-bundle)$/i;

export class LanguageService {
  constructor(
    readonly ws: Workspace,
    private readonly env: Record<string, string | undefined> = process.env,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  get settings(): Settings {
    return this.ws.settings;
  }

  private ctx(): MilvusContext {
    return { ws: this.ws, settings: this.ws.settings, now: this.clock(), processEnv: this.env };
  }

  kindOf(doc: Pick<Doc, 'path' | 'languageId' | 'text'>): DocumentKind | undefined {
    const base = path.basename(doc.path);
    if (doc.languageId === 'pem' || PEM_EXT.test(base) || matchesAny(doc.path, this.settings.pemGlobs)) return 'pem';
    if (doc.languageId === 'dockercompose' || isComposeFileName(base)) return 'compose';
    if (/^milvus.*\.ya?ml$/i.test(base) || (base === 'user.yaml' && path.basename(path.dirname(doc.path)) === 'configs') || matchesAny(doc.path, this.settings.milvusConfigGlobs)) return 'milvus';
    if (/\.ya?ml$/i.test(base) || doc.languageId === 'yaml') {
      // Any YAML with a Milvus-shaped TLS section; the line scan is cheap.
      if (doc.text.length <= MAX_DOCUMENT_CHARS && /^(tls|common)\s*:/m.test(doc.text) && looksLikeMilvusConfig(extractTls(doc.text))) return 'milvus';
    }
    return undefined;
  }

  validate(doc: Doc): Diagnostic[] {
    doc = withLspLines(doc);
    const kind = this.kindOf(doc);
    if (!kind) return [];
    if (doc.text.length > MAX_DOCUMENT_CHARS) {
      return [diag({ start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, Severity.Warning, 'file-too-large', `This file is ${(doc.text.length / 1048576).toFixed(1)} MB; files over ${MAX_DOCUMENT_CHARS / 1048576} MB are not checked. Split it or check it with a smaller excerpt.`)];
    }
    try {
      switch (kind) {
        case 'pem':
          return lintPem(doc.text, { settings: this.settings, now: this.clock(), fileMode: this.ws.mode(doc.path), siblingFiles: () => this.siblings(doc.path) });
        case 'milvus':
          return validateMilvus(doc.text, doc.path, this.ctx());
        case 'compose':
          return [...validateCompose(doc.text, doc.path, this.ws, this.env), ...validateComposeMilvusPaths(doc.path, this.ws, this.env)];
      }
    } catch (e) {
      // A bug of ours must not take the server down with it; say so where the user looks.
      return [diag({ start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, Severity.Warning, 'internal-error', `The TLS checker failed on this file (${(e as Error).message}). Please report it; other features keep working.`)];
    }
  }

  hover(doc: Doc, pos: Position): Hover | null {
    doc = withLspLines(doc);
    const kind = this.kindOf(doc);
    if (!kind || doc.text.length > MAX_DOCUMENT_CHARS) return null;
    try {
      if (kind === 'pem') return pemHover(doc.text, pos, { now: this.clock(), findMatchingCertificate: (spki) => this.findCertificateFor(doc.path, spki) });
      if (kind === 'milvus') return milvusHover(doc.text, doc.path, pos, this.ctx());
      return composeVolumeHover(doc.text, pos, doc.path, this.ws, this.env, (p) => this.describeFile(p));
    } catch {
      return null;
    }
  }

  completion(doc: Doc, pos: Position): CompletionItem[] {
    doc = withLspLines(doc);
    if (this.kindOf(doc) !== 'milvus') return [];
    try {
      return milvusCompletion(doc.text, doc.path, pos, this.ctx());
    } catch {
      return [];
    }
  }

  symbols(doc: Doc): DocumentSymbol[] {
    doc = withLspLines(doc);
    return this.kindOf(doc) === 'pem' && doc.text.length <= MAX_DOCUMENT_CHARS ? safe(() => pemSymbols(doc.text), []) : [];
  }

  folding(doc: Doc): FoldingRange[] {
    doc = withLspLines(doc);
    return this.kindOf(doc) === 'pem' && doc.text.length <= MAX_DOCUMENT_CHARS ? safe(() => pemFolding(doc.text), []) : [];
  }

  links(doc: Doc): DocumentLink[] {
    doc = withLspLines(doc);
    return this.kindOf(doc) === 'milvus' ? safe(() => milvusLinks(doc.text, doc.path, this.ctx()), []) : [];
  }

  codeActions(doc: Doc, diagnostics: Diagnostic[]): CodeAction[] {
    doc = withLspLines(doc);
    return safe(() => [...milvusCodeActions(doc.uri, doc.text, diagnostics, this.ws), ...composeCodeActions(doc.uri, diagnostics)], []);
  }

  /** One-line summary of a file's PEM contents, for compose hovers. */
  describeFile(file: string): string {
    const l = loadPemFile(file, this.ws);
    if (!l.read.ok) return l.read.message;
    const items = l.contents?.items ?? [];
    if (items.length === 0) return `${l.read.size} bytes, no PEM block`;
    return items.map((i) => describeItem(i)).join('; ');
  }

  /**
   * Decoded PEM files of a folder, computed once per directory listing (the workspace hands out the same
   * listing until a watcher event or its TTL): checking 1,000 certificates in one folder must not cost
   * 1,000 × 200 file stats.
   */
  private folderPems = new WeakMap<string[], { path: string; contents: FileContents }[]>();

  private siblings(file: string): FileContents[] {
    const dir = path.dirname(file);
    const names = this.ws.list(dir);
    let all = this.folderPems.get(names);
    if (!all) {
      all = [];
      for (const n of names) {
        if (!PEM_EXT.test(n)) continue;
        const contents = loadPemFile(path.join(dir, n), this.ws).contents;
        if (contents) all.push({ path: path.join(dir, n), contents });
        if (all.length > 200) break;
      }
      this.folderPems.set(names, all);
    }
    return all.filter((x) => x.path !== path.resolve(file)).map((x) => x.contents);
  }

  /** Which certificate in the key's folder carries this public key: "server.pem (CN=localhost)". */
  private findCertificateFor(keyPath: string, spkiSha256: string): string | undefined {
    const dir = path.dirname(keyPath);
    for (const n of this.ws.list(dir).sort()) {
      if (!PEM_EXT.test(n)) continue;
      const c = loadPemFile(path.join(dir, n), this.ws).contents;
      for (const item of c?.items ?? []) {
        if (item.kind === 'certificate' && item.cert.publicKey.spkiSha256 === spkiSha256) return `${n} (${item.cert.subject})`;
      }
    }
    return undefined;
  }
}

/** Same text with lone \r as \n (same offsets), so every range we compute is where the client sees it. */
function withLspLines<D extends { text: string }>(doc: D): D {
  if (typeof doc.text !== 'string') return doc; // a client sent a number: the room's own try/catch reports it
  const text = lspLines(doc.text);
  return text === doc.text ? doc : { ...doc, text };
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
