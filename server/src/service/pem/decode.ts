/**
 * Turns PEM blocks (or a DER file) into the plain data of model.ts.
 *
 * Certificates: Node's X509Certificate gives OpenSSL-formatted names, serial,
 * fingerprints and the public key; the extensions come from der.ts, which is
 * an order of magnitude cheaper than building a @peculiar/x509 object and
 * keeps hover on a big bundle inside its budget. CSRs (rare) use
 * @peculiar/x509, loaded only when one is seen.
 *
 * Private keys never leave this file: we learn type/size/curve, derive the
 * public half and keep only that. Encrypted keys are never handed to
 * createPrivateKey, and crypto's own error texts are never passed on.
 */
import { X509Certificate, createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { CertInfo, CsrInfo, Decoded, FileContents, KeyInfo, PemBlock, PublicKeyInfo } from './model';
import { DerError, bytesOf, children, expect, hex, oid, readTlv, str, time, whole, type Tlv } from './der';
import { decodeText, looksLikeDer, parsePem } from './parse';

const CURVES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };
const KEY_TYPES: Record<string, string> = {
  rsa: 'RSA', 'rsa-pss': 'RSA-PSS', ec: 'EC', ed25519: 'Ed25519', ed448: 'Ed448', dsa: 'DSA', x25519: 'X25519', x448: 'X448', dh: 'DH',
};
/** SPKI algorithm OIDs, for keys Node cannot load. */
const SPKI_ALGS: Record<string, string> = {
  '1.2.840.113549.1.1.1': 'RSA', '1.2.840.113549.1.1.10': 'RSA-PSS', '1.2.840.10045.2.1': 'EC', '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448', '1.2.840.10040.4.1': 'DSA',
};
/** Signature algorithms under OpenSSL's names, so users can match `openssl x509 -text`. */
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
  '1.3.14.3.2.26': 'SHA-1', '2.16.840.1.101.3.4.2.1': 'SHA-256', '2.16.840.1.101.3.4.2.2': 'SHA-384', '2.16.840.1.101.3.4.2.3': 'SHA-512',
};
const EKUS: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth', '1.3.6.1.5.5.7.3.2': 'clientAuth', '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection', '1.3.6.1.5.5.7.3.8': 'timeStamping', '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '2.5.29.37.0': 'anyExtendedKeyUsage',
};
const KEY_USAGES = [
  'digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly',
];

const CERT_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);
const CSR_LABELS = new Set(['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST']);

export function decodeBlock(block: PemBlock): Decoded {
  const der = block.der;
  if (!der) return { kind: 'error', block, message: `The ${block.label} block's base64 body could not be decoded.` };
  const label = block.label;
  try {
    if (CERT_LABELS.has(label)) return { kind: 'certificate', block, cert: decodeCertificate(der) };
    if (label === 'PRIVATE KEY' || label === 'ENCRYPTED PRIVATE KEY' || label.endsWith(' PRIVATE KEY')) {
      return { kind: 'privateKey', block, key: decodePrivateKey(block, der) };
    }
    if (CSR_LABELS.has(label)) return { kind: 'csr', block, csr: decodeCsr(der) };
    if (label === 'PUBLIC KEY' || label === 'RSA PUBLIC KEY') {
      const key = createPublicKey({ key: Buffer.from(der), format: 'der', type: label === 'PUBLIC KEY' ? 'spki' : 'pkcs1' });
      return { kind: 'publicKey', block, publicKey: publicKeyInfo(key) };
    }
    return { kind: 'other', block };
  } catch {
    // Our own words only: crypto's messages are not ours to forward.
    return { kind: 'error', block, message: `The ${label} block's content is not a valid ${describeLabel(label)}.` };
  }
}

function describeLabel(label: string): string {
  if (CERT_LABELS.has(label)) return 'X.509 certificate';
  if (CSR_LABELS.has(label)) return 'certificate signing request';
  if (label.endsWith('PRIVATE KEY')) return 'private key';
  if (label.endsWith('PUBLIC KEY')) return 'public key';
  return label.toLowerCase();
}

// ---------------------------------------------------------------- certificates

