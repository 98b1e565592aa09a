/** Host names in certificates, as Go's crypto/x509 checks them (SANs only; the Common Name is ignored since Go 1.15). */
import type { CertInfo } from '../pem/model';

export const GO_CN_ERROR = 'x509: certificate relies on legacy Common Name field, use SANs instead';

/** A certificate without any SAN entry: Go rejects it for every name. */
export function lacksSan(c: Pick<CertInfo, 'hasSanExtension' | 'sans'>): boolean {
  return !c.hasSanExtension || c.sans.length === 0;
}

/** Whether the certificate's SANs cover a DNS name or IP address (no fallback to the subject CN). */
export function coversName(cert: CertInfo, name: string): boolean {
  try {
    return /^[\d.]+$|:/.test(name) ? cert.x509.checkIP(name) !== undefined : cert.x509.checkHost(name, { subject: 'never' }) !== undefined;
  } catch {
    return false;
  }
}
