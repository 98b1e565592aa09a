/**
 * Hover text for PEM blocks. Only the hovered block is parsed and decoded
 * (hover runs on every mouse move, on bundles of hundreds of certificates).
 * The markdown builders are exported so the milvus room shows the same card
 * when hovering a path in milvus.yaml. No private key bytes ever reach the
 * text: only the key's type and the hash of its public half.
 */
import type { Hover, Position } from 'vscode-languageserver-types';
import { MarkupKind } from 'vscode-languageserver-types';
import type { CertInfo, CsrInfo, Decoded, KeyInfo, PemBlock, PublicKeyInfo } from './model';
import { parsePem } from './parse';
import { decodeBlock } from './decode';
import { certName, expiryPhrase, itemTitle, keySummary, keyTitle, relativeTime } from './describe';

export interface PemHoverContext {
  now: Date;
  /** Describes the certificate in the folder whose public key has this SPKI hash, if any. */
  findMatchingCertificate?: (spkiSha256: string) => string | undefined;
  /** One status line about the certificate's place among its folder's files, shown first. */
  describeCertificate?: (cert: CertInfo) => string | undefined;
}

export function pemHover(text: string, position: Position, ctx: PemHoverContext): Hover | null {
  const block = blockAt(text, position.line);
  if (!block) return null;
  const d = decodeBlock(block);
  let value: string;
  switch (d.kind) {
    case 'certificate': {
      const status = ctx.describeCertificate?.(d.cert);
      value = (status ? `${md(status)}\n\n` : '') + certificateMarkdown(d.cert, ctx.now);
      break;
    }
    case 'privateKey':
      value = keyMarkdown(d.key) + keyMatchMarkdown(d.key, text, ctx);
      break;
    case 'csr':
      value = csrMarkdown(d.csr);
      break;
    case 'publicKey':
      value = publicKeyMarkdown(d.publicKey);
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

/** Escapes text for markdown, including table cells. */
function md(s: string): string {
  return s.replace(/([\\`*_[\]<>|~])/g, '\\$1');
}

/** Inline code that survives backticks and table pipes. */
function code(s: string): string {
  const body = s.replace(/\|/g, '\\|');
  return body.includes('`') ? `\`\` ${body} \`\`` : `\`${body}\``;
}

function table(rows: [string, string | undefined][]): string {
  const lines = ['| | |', '|---|---|'];
  for (const [k, v] of rows) if (v !== undefined) lines.push(`| ${k} | ${v} |`);
  return lines.join('\n');
}

const fmtDate = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export function sanText(sans: { type: string; value: string }[]): string {
  const prefix: Record<string, string> = { dns: 'DNS', ip: 'IP', email: 'email', uri: 'URI' };
  return sans.map((s) => (s.type in prefix ? `${prefix[s.type]}:${s.value}` : s.value)).join(', ');
}

export function certificateMarkdown(cert: CertInfo, now: Date): string {
  const bc = cert.basicConstraints;
  const validity =
    cert.notAfter.getTime() < now.getTime()
      ? `**expired** ${relativeTime(now, cert.notAfter)}`
      : cert.notBefore.getTime() > now.getTime()
        ? `**not valid yet** (starts ${relativeTime(now, cert.notBefore)})`
        : expiryPhrase(cert.notAfter, now);
  const rows: [string, string | undefined][] = [
    ['Subject', code(cert.subject || '(empty)')],
    ['Issuer', code(cert.issuer || '(empty)')],
    ['Serial', code(cert.serialHex)],
    ['Valid from', `${fmtDate(cert.notBefore)} (${relativeTime(now, cert.notBefore)})`],
    ['Valid until', `${fmtDate(cert.notAfter)} (${validity})`],
    [
      'Subject alt names',
      cert.sans.length
        ? code(sanText(cert.sans))
        : cert.hasSanExtension
          ? 'extension present but empty'
          : '*none*: Go (Milvus) rejects CN-only server certificates',
    ],
    ['Public key', md(keySummary(cert.publicKey))],
    ['Signature', code(cert.signatureAlgorithm)],
    [
      'Basic constraints',
      bc
        ? `CA:${bc.ca ? 'TRUE' : 'FALSE'}${bc.pathLength !== undefined ? `, pathlen:${bc.pathLength}` : ''}${bc.critical ? ' (critical)' : ''}`
        : '*not present*',
    ],
    ['Key usage', cert.keyUsage ? md(cert.keyUsage.join(', ') || '(empty)') : '*not present* (any)'],
    ['Extended key usage', cert.extKeyUsage ? md(cert.extKeyUsage.join(', ') || '(empty)') : '*not present* (any)'],
    ['Subject key ID', cert.subjectKeyId && code(cert.subjectKeyId)],
    ['Authority key ID', cert.authorityKeyId && code(cert.authorityKeyId)],
    ['SHA-256', code(cert.sha256)],
    ['SHA-1', code(cert.sha1)],
    ['Self-signed', cert.selfSigned ? 'yes' : 'no'],
  ];
  const kind = bc?.ca ? 'CA certificate' : 'Certificate';
  return `**${kind}** ${md(certName(cert))}\n\n${table(rows)}`;
}

export function keyMarkdown(key: KeyInfo): string {
  const rows: [string, string | undefined][] = [
    ['Type', md(key.algorithm === 'unknown' ? 'unknown (encrypted)' : key.algorithm)],
    ['Size', key.size ? `${key.size} bits` : undefined],
    ['Curve', key.curve && md(key.curve)],
    ['Format', md(key.format)],
    ['Encrypted', key.encrypted ? '**yes**: Milvus (Go) cannot load it ("tls: failed to parse private key")' : 'no'],
    ['Public key SHA-256', key.publicKey && code(key.publicKey.spkiSha256)],
  ];
  return `**${md(keyTitle(key))}**\n\n${table(rows)}`;
}

function keyMatchMarkdown(key: KeyInfo, text: string, ctx: PemHoverContext): string {
  const spki = key.publicKey?.spkiSha256;
  if (!spki) return '\n\nEncrypted: cannot tell which certificate it belongs to.';
  const here = parsePem(text)
    .blocks.filter((b) => b.label === 'CERTIFICATE')
    .map(decodeBlock)
    .find((d): d is Extract<Decoded, { kind: 'certificate' }> => d.kind === 'certificate' && d.cert.publicKey.spkiSha256 === spki);
  if (here) return `\n\nBelongs to ${md(itemTitle(here))} in this file (line ${here.block.range.start.line + 1}).`;
  if (!ctx.findMatchingCertificate) return '';
  const match = ctx.findMatchingCertificate(spki);
  return match ? `\n\nBelongs to ${md(match)}.` : '\n\nNo certificate in this folder has this public key.';
}

export function csrMarkdown(csr: CsrInfo): string {
  const rows: [string, string | undefined][] = [
    ['Subject', code(csr.subject || '(empty)')],
    ['Requested alt names', csr.sans.length ? code(sanText(csr.sans)) : '*none*: the certificate will need a SAN for Go (Milvus)'],
    ['Public key', md(keySummary(csr.publicKey))],
    ['Signature', code(csr.signatureAlgorithm)],
  ];
  return `**Certificate signing request** ${md(certName(csr))}\n\n${table(rows)}`;
}

export function publicKeyMarkdown(k: PublicKeyInfo): string {
  return `**Public key** ${md(keySummary(k))}\n\n${table([['SHA-256 of SPKI', code(k.spkiSha256)]])}`;
}
