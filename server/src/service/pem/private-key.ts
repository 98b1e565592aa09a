/**
 * Private keys. Nothing private leaves this file: we learn type/size/curve,
 * derive the public half and keep only that. Encrypted keys are never handed
 * to createPrivateKey.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { children, readTlv } from './der';
import type { KeyInfo, PemBlock } from './model';
import { decodeOpenSsh } from './openssh-key';
import { publicKeyInfo } from './public-key';

export function decodePrivateKey(block: PemBlock, der: Uint8Array): KeyInfo {
  const label = block.label;
  const legacyEncrypted = /ENCRYPTED/i.test(block.headers['Proc-Type'] ?? '');
  const algFromLabel =
    label === 'RSA PRIVATE KEY' ? 'RSA' : label === 'EC PRIVATE KEY' ? 'EC' : label === 'DSA PRIVATE KEY' ? 'DSA' : 'unknown';
  if (legacyEncrypted) return { algorithm: algFromLabel, format: 'PEM encrypted (legacy)', encrypted: true };
  if (label === 'OPENSSH PRIVATE KEY') return decodeOpenSsh(der);
  if (label === 'ENCRYPTED PRIVATE KEY' || (label === 'PRIVATE KEY' && isEncryptedPkcs8(der))) {
    return { algorithm: 'unknown', format: 'PKCS#8 encrypted', encrypted: true };
  }
  let key: KeyObject;
  let format: KeyInfo['format'];
  const buf = Buffer.from(der);
  if (label === 'PRIVATE KEY') {
    format = 'PKCS#8';
    key = createPrivateKey({ key: buf, format: 'der', type: 'pkcs8' });
  } else if (label === 'RSA PRIVATE KEY') {
    format = 'PKCS#1';
    key = createPrivateKey({ key: buf, format: 'der', type: 'pkcs1' });
  } else if (label === 'EC PRIVATE KEY') {
    format = 'SEC1';
    key = createPrivateKey({ key: buf, format: 'der', type: 'sec1' });
  } else {
    // DSA and other traditional labels: let OpenSSL read the (unencrypted) PEM.
    format = 'unknown';
    const pem = `-----BEGIN ${label}-----\n${buf.toString('base64')}\n-----END ${label}-----\n`;
    key = createPrivateKey({ key: pem, format: 'pem', passphrase: '' });
  }
  const publicKeyObject = createPublicKey(key);
  const publicKey = publicKeyInfo(publicKeyObject);
  const info: KeyInfo = { algorithm: publicKey.algorithm, format, encrypted: false, publicKey, publicKeyObject };
  if (publicKey.size) info.size = publicKey.size;
  if (publicKey.curve) info.curve = publicKey.curve;
  return info;
}

/** EncryptedPrivateKeyInfo is SEQUENCE { AlgorithmIdentifier, OCTET STRING }; PrivateKeyInfo starts with an INTEGER. */
function isEncryptedPkcs8(der: Uint8Array): boolean {
  try {
    const parts = children(der, readTlv(der, 0));
    return parts.length === 2 && parts[0].tag === 0x30 && parts[1].tag === 0x04;
  } catch {
    return false;
  }
}