function decodeCertificate(der: Uint8Array): CertInfo {
  const root = readTlv(der, 0);
  // "TRUSTED CERTIFICATE" appends OpenSSL trust settings after the certificate.
  const certDer = whole(der, root);
  const x509 = new X509Certificate(Buffer.from(certDer));
  const [tbsT, sigAlgT] = children(certDer, expect(readTlv(certDer, 0), 0x30));
  const tbs = children(certDer, expect(tbsT, 0x30));
  let i = tbs[0]?.tag === 0xa0 ? 1 : 0;
  const serialT = expect(tbs[i++], 0x02);
  i++; // inner signature algorithm (same as outer)
  i++; // issuer
  const validity = children(certDer, expect(tbs[i++], 0x30));
  const subjectT = expect(tbs[i++], 0x30);
  const spkiT = expect(tbs[i++], 0x30);
  const extsT = tbs.find((t) => t.tag === 0xa3);
  const ext = extsT ? readExtensions(certDer, children(certDer, extsT)[0]) : new Map<string, { critical: boolean; value: Tlv }>();

  const info: CertInfo = {
    subject: nodeName(x509.subject),
    issuer: nodeName(x509.issuer),
    serialHex: serialHex(bytesOf(certDer, serialT)),
    notBefore: time(certDer, validity[0]),
    notAfter: time(certDer, validity[1]),
    sans: [],
    hasSanExtension: ext.has('2.5.29.17'),
    publicKey: certPublicKey(x509, certDer, spkiT),
    signatureAlgorithm: signatureAlgorithm(certDer, sigAlgT),
    sha256: x509.fingerprint256,
    sha1: x509.fingerprint,
    selfSigned: false,
    x509,
  };
  const cn = commonName(certDer, subjectT);
  if (cn !== undefined) info.subjectCN = cn;

  const san = ext.get('2.5.29.17');
  if (san) info.sans = generalNames(certDer, san.value);
  const bc = ext.get('2.5.29.19');
  if (bc) {
    const parts = children(certDer, expect(bc.value, 0x30));
    const caT = parts.find((t) => t.tag === 0x01);
    const lenT = parts.find((t) => t.tag === 0x02);
    info.basicConstraints = { ca: !!caT && certDer[caT.body] !== 0, critical: bc.critical };
    if (lenT) info.basicConstraints.pathLength = integerOf(certDer, lenT);
  }
  const ku = ext.get('2.5.29.15');
  if (ku) info.keyUsage = keyUsage(certDer, ku.value);
  const eku = ext.get('2.5.29.37');
  if (eku) info.extKeyUsage = children(certDer, expect(eku.value, 0x30)).map((t) => EKUS[oid(certDer, t)] ?? oid(certDer, t));
  const ski = ext.get('2.5.29.14');
  if (ski) info.subjectKeyId = hex(bytesOf(certDer, expect(ski.value, 0x04)), ':').toUpperCase();
  const aki = ext.get('2.5.29.35');
  if (aki) {
    const id = children(certDer, expect(aki.value, 0x30)).find((t) => t.tag === 0x80);
    if (id) info.authorityKeyId = hex(bytesOf(certDer, id), ':').toUpperCase();
  }
  // May need a signature check; only pay for it when someone asks.
  lazy(info, 'selfSigned', () => isSelfSigned(info));
  return info;
}

