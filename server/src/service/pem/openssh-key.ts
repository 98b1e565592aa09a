/** openssh-key-v1: the public half is stored in clear, so we can describe and match it without decrypting. */
import { createPublicKey } from 'node:crypto';
import { DerError } from './der';
import type { KeyInfo } from './model';
import { publicKeyInfo } from './public-key';

export function decodeOpenSsh(der: Uint8Array): KeyInfo {
  const b = Buffer.from(der);
  const magic = 'openssh-key-v1\0';
  if (b.toString('latin1', 0, magic.length) !== magic) throw new DerError('not openssh');
  let p = magic.length;
  const next = (from: Buffer = b): Buffer => {
    const len = from.readUInt32BE(p);
    const v = from.subarray(p + 4, p + 4 + len);
    if (v.length !== len) throw new DerError('truncated');
    p += 4 + len;
    return v;
  };
  const cipher = next().toString('latin1');
  next(); // kdf name
  next(); // kdf options
  p += 4; // number of keys
  const pub = next();
  const encrypted = cipher !== 'none';
  p = 0;
  const type = next(pub).toString('latin1');
  const b64u = (x: Buffer) => x.toString('base64url');
  const mpint = (x: Buffer) => (x[0] === 0 ? x.subarray(1) : x);
  let jwk: Record<string, string>;
  if (type === 'ssh-ed25519') jwk = { kty: 'OKP', crv: 'Ed25519', x: b64u(next(pub)) };
  else if (type === 'ssh-rsa') {
    const e = mpint(next(pub));
    jwk = { kty: 'RSA', e: b64u(e), n: b64u(mpint(next(pub))) };
  } else if (type.startsWith('ecdsa-sha2-nistp')) {
    const crv = `P-${type.slice('ecdsa-sha2-nistp'.length)}`;
    next(pub);
    const q = next(pub);
    const n = (q.length - 1) / 2;
    jwk = { kty: 'EC', crv, x: b64u(q.subarray(1, 1 + n)), y: b64u(q.subarray(1 + n)) };
  } else {
    return { algorithm: type, format: 'OpenSSH', encrypted };
  }
  const publicKeyObject = createPublicKey({ key: jwk, format: 'jwk' });
  const publicKey = publicKeyInfo(publicKeyObject);
  const info: KeyInfo = { algorithm: publicKey.algorithm, format: 'OpenSSH', encrypted, publicKey, publicKeyObject };
  if (publicKey.size) info.size = publicKey.size;
  if (publicKey.curve) info.curve = publicKey.curve;
  return info;
}
