/** Key usages and extended key usages, as verifiers read them. */
import type { CertInfo } from '../pem/model';

/** EKU absent, or listing serverAuth or anyExtendedKeyUsage: clients accept it as a server certificate. */
export function allowsServerAuth(c: Pick<CertInfo, 'extKeyUsage'>): boolean {
  return (
    !c.extKeyUsage || c.extKeyUsage.length === 0 || c.extKeyUsage.includes('serverAuth') || c.extKeyUsage.includes('anyExtendedKeyUsage')
  );
}

export function isCa(c: Pick<CertInfo, 'basicConstraints'>): boolean {
  return c.basicConstraints?.ca === true;
}

/** EKU absent, or listing clientAuth or anyExtendedKeyUsage: a Go server verifying clients (ExtKeyUsageClientAuth) accepts the leaf's usage. */
export function allowsClientAuth(c: Pick<CertInfo, 'extKeyUsage'>): boolean {
  return (
    !c.extKeyUsage || c.extKeyUsage.length === 0 || c.extKeyUsage.includes('clientAuth') || c.extKeyUsage.includes('anyExtendedKeyUsage')
  );
}
