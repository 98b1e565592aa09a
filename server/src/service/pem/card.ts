/**
 * The short hover card for a certificate or key: one verdict line first (what is right, or the first thing that
 * is wrong), a two-line body, and a link to the full decode. Hovers are read in a small box (VS Code scrolls
 * after ~12 lines; Neovim 0.7 shows raw markdown), so no tables and nothing a user must scroll for: the full
 * decode is details.ts, behind "Show certificate".
 */
import type { CertInfo, CsrInfo, KeyInfo, PublicKeyInfo } from './model';
import { certName, expiryPhrase, keySummary, keyTitle, relativeTime } from './describe';

const DAY = 86_400_000;

/** What a certificate's surroundings (its folder's set, the config naming it) say: problems lead the verdict. */
export interface CertificateFacts {
  facts: string[];
  problems: string[];
}

export interface CardOptions {
  now: Date;
  /** A certificate expiring within this many days is a problem (the tlsConfig.expiryWarningDays setting). */
  expiryWarningDays?: number;
  /** Names clients dial, which a server certificate's SANs must cover; localhost when nobody says. */
  names?: string[];
  context?: CertificateFacts;
  /** A ready markdown link to the full decode ("Show certificate"). */
  showLink?: string;
}

/** Escapes text for markdown. */
export function md(s: string): string {
  return s.replace(/([\\`*_[\]<>|~])/g, '\\$1');
}

/** Inline code that survives backticks. */
export function code(s: string): string {
  return s.includes('`') ? `\`\` ${s} \`\`` : `\`${s}\``;
}

export function sanText(sans: { type: string; value: string }[]): string {
  const prefix: Record<string, string> = { dns: 'DNS', ip: 'IP', email: 'email', uri: 'URI' };
  return sans.map((s) => (s.type in prefix ? `${prefix[s.type]}:${s.value}` : s.value)).join(', ');
}

const isCa = (c: CertInfo) => !!c.basicConstraints?.ca;

/** Node's X509Certificate.checkHost / checkIP: SANs only, as Go matches since 1.15. */
function covers(c: CertInfo, name: string): boolean {
  try {
    return /^[\d.]+$|:/.test(name) ? c.x509.checkIP(name) !== undefined : c.x509.checkHost(name, { subject: 'never' }) !== undefined;
  } catch {
    return false;
  }
}

/** The verdict on a certificate by itself and by what `context` adds: problems first, then the facts that hold. */
export function certificateVerdict(cert: CertInfo, o: CardOptions): CertificateFacts {
  const problems: string[] = [];
  const facts: string[] = [];
  const t = o.now.getTime();
  if (cert.notAfter.getTime() < t) problems.push(`expired ${relativeTime(o.now, cert.notAfter)}`);
  else if (cert.notBefore.getTime() > t) problems.push(`not valid yet (starts ${relativeTime(o.now, cert.notBefore)})`);
  if (cert.goRefuses) problems.push(`Go cannot parse it ("${cert.goRefuses}")`);
  // A client-only certificate (EKU clientAuth without serverAuth) is not checked against host names by any server.
  const clientOnly = !!cert.extKeyUsage?.includes('clientAuth') && !cert.extKeyUsage.includes('serverAuth');
  if (clientOnly) facts.push('client certificate');
  else if (!isCa(cert)) {
    if (!cert.hasSanExtension || cert.sans.length === 0) problems.push('no SAN: Go (Milvus) rejects CN-only certificates');
    else {
      const names = o.names?.length ? o.names : ['localhost'];
      const covered = names.filter((n) => covers(cert, n));
      if (covered.length) facts.push(`SAN covers ${covered.join(', ')}`);
      else if (o.names?.length) problems.push(`SAN does not cover ${names.join(', ')} (it has ${sanText(cert.sans)})`);
      else facts.push(`SAN ${sanText(cert.sans.slice(0, 2))}${cert.sans.length > 2 ? ` +${cert.sans.length - 2}` : ''}`);
    }
  } else facts.push(cert.selfSigned ? 'self-signed CA' : 'intermediate CA');
  problems.push(...(o.context?.problems ?? []));
  facts.unshift(...(o.context?.facts ?? []));
  const left = Math.floor((cert.notAfter.getTime() - t) / DAY);
  if (cert.notAfter.getTime() >= t && cert.notBefore.getTime() <= t) {
    if (left < (o.expiryWarningDays ?? 30)) problems.push(`expires in ${left} day${left === 1 ? '' : 's'}`);
    else facts.push(`${left} days left`);
  }
  return { facts, problems };
}

/** "✓ pairs with server.key · chains to ca.pem · SAN covers localhost · 825 days left", or "✗ expired 3 days ago · 1 more problem". */
export function verdictLine(v: CertificateFacts): string {
  if (v.problems.length) {
    const more = v.problems.length - 1;
    return `✗ **${md(v.problems[0])}**${more ? ` · ${more} more problem${more === 1 ? '' : 's'}` : ''}`;
  }
  return `✓ ${md(v.facts.join(' · '))}`;
}

const fmtDay = (d: Date) => d.toISOString().slice(0, 10);

/** Lines joined with markdown hard breaks: one paragraph, no blank rows between facts. */
const lines = (xs: (string | undefined)[]) => xs.filter((x) => x !== undefined && x !== '').join('  \n');

export function certificateCard(cert: CertInfo, o: CardOptions): string {
  const kind = isCa(cert) ? 'CA certificate' : 'Certificate';
  const validity =
    cert.notAfter.getTime() < o.now.getTime()
      ? `expired ${fmtDay(cert.notAfter)}`
      : cert.notBefore.getTime() > o.now.getTime()
        ? `valid from ${fmtDay(cert.notBefore)}`
        : `until ${fmtDay(cert.notAfter)} (${expiryPhrase(cert.notAfter, o.now)})`;
  const issuer = cert.selfSigned ? 'self-signed' : `issued by ${md(cert.issuer || '(empty)')}`;
  const body = lines([
    `**${kind}** ${md(certName(cert))}`,
    `${issuer} · ${md(keySummary(cert.publicKey))} · ${validity}`,
    !isCa(cert) && cert.sans.length ? `SAN ${md(sanText(cert.sans))}` : undefined,
  ]);
  return [verdictLine(certificateVerdict(cert, o)), body, o.showLink].filter(Boolean).join('\n\n');
}

/** `match`: which certificate carries the key's public key, as a verdict ("✓ Belongs to …" / "✗ No certificate …"). */
export function keyCard(key: KeyInfo, match: string | undefined, showLink?: string): string {
  const verdict = key.encrypted
    ? '✗ **Encrypted**: Milvus (Go) cannot load it ("tls: failed to parse private key")'
    : match
      ? match
      : undefined;
  const body = lines([
    `**${md(keyTitle(key))}**`,
    `${md(key.format)}${key.encrypted ? (/encrypted/.test(key.format) ? '' : ' · encrypted') : ' · not encrypted'}`,
  ]);
  return [verdict, body, showLink].filter(Boolean).join('\n\n');
}

export function csrCard(csr: CsrInfo, showLink?: string): string {
  const verdict = csr.sans.length
    ? `✓ requests SAN ${md(sanText(csr.sans))}`
    : '✗ **requests no SAN**: the certificate will need one for Go (Milvus)';
  const body = lines([`**Certificate signing request** ${md(certName(csr))}`, md(keySummary(csr.publicKey))]);
  return [verdict, body, showLink].filter(Boolean).join('\n\n');
}

export function publicKeyCard(k: PublicKeyInfo, showLink?: string): string {
  return [`**Public key** ${md(keySummary(k))}`, showLink].filter(Boolean).join('\n\n');
}
