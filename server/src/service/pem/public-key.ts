/**
 * Public keys as plain data: algorithm, size or curve, and the SPKI hash that
 * matches a key to its certificate without exposing key bytes.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { children, oid, whole, type Tlv } from './der';
import { lazy } from './lazy';
import type { PublicKeyInfo } from './model';

const CURVES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };
const KEY_TYPES: Record<string, string> = {
  rsa: 'RSA',
  'rsa-pss': 'RSA-PSS',
  ec: 'EC',
  ed25519: 'Ed25519',
  ed448: 'Ed448',
  dsa: 'DSA',
  x25519: 'X25519',
  x448: 'X448',
  dh: 'DH',
};
/** SPKI algorithm OIDs, for keys Node cannot load. */
const SPKI_ALGS: Record<string, string> = {
  '1.2.840.113549.1.1.1': 'RSA',
  '1.2.840.113549.1.1.10': 'RSA-PSS',
  '1.2.840.10045.2.1': 'EC',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
  '1.2.840.10040.4.1': 'DSA',
};

export function publicKeyInfo(key: KeyObject): PublicKeyInfo {
  const type = key.asymmetricKeyType ?? 'unknown';
  const details = key.asymmetricKeyDetails ?? {};
  const info: PublicKeyInfo = { algorithm: KEY_TYPES[type] ?? type, spkiSha256: '' };
  // Re-encoding through OpenSSL (~0.2 ms) gives the same bytes for a key and its certificate,
  // whatever encoding quirks the certificate had; computed when first compared.
  lazy(info, 'spkiSha256', () => sha256Hex(key.export({ type: 'spki', format: 'der' })));
  if (details.modulusLength) info.size = details.modulusLength;
  if (details.namedCurve) info.curve = CURVES[details.namedCurve] ?? details.namedCurve;
  return info;
}

/** For algorithms Node's OpenSSL cannot load: name from the OID, hash of the raw SPKI. */
export function rawSpkiInfo(der: Uint8Array, spkiT: Tlv): PublicKeyInfo {
  const alg = children(der, children(der, spkiT)[0])[0];
  const id = oid(der, alg);
  return { algorithm: SPKI_ALGS[id] ?? id, spkiSha256: sha256Hex(whole(der, spkiT)) };
}

function sha256Hex(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}
