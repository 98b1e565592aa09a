/**
 * Where gRPC C-core on BoringSSL (pymilvus from PyPI) accepts a server path that Go's Verify refuses,
 * as measured by test/unit/tls-boringssl.test.ts: BoringSSL accepts SHA-1 signatures, and checks
 * basicConstraints, EKU and pathLenConstraint only on the certificates the server sends, never on
 * those of its root file (gRPC loads each of them as a trust anchor with X509_V_FLAG_PARTIAL_CHAIN,
 * grpc/grpc src/core/tsi/ssl_transport_security.cc; BoringSSL crypto/x509/x509_vfy.cc
 * check_chain_extensions loops over the untrusted certificates only). An issuer whose keyUsage lacks
 * keyCertSign it refuses like Go ("unable to get local issuer certificate").
 */
import type { CertInfo } from '../pem/model';
import type { PathFailure } from './chain';

/** Why BoringSSL accepts the path Go refused with `f`, or undefined when it refuses too (or nobody measured it). */
export function boringsslAccepts(f: PathFailure, roots: readonly CertInfo[]): string | undefined {
  if (f.kind === 'signature' && /insecure algorithm (ECDSA-SHA1|SHA1-RSA)/.test(f.goError)) return 'BoringSSL accepts SHA-1 signatures';
  if (!roots.includes(f.cert)) return undefined;
  const root = `on ${f.cert.subject}, a certificate of the root file it is given`;
  if (f.kind === 'signature' && /cannot sign this kind/.test(f.goError)) {
    const noCertSign = !!f.cert.keyUsage?.length && !f.cert.keyUsage.includes('keyCertSign');
    return noCertSign ? undefined : `BoringSSL does not check basicConstraints ${root}`;
  }
  if (f.kind === 'usage') return `BoringSSL does not check the extended key usage ${root}`;
  if (f.kind === 'path-length') return `BoringSSL does not check pathLenConstraint ${root}`;
  return undefined;
}
