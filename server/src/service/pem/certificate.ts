/**
 * X.509 certificates: Node's X509Certificate gives OpenSSL-formatted names,
 * fingerprints, the public key and the EKU OIDs; serial, dates, CN and the
 * other extensions come from our own DER walk (see decode.ts for why it is hand-written).
 */
import { X509Certificate } from 'node:crypto';
import { certExtensions } from './cert-extensions';
import { bytesOf, children, expect, hex, integer, readTlv, time, whole, type Tlv } from './der';
import { extKeyUsage } from './ext-key-usage';
import { lazy } from './lazy';
import type { CertInfo, PublicKeyInfo } from './model';
import { commonName, nodeName } from './names';
import { publicKeyInfo, rawSpkiInfo } from './public-key';
import { signatureAlgorithm } from './signature-algorithm';

export function decodeCertificate(der: Uint8Array): CertInfo {
  const root = readTlv(der, 0);
  // "TRUSTED CERTIFICATE" appends OpenSSL trust settings after the certificate.
  const certDer = whole(der, root);
  const x509 = new X509Certificate(Buffer.from(certDer));
  const [tbsT, sigAlgT] = children(certDer, expect(readTlv(certDer, 0), 0x30));
  const tbs = children(certDer, expect(tbsT, 0x30));
  let i = tbs[0]?.tag === 0xa0 ? 1 : 0;
  const version = i ? integer(certDer, children(certDer, tbs[0])[0]) + 1 : 1;
  const serialT = expect(tbs[i++], 0x02);
  const innerSigT = tbs[i++];
  i++; // issuer
  const validity = children(certDer, expect(tbs[i++], 0x30));
  const subjectT = expect(tbs[i++], 0x30);
  const spkiT = expect(tbs[i], 0x30);
  const extensions = certExtensions(
    certDer,
    tbs.find((t) => t.tag === 0xa3),
  );

  const info: CertInfo = {
    subject: nodeName(x509.subject),
    issuer: nodeName(x509.issuer),
    serialHex: serialHex(bytesOf(certDer, serialT)),
    notBefore: time(certDer, validity[0]),
    notAfter: time(certDer, validity[1]),
    ...extensions,
    publicKey: certPublicKey(x509, certDer, spkiT),
    signatureAlgorithm: signatureAlgorithm(certDer, sigAlgT),
    version,
    sha256: x509.fingerprint256,
    sha1: x509.fingerprint,
    selfSigned: false,
    x509,
  };
  // Go's parser (crypto/x509/parser.go parseCertificate), in its order: the version first; extensions only
  // exist for Go in a v3 certificate (it skips them in v1/v2, so their flaws cannot refuse it); then the
  // outer signature algorithm.
  if (version > 3) info.goRefuses = 'x509: invalid version';
  else if (version < 3) delete info.goRefuses;
  if (!info.goRefuses && !sameBytes(whole(certDer, innerSigT), whole(certDer, sigAlgT)))
    info.goRefuses = "x509: inner and outer signature algorithm identifiers don't match";
  const cn = commonName(certDer, subjectT);
  if (cn !== undefined) info.subjectCN = cn;
  const eku = extKeyUsage(x509);
  if (eku) info.extKeyUsage = eku;
  // May need a signature check; only pay for it when someone asks.
  lazy(info, 'selfSigned', () => isSelfSigned(info));
  return info;
}

/**
 * The serial as openssl prints it (i2a_ASN1_INTEGER): two hex digits per byte,
 * without the DER sign byte, "-" for the (invalid but existing) negative ones.
 * Node's serialNumber differs for 0 ("0" vs "00").
 */
function serialHex(b: Uint8Array): string {
  if (b.length && b[0] & 0x80) {
    const mag = new Uint8Array(b.length);
    let carry = 1;
    for (let i = b.length - 1; i >= 0; i--) {
      const v = (~b[i] & 0xff) + carry;
      mag[i] = v & 0xff;
      carry = v >> 8;
    }
    let start = 0;
    while (start < mag.length - 1 && mag[start] === 0) start++;
    return `-${hex(mag.subarray(start)).toUpperCase()}`;
  }
  const start = b.length > 1 && b[0] === 0 ? 1 : 0;
  return hex(b.subarray(start)).toUpperCase();
}

/**
 * Self-signed = issued by its own key. Key identifiers decide when both are
 * present, and a CA whose issuer is its own name is a root in practice; only
 * the ambiguous rest (typically a leaf made with the same DN as its CA, as
 * copies of Milvus's gen.sh do) pays for a signature check, which costs up to
 * ~1 ms for P-384 and would blow the hover budget on root bundles.
 */
function isSelfSigned(c: CertInfo): boolean {
  if (c.subject !== c.issuer) return false;
  if (c.authorityKeyId && c.subjectKeyId) return c.authorityKeyId === c.subjectKeyId;
  if (c.basicConstraints?.ca) return true;
  try {
    return c.x509.verify(c.x509.publicKey);
  } catch {
    // Self-issued but the signature cannot be checked here (unsupported algorithm): trust the names.
    return true;
  }
}

function certPublicKey(x509: X509Certificate, der: Uint8Array, spkiT: Tlv): PublicKeyInfo {
  try {
    return publicKeyInfo(x509.publicKey);
  } catch {
    return rawSpkiInfo(der, spkiT);
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
