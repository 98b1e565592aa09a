/** The PEM labels we decode, and how a finding names what a block should have held. */

export const CERT_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);
export const CSR_LABELS = new Set(['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST']);

export function isPrivateKeyLabel(label: string): boolean {
  return label === 'PRIVATE KEY' || label === 'ENCRYPTED PRIVATE KEY' || label.endsWith(' PRIVATE KEY');
}

export function describeLabel(label: string): string {
  if (CERT_LABELS.has(label)) return 'X.509 certificate';
  if (CSR_LABELS.has(label)) return 'certificate signing request';
  if (label.endsWith('PRIVATE KEY')) return 'private key';
  if (label.endsWith('PUBLIC KEY')) return 'public key';
  return label.toLowerCase();
}