/** Defines a memoised, enumerable getter: plain-data to readers, computed on first read. */
function lazy<T extends object, K extends keyof T>(obj: T, key: K, compute: () => T[K]): void {
  Object.defineProperty(obj, key, {
    enumerable: true,
    configurable: true,
    get() {
      const value = compute();
      Object.defineProperty(obj, key, { value, enumerable: true, configurable: true, writable: true });
      return value;
    },
  });
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

/** Node prints one RDN per line; we show the familiar one-line form. */
function nodeName(s: string | undefined): string {
  return (s ?? '').split('\n').filter(Boolean).join(', ');
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

function readExtensions(der: Uint8Array, seq: Tlv): Map<string, { critical: boolean; value: Tlv }> {
  const out = new Map<string, { critical: boolean; value: Tlv }>();
  for (const e of children(der, expect(seq, 0x30))) {
    const parts = children(der, expect(e, 0x30));
    const id = oid(der, parts[0]);
    const critical = parts[1]?.tag === 0x01 && der[parts[1].body] !== 0;
    const octets = expect(parts[parts.length - 1], 0x04);
    out.set(id, { critical, value: readTlv(der, octets.body, octets.end) });
  }
  return out;
}

function keyUsage(der: Uint8Array, t: Tlv): string[] {
  const b = bytesOf(der, expect(t, 0x03));
  const out: string[] = [];
  for (let bit = 0; bit < KEY_USAGES.length; bit++) {
    const byte = 1 + (bit >> 3);
    if (byte < b.length && b[byte] & (0x80 >> (bit & 7))) out.push(KEY_USAGES[bit]);
  }
  return out;
}

function integerOf(der: Uint8Array, t: Tlv): number {
  let v = 0;
  for (let i = t.body; i < t.end; i++) v = v * 256 + der[i];
  return v;
}

export function generalNames(der: Uint8Array, seq: Tlv): { type: string; value: string }[] {
  const out: { type: string; value: string }[] = [];
  for (const n of children(der, expect(seq, 0x30))) {
    const body = bytesOf(der, n);
    switch (n.tag) {
      case 0x81:
        out.push({ type: 'email', value: Buffer.from(body).toString('latin1') });
        break;
      case 0x82:
        out.push({ type: 'dns', value: Buffer.from(body).toString('latin1') });
        break;
      case 0x86:
        out.push({ type: 'uri', value: Buffer.from(body).toString('latin1') });
        break;
      case 0x87:
        out.push({ type: 'ip', value: ipString(body) });
        break;
      case 0x88:
        out.push({ type: 'other', value: `Registered ID:${oid(der, { ...n, tag: 0x06 })}` });
        break;
      case 0xa4:
        out.push({ type: 'other', value: `DirName:${formatName(der, children(der, n)[0])}` });
        break;
      default:
        out.push({ type: 'other', value: n.tag === 0xa0 ? 'othername:<unsupported>' : `<unsupported name type ${n.tag & 0x1f}>` });
    }
  }
  return out;
}

/** RFC 5952 text form, so SANs compare equal to what people type (`::1`, not `0:0:…:1`). */
function ipString(b: Uint8Array): string {
  if (b.length === 4) return Array.from(b).join('.');
  if (b.length !== 16) return `<invalid IP ${hex(b, ':')}>`;
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push((b[i] << 8) | b[i + 1]);
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const h = g.map((x) => x.toString(16));
  if (bestStart < 0) return h.join(':');
  return `${h.slice(0, bestStart).join(':')}::${h.slice(bestStart + bestLen).join(':')}`;
}

const NAME_SHORT: Record<string, string> = {
  '2.5.4.3': 'CN', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST', '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.5': 'serialNumber',
  '2.5.4.9': 'street', '2.5.4.17': 'postalCode', '1.2.840.113549.1.9.1': 'emailAddress', '0.9.2342.19200300.100.1.25': 'DC', '0.9.2342.19200300.100.1.1': 'UID',
};

function nameAttributes(der: Uint8Array, name: Tlv): { type: string; value: string }[][] {
  return children(der, expect(name, 0x30)).map((rdn) =>
    children(der, rdn).map((atv) => {
      const [t, v] = children(der, atv);
      const id = oid(der, t);
      return { type: NAME_SHORT[id] ?? id, value: str(der, v) };
    }),
  );
}

/** Go's pkix.Name keeps the last CN; so do we. */
function commonName(der: Uint8Array, name: Tlv): string | undefined {
  let cn: string | undefined;
  for (const rdn of nameAttributes(der, name)) for (const a of rdn) if (a.type === 'CN') cn = a.value;
  return cn;
}

function formatName(der: Uint8Array, name: Tlv): string {
  const esc = (v: string) => v.replace(/([,+"\\<>;=])/g, '\\$1').replace(/^([ #])/, '\\$1').replace(/ $/, '\\ ');
  return nameAttributes(der, name)
    .map((rdn) => rdn.map((a) => `${a.type}=${esc(a.value)}`).join(' + '))
    .join(', ');
}

function signatureAlgorithm(der: Uint8Array, algT: Tlv): string {
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

function certPublicKey(x509: X509Certificate, der: Uint8Array, spkiT: Tlv): PublicKeyInfo {
  try {
    return publicKeyInfo(x509.publicKey);
  } catch {
    return rawSpkiInfo(der, spkiT);
  }
}

/** For algorithms Node's OpenSSL cannot load: name from the OID, hash of the raw SPKI. */
function rawSpkiInfo(der: Uint8Array, spkiT: Tlv): PublicKeyInfo {
  const alg = children(der, children(der, spkiT)[0])[0];
  const id = oid(der, alg);
  return { algorithm: SPKI_ALGS[id] ?? id, spkiSha256: sha256Hex(whole(der, spkiT)) };
}

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

function sha256Hex(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

// ---------------------------------------------------------------- private keys

function decodePrivateKey(block: PemBlock, der: Uint8Array): KeyInfo {
  const label = block.label;
  const legacyEncrypted = /ENCRYPTED/i.test(block.headers['Proc-Type'] ?? '');
  const algFromLabel = label === 'RSA PRIVATE KEY' ? 'RSA' : label === 'EC PRIVATE KEY' ? 'EC' : label === 'DSA PRIVATE KEY' ? 'DSA' : 'unknown';
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

/** openssh-key-v1: the public half is stored in clear, so we can describe and match it without decrypting. */
function decodeOpenSsh(der: Uint8Array): KeyInfo {
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

// ---------------------------------------------------------------- CSRs

type Peculiar = typeof import('@peculiar/x509');
let peculiar: Peculiar | undefined;
function loadPeculiar(): Peculiar {
  if (!peculiar) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('reflect-metadata');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    peculiar = require('@peculiar/x509') as Peculiar;
  }
  return peculiar;
}

function decodeCsr(der: Uint8Array): CsrInfo {
  const x = loadPeculiar();
  const csr = new x.Pkcs10CertificateRequest(Buffer.from(der));
  const [infoT, sigAlgT] = children(der, readTlv(der, 0));
  const [, subjectT] = children(der, infoT);
  const info: CsrInfo = {
    subject: csr.subject,
    sans: [],
    publicKey: publicKeyInfo(createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: 'der', type: 'spki' })),
    signatureAlgorithm: signatureAlgorithm(der, sigAlgT),
  };
  const cn = commonName(der, subjectT);
  if (cn !== undefined) info.subjectCN = cn;
  const san = csr.getExtension('2.5.29.17');
  if (san) {
    const v = new Uint8Array(san.value);
    info.sans = generalNames(v, readTlv(v, 0));
  }
  return info;
}

// ---------------------------------------------------------------- files

const BOM = [0xef, 0xbb, 0xbf];

export function decodeFile(bytes: Uint8Array): FileContents {
  const hasBom = bytes.length >= 3 && BOM.every((b, i) => bytes[i] === b);
  if (!hasBom && looksLikeDer(bytes)) {
    const found = decodeDer(bytes);
    if (found) return found;
  }
  const text = decodeText(bytes);
  const framing = parsePem(text);
  if (hasBom && !framing.binary) {
    framing.problems.unshift({
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      code: 'pem-bom',
      severity: 2,
      message:
        'The file starts with a UTF-8 byte order mark (BOM). OpenSSL-based readers (pymilvus/gRPC, curl) then miss the first BEGIN line. Save the file as UTF-8 without BOM.',
    });
  }
  const items = framing.binary ? [] : framing.blocks.map(decodeBlock);
  return { framing, items, der: false };
}

/** Recognises the DER structures people actually drop into a TLS folder. */
function derLabel(bytes: Uint8Array): string | undefined {
  try {
    const parts = children(bytes, readTlv(bytes, 0));
    const tags = parts.map((p) => p.tag);
    if (tags[0] === 0x30 && tags[1] === 0x30 && tags[2] === 0x03) {
      const inner = children(bytes, parts[0]);
      // TBSCertificate starts with [0] version or the serial; CertificationRequestInfo with INTEGER 0 then a Name.
      if (inner[0].tag === 0xa0 || inner.length >= 6) return 'CERTIFICATE';
      return 'CERTIFICATE REQUEST';
    }
    if (tags.length === 2 && tags[0] === 0x30 && tags[1] === 0x04) return 'ENCRYPTED PRIVATE KEY';
    if (tags.length === 2 && tags[0] === 0x30 && tags[1] === 0x03) return 'PUBLIC KEY';
    if (tags[0] === 0x02 && tags[1] === 0x30 && tags[2] === 0x04) return 'PRIVATE KEY';
    if (tags[0] === 0x02 && tags[1] === 0x04) return 'EC PRIVATE KEY';
    if (tags.length >= 9 && tags.every((t) => t === 0x02)) return 'RSA PRIVATE KEY';
  } catch {
    return undefined;
  }
  return undefined;
}

function decodeDer(bytes: Uint8Array): FileContents | undefined {
  const label = derLabel(bytes);
  if (!label) return undefined;
  const zero = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const block: PemBlock = { label, range: zero, beginRange: zero, headers: {}, der: bytes };
  const item = decodeBlock(block);
  const convert = label.endsWith('PRIVATE KEY')
    ? '`openssl pkey -inform der -in FILE -out FILE.pem`'
    : label === 'CERTIFICATE REQUEST'
      ? '`openssl req -inform der -in FILE -out FILE.pem`'
      : label === 'PUBLIC KEY'
        ? '`openssl pkey -pubin -inform der -in FILE -out FILE.pem`'
        : '`openssl x509 -inform der -in FILE -out FILE.pem`';
  return {
    framing: {
      blocks: [block],
      problems: [
        {
          range: zero,
          code: 'pem-der',
          severity: 1,
          message: `This file is binary DER (${describeLabel(label)}), not PEM. Go (Milvus) and most clients read only PEM. Convert it with ${convert}.`,
        },
      ],
      binary: true,
    },
    items: item.kind === 'error' ? [] : [item],
    der: true,
  };
}
