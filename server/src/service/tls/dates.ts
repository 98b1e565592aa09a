/** Validity at a moment: the same judgment for a certificate in a PEM file and in a config's slot. */
import type { CertInfo } from '../pem/model';

export const DAY_MS = 86_400_000;

export type DateVerdict =
  | { code: 'tls-cert-expired'; severity: 1; at: Date }
  | { code: 'tls-cert-not-yet-valid'; severity: 1; at: Date }
  | { code: 'tls-cert-expiring'; severity: 2; at: Date }
  | undefined;

export function judgeDates(c: Pick<CertInfo, 'notBefore' | 'notAfter'>, now: Date, warningDays: number): DateVerdict {
  const t = now.getTime();
  if (c.notAfter.getTime() < t) return { code: 'tls-cert-expired', severity: 1, at: c.notAfter };
  if (c.notBefore.getTime() > t) return { code: 'tls-cert-not-yet-valid', severity: 1, at: c.notBefore };
  if (c.notAfter.getTime() - t < warningDays * DAY_MS) return { code: 'tls-cert-expiring', severity: 2, at: c.notAfter };
  return undefined;
}

export function wholeDays(ms: number): number {
  return Math.round(ms / DAY_MS);
}
