/**
 * Who issued whom: the one relation every rule uses (CA flags in a PEM file,
 * "signed by caPemPath" for a config's slots), so the two can never disagree.
 */
import type { CertInfo } from '../pem/model';

/** Signature checks cost ~0.3 ms; the answer for a pair of fingerprints never changes. */
const memo = new Map<string, boolean>();

/**
 * Whether `issuer` signed `subject`: the names chain, the key identifiers agree when both are
 * present, and the signature verifies with the issuer's key. A self-signed certificate issues
 * itself (copied as its own CA file it is a valid root for Go, BoringSSL and OpenSSL). A signature
 * node cannot check (an algorithm it does not implement) counts as issued: saying "not issued"
 * there would be a false alarm we cannot back.
 */
export function issues(issuer: CertInfo, subject: CertInfo): boolean {
  if (subject.issuer !== issuer.subject) return false;
  if (subject.authorityKeyId && issuer.subjectKeyId && subject.authorityKeyId !== issuer.subjectKeyId) return false;
  const key = `${issuer.sha256}>${subject.sha256}`;
  let r = memo.get(key);
  if (r === undefined) {
    try {
      r = subject.x509.verify(issuer.x509.publicKey);
    } catch {
      r = true;
    }
    if (memo.size > 10000) memo.clear();
    memo.set(key, r);
  }
  return r;
}

/** Same certificate, whether or not it is the same decoded object (one file copied to two paths). */
export function sameCertificate(a: CertInfo, b: CertInfo): boolean {
  return a.sha256 === b.sha256;
}
