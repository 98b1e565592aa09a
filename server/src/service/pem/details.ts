/**
 * The full decode of a PEM file, what "Show certificate" opens: every field of every block, as plain markdown
 * lists (a table shows as raw `|---|` in editors that print markdown as text). Private keys show their type and
 * the hash of their public half only, never key bytes.
 */
import type { CertInfo, CsrInfo, Decoded, KeyInfo, PublicKeyInfo } from './model';
import { parsePem } from './parse';
import { decodeBlock } from './decode';
import { itemTitle, keySummary, relativeTime } from './describe';
import { certificateVerdict, code, md, sanText, verdictLine, type CardOptions } from './card';

const fmtDate = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

function list(rows: [string, string | undefined][]): string {
  return rows
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `- ${k}: ${v}`)
    .join('\n');
}

export function certificateDetails(cert: CertInfo, o: CardOptions): string {
  const bc = cert.basicConstraints;
  return [
    verdictLine(certificateVerdict(cert, o)),
    list([
      ['Subject', code(cert.subject || '(empty)')],
      ['Issuer', code(cert.issuer || '(empty)')],
      ['Serial', code(cert.serialHex)],
      ['Valid from', `${fmtDate(cert.notBefore)} (${relativeTime(o.now, cert.notBefore)})`],
      ['Valid until', `${fmtDate(cert.notAfter)} (${relativeTime(o.now, cert.notAfter)})`],
      [
        'Subject alt names',
        cert.sans.length
          ? code(sanText(cert.sans))
          : cert.hasSanExtension
            ? 'extension present but empty'
            : 'none (Go rejects CN-only server certificates)',
      ],
      ['Public key', md(keySummary(cert.publicKey))],
      ['Public key SHA-256', code(cert.publicKey.spkiSha256)],
      ['Signature', code(cert.signatureAlgorithm)],
      [
        'Basic constraints',
        bc
          ? `CA:${bc.ca ? 'TRUE' : 'FALSE'}${bc.pathLength !== undefined ? `, pathlen:${bc.pathLength}` : ''}${bc.critical ? ' (critical)' : ''}`
          : 'not present',
      ],
      ['Key usage', cert.keyUsage ? md(cert.keyUsage.join(', ') || '(empty)') : 'not present (any)'],
      ['Extended key usage', cert.extKeyUsage ? md(cert.extKeyUsage.join(', ') || '(empty)') : 'not present (any)'],
      ['Subject key ID', cert.subjectKeyId && code(cert.subjectKeyId)],
      ['Authority key ID', cert.authorityKeyId && code(cert.authorityKeyId)],
      ['SHA-256 fingerprint', code(cert.sha256)],
      ['SHA-1 fingerprint', code(cert.sha1)],
      ['Self-signed', cert.selfSigned ? 'yes' : 'no'],
    ]),
  ].join('\n\n');
}

export function keyDetails(key: KeyInfo): string {
  return list([
    ['Type', md(key.algorithm === 'unknown' ? 'unknown (encrypted)' : key.algorithm)],
    ['Size', key.size ? `${key.size} bits` : undefined],
    ['Curve', key.curve && md(key.curve)],
    ['Format', md(key.format)],
    ['Encrypted', key.encrypted ? 'yes: Milvus (Go) cannot load it ("tls: failed to parse private key")' : 'no'],
    ['Public key SHA-256', key.publicKey && code(key.publicKey.spkiSha256)],
  ]);
}

export function csrDetails(csr: CsrInfo): string {
  return list([
    ['Subject', code(csr.subject || '(empty)')],
    ['Requested alt names', csr.sans.length ? code(sanText(csr.sans)) : 'none (the certificate will need a SAN for Go)'],
    ['Public key', md(keySummary(csr.publicKey))],
    ['Signature', code(csr.signatureAlgorithm)],
  ]);
}

export function publicKeyDetails(k: PublicKeyInfo): string {
  return list([
    ['Public key', md(keySummary(k))],
    ['SHA-256 of SPKI', code(k.spkiSha256)],
  ]);
}

function itemDetails(d: Decoded, o: CardOptions): string {
  switch (d.kind) {
    case 'certificate':
      return certificateDetails(d.cert, o);
    case 'privateKey':
      return keyDetails(d.key);
    case 'csr':
      return csrDetails(d.csr);
    case 'publicKey':
      return publicKeyDetails(d.publicKey);
    case 'other':
      return 'Not a certificate, key or CSR.';
    case 'error':
      return md(d.message);
  }
}

/**
 * Every block of a PEM text, or only the one starting at `line`, under a heading each.
 * `title` names the file ("tls/server.pem").
 */
export function pemDetails(text: string, title: string, o: CardOptions, line?: number): { markdown: string; blocks: number } {
  const framing = parsePem(text);
  const items = framing.blocks.map(decodeBlock);
  const shown = line === undefined ? items : items.filter((d) => d.block.range.start.line <= line && line <= d.block.range.end.line);
  const sections = shown.map((d) => `## ${md(itemTitle(d))} (line ${d.block.range.start.line + 1})\n\n${itemDetails(d, o)}`);
  const head = `# ${md(title)}`;
  if (sections.length === 0) return { markdown: `${head}\n\nNo PEM block${line === undefined ? '' : ` at line ${line + 1}`}.`, blocks: 0 };
  return { markdown: [head, ...sections].join('\n\n') + '\n', blocks: sections.length };
}
