/** Outline and folding for PEM files: one entry per block, named as describe.ts names it. */
import { FoldingRangeKind, SymbolKind, type DocumentSymbol, type FoldingRange } from 'vscode-languageserver-types';
import type { Decoded } from './model';
import { parsePem } from './parse';
import { decodeBlock } from './decode';
import { expiryPhrase, itemTitle, keySummary } from './describe';

const KIND: Record<Decoded['kind'], SymbolKind> = {
  certificate: SymbolKind.Class,
  privateKey: SymbolKind.Key,
  csr: SymbolKind.Interface,
  publicKey: SymbolKind.Key,
  other: SymbolKind.Object,
  error: SymbolKind.Null,
};

function detail(d: Decoded, now: Date): string {
  switch (d.kind) {
    case 'certificate':
      return `${keySummary(d.cert.publicKey)}, ${expiryPhrase(d.cert.notAfter, now)}${d.cert.selfSigned ? ', self-signed' : ''}`;
    case 'privateKey':
      return d.key.format;
    case 'csr':
      return keySummary(d.csr.publicKey);
    case 'publicKey':
      return d.block.label;
    case 'other':
      return '';
    case 'error':
      return d.message;
  }
}

export function pemSymbols(text: string, now: Date = new Date()): DocumentSymbol[] {
  const framing = parsePem(text);
  return framing.blocks.map((block) => {
    const d = decodeBlock(block);
    // VS Code rejects a symbol with an empty name (the whole outline fails): `-----BEGIN -----` has no label.
    return {
      name: itemTitle(d).trim() || 'PEM block without a label',
      detail: detail(d, now),
      kind: KIND[d.kind],
      range: block.range,
      selectionRange: block.beginRange,
    };
  });
}

export function pemFolding(text: string): FoldingRange[] {
  return (
    parsePem(text)
      .blocks.filter((b) => b.range.end.line > b.range.start.line)
      // Keep the END line visible, as editors do for brackets.
      .map((b) => ({ startLine: b.range.start.line, endLine: b.range.end.line - 1, kind: FoldingRangeKind.Region }))
      .filter((f) => f.endLine > f.startLine)
  );
}
