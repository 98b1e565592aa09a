/**
 * Hover text for PEM blocks. Only the hovered block is parsed and decoded
 * (hover runs on every mouse move, on bundles of hundreds of certificates).
 * The card itself is card.ts, which the config rooms use for the files their
 * paths name. No private key bytes ever reach the text: only the key's type
 * and the hash of its public half.
 */
import type { Hover, Position } from 'vscode-languageserver-types';
import { MarkupKind } from 'vscode-languageserver-types';
import type { CertInfo, Decoded, KeyInfo, PemBlock } from './model';
import { parsePem } from './parse';
import { decodeBlock } from './decode';
import { itemTitle } from './describe';
import { certificateCard, csrCard, keyCard, md, publicKeyCard, type CertificateFacts } from './card';

export interface PemHoverContext {
  now: Date;
  expiryWarningDays?: number;
  /** Describes the certificate in the folder whose public key has this SPKI hash, if any. */
  findMatchingCertificate?: (spkiSha256: string) => string | undefined;
  /** The certificate's place among its folder's files (key, chain, role), merged into the verdict line. */
  describeCertificate?: (cert: CertInfo) => CertificateFacts | undefined;
  /** The "Show certificate" link for the block starting at `line` (`title`: the link text). */
  showLink?: (line: number, title: string) => string;
}

export function pemHover(text: string, position: Position, ctx: PemHoverContext): Hover | null {
  const block = blockAt(text, position.line);
  if (!block) return null;
  const d = decodeBlock(block);
  const link = ctx.showLink?.(block.range.start.line, d.kind === 'certificate' ? 'Show certificate' : 'Show details');
  let value: string;
  switch (d.kind) {
    case 'certificate':
      value = certificateCard(d.cert, {
        now: ctx.now,
        expiryWarningDays: ctx.expiryWarningDays,
        context: ctx.describeCertificate?.(d.cert),
        showLink: link,
      });
      break;
    case 'privateKey':
      value = keyCard(d.key, keyMatch(d.key, text, ctx), link);
      break;
    case 'csr':
      value = csrCard(d.csr, link);
      break;
    case 'publicKey':
      value = publicKeyCard(d.publicKey, link);
      break;
    case 'other':
      value = `**${md(itemTitle(d))}** block\n\nNot a certificate, key or CSR; Milvus does not read this kind of block.`;
      break;
    case 'error':
      value = `**${md(itemTitle(d))}**\n\n${md(d.message)}`;
      break;
  }
  return { contents: { kind: MarkupKind.Markdown, value }, range: block.range };
}

/**
 * Finds the block around `line` by walking outward, line by line, to its
 * BEGIN and END lines, then parses just those lines: the cost depends on the
 * block, not on the size of the file (no index of every line is built).
 */
function blockAt(text: string, line: number): PemBlock | undefined {
  if (line < 0) return undefined;
  let start = 0;
  for (let i = 0; i < line; i++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) return undefined;
    start = nl + 1;
  }
  const lineEnd = (s: number) => {
    const nl = text.indexOf('\n', s);
    return nl < 0 ? text.length : nl;
  };
  const kind = (s: number) => {
    const t = text
      .slice(s, lineEnd(s))
      .replace(/^\ufeff/, '')
      .trim();
    return t.startsWith('-----BEGIN ') ? 'begin' : t.startsWith('-----END ') ? 'end' : undefined;
  };
  let begin = line;
  let beginStart = start;
  for (;;) {
    const k = kind(beginStart);
    if (k === 'begin') break;
    if (k === 'end' && begin !== line) return undefined;
    if (beginStart === 0) return undefined;
    beginStart = beginStart >= 2 ? text.lastIndexOf('\n', beginStart - 2) + 1 : 0;
    begin--;
  }
  let endStart = start;
  for (;;) {
    const k = kind(endStart);
    if (k === 'end') break;
    if (k === 'begin' && endStart !== beginStart) return undefined;
    const nl = text.indexOf('\n', endStart);
    if (nl < 0) return undefined;
    endStart = nl + 1;
  }
  const found = parsePem(text.slice(beginStart, lineEnd(endStart))).blocks[0];
  if (!found) return undefined;
  const shift = (p: Position): Position => ({ line: p.line + begin, character: p.character });
  return {
    ...found,
    range: { start: shift(found.range.start), end: shift(found.range.end) },
    beginRange: { start: shift(found.beginRange.start), end: shift(found.beginRange.end) },
  };
}

/** Which certificate the key belongs to, as the key card's verdict line. */
function keyMatch(key: KeyInfo, text: string, ctx: PemHoverContext): string | undefined {
  const spki = key.publicKey?.spkiSha256;
  if (!spki) return undefined;
  const here = parsePem(text)
    .blocks.filter((b) => b.label === 'CERTIFICATE')
    .map(decodeBlock)
    .find((d): d is Extract<Decoded, { kind: 'certificate' }> => d.kind === 'certificate' && d.cert.publicKey.spkiSha256 === spki);
  if (here) return `✓ Belongs to ${md(itemTitle(here))} in this file (line ${here.block.range.start.line + 1})`;
  if (!ctx.findMatchingCertificate) return undefined;
  const match = ctx.findMatchingCertificate(spki);
  return match ? `✓ Belongs to ${md(match)}` : '✗ **No certificate in this folder has this public key**';
}
