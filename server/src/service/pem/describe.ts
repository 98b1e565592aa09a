/**
 * One-line names for decoded items. Outline entries, hovers of other rooms and
 * diagnostics all say "Certificate CN=localhost" the same way because they
 * all come from here.
 */
import type { CertInfo, Decoded, KeyInfo, PublicKeyInfo } from './model';

const DAY = 86_400_000;

/** "in 23 days" / "2 years ago": the distance from `from` to `to`, in the largest unit that reads naturally. */
export function relativeTime(from: Date, to: Date): string {
  const ms = to.getTime() - from.getTime();
  const abs = Math.abs(ms);
  let n: number;
  let unit: string;
  if (abs < 60_000) return ms >= 0 ? 'in less than a minute' : 'less than a minute ago';
  // Each unit starts at 2 of it, so a rounded count never reads "1 hour" for 1h59.
  if (abs < 7_200_000) [n, unit] = [Math.round(abs / 60_000), 'minute'];
  else if (abs < 2 * DAY) [n, unit] = [Math.round(abs / 3_600_000), 'hour'];
  else if (abs < 60 * DAY) [n, unit] = [Math.round(abs / DAY), 'day'];
  else if (abs < 730 * DAY) [n, unit] = [Math.round(abs / (30.44 * DAY)), 'month'];
  else [n, unit] = [Math.round(abs / (365.25 * DAY)), 'year'];
  const piece = `${n} ${unit}${n === 1 ? '' : 's'}`;
  return ms >= 0 ? `in ${piece}` : `${piece} ago`;
}

/** "expires in 23 days" / "expired 2 years ago". */
export function expiryPhrase(notAfter: Date, now: Date): string {
  return notAfter.getTime() >= now.getTime() ? `expires ${relativeTime(now, notAfter)}` : `expired ${relativeTime(now, notAfter)}`;
}

/** "RSA 2048", "EC P-256", "Ed25519". */
export function keySummary(k: Pick<PublicKeyInfo, 'algorithm' | 'size' | 'curve'>): string {
  if (k.curve) return `${k.algorithm} ${k.curve}`;
  if (k.size) return `${k.algorithm} ${k.size}`;
  return k.algorithm;
}

/** Who a certificate is for, in as few characters as possible. */
export function certName(c: Pick<CertInfo, 'subjectCN' | 'subject' | 'sans'>): string {
  if (c.subjectCN) return `CN=${c.subjectCN}`;
  if (c.subject) return c.subject;
  const san = c.sans[0];
  return san ? `${san.type.toUpperCase()}:${san.value}` : '(empty subject)';
}

export function keyTitle(k: KeyInfo): string {
  if (k.encrypted && k.algorithm === 'unknown') return 'Encrypted private key';
  const alg = k.algorithm === 'unknown' ? '' : `${k.algorithm} `;
  const size = k.size ? ` ${k.size}` : k.curve ? ` ${k.curve}` : '';
  return k.encrypted ? `Encrypted ${alg}private key${size}` : `${alg}private key${size}`;
}

/** Short title without time-dependent parts: outline names, list entries. */
export function itemTitle(d: Decoded): string {
  switch (d.kind) {
    case 'certificate':
      return `${d.cert.basicConstraints?.ca ? 'CA certificate' : 'Certificate'} ${certName(d.cert)}`;
    case 'privateKey':
      return keyTitle(d.key);
    case 'csr':
      return `CSR ${certName(d.csr)}`;
    case 'publicKey':
      return `Public key ${keySummary(d.publicKey)}`;
    case 'other':
      return d.block.label.charAt(0) + d.block.label.slice(1).toLowerCase();
    case 'error':
      return `Unreadable ${d.block.label}`;
  }
}

/**
 * One line with the facts people look for first, e.g.
 * `Certificate CN=localhost (EC P-256), expires in 2 years`, `RSA private key 2048 (PKCS#8)`, `CSR CN=foo`.
 */
export function describeItem(d: Decoded, now: Date = new Date()): string {
  switch (d.kind) {
    case 'certificate':
      return `${itemTitle(d)} (${keySummary(d.cert.publicKey)}), ${
        d.cert.notBefore.getTime() > now.getTime()
          ? `becomes valid ${relativeTime(now, d.cert.notBefore)}`
          : expiryPhrase(d.cert.notAfter, now)
      }`;
    case 'privateKey':
      return `${itemTitle(d)} (${d.key.format})`;
    case 'csr':
      return `${itemTitle(d)} (${keySummary(d.csr.publicKey)})`;
    case 'error':
      return `${itemTitle(d)}: ${d.message}`;
    default:
      return itemTitle(d);
  }
}
