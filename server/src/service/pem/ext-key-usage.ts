/** Extended key usage by name; Node's X509Certificate already decodes the OIDs (`keyUsage`, despite its name). */
import type { X509Certificate } from 'node:crypto';

const EKUS: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '2.5.29.37.0': 'anyExtendedKeyUsage',
};

/** RFC 5280 names, dotted OIDs for the rest; undefined when the certificate has no EKU extension. */
export function extKeyUsage(x509: X509Certificate): string[] | undefined {
  return x509.keyUsage?.map((id) => EKUS[id] ?? id);
}
