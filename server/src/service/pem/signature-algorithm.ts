/** Signature algorithms under OpenSSL's names, so users can match `openssl x509 -text`. */
import { children, expect, oid, type Tlv } from './der';

const SIG_ALGS: Record<string, string> = {
  '1.2.840.113549.1.1.2': 'md2WithRSAEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.3.14.3.2.29': 'sha1WithRSA',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.1': 'ecdsa-with-SHA224',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.2.840.10040.4.3': 'dsaWithSHA1',
  '2.16.840.1.101.3.4.3.2': 'dsa_with_SHA256',
  '1.3.101.112': 'ED25519',
  '1.3.101.113': 'ED448',
};
const HASHES: Record<string, string> = {
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};

/** Names the AlgorithmIdentifier at `algT`; unknown ones stay dotted OIDs. */
export function signatureAlgorithm(der: Uint8Array, algT: Tlv): string {
  const parts = children(der, expect(algT, 0x30));
  const id = oid(der, parts[0]);
  const name = SIG_ALGS[id] ?? id;
  if (name !== 'rsassaPss') return name;
  // RSASSA-PSS names its hash in the parameters; absent means SHA-1 (RFC 4055).
  let hash = 'SHA-1';
  try {
    const hashT = parts[1] && children(der, parts[1]).find((t) => t.tag === 0xa0);
    if (hashT) hash = HASHES[oid(der, children(der, children(der, hashT)[0])[0])] ?? 'unknown hash';
  } catch {
    hash = 'unknown hash';
  }
  return `rsassaPss (${hash})`;
}
