/**
 * Certificate generation: a private CA, a server certificate and (mutual TLS)
 * a client certificate, shaped so Milvus (Go crypto/tls), pymilvus (grpc-core)
 * and curl (OpenSSL) all accept them.
 *
 * Choices, made once (after mkcert):
 * - The CA may only sign leaves: basicConstraints CA:TRUE pathlen:0 and
 *   keyUsage keyCertSign+cRLSign, both critical.
 * - Leaves carry every name as a SAN (Go ignores the Common Name since 1.15),
 *   the EKU of their role (Go enforces it), CA:FALSE, AKI = the CA's SKI.
 * - Serial numbers are 16 random bytes with the top bit cleared: positive,
 *   unique, at most 20 octets as RFC 5280 requires.
 * - notBefore is 5 minutes in the past so a container whose clock is slightly
 *   behind does not reject a certificate made a moment ago; the validity
 *   counts from there, so notAfter - notBefore is exactly the days asked for
 *   (as mkcert does).
 * - Private keys are unencrypted PKCS#8 ("BEGIN PRIVATE KEY"): Milvus cannot
 *   read encrypted keys; file permissions protect them (see write.ts).
 * - The signature hash follows the CA key: SHA-256 for P-256 and RSA,
 *   SHA-384 for P-384.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createPrivateKey, createPublicKey, randomBytes, webcrypto, type KeyObject } from 'node:crypto';
import { isIPv4 } from 'node:net';
import { parsePem } from '../pem/parse';
import { classifyName, normalizeNames, validateOptions, type GenerateOptions, type KeyType } from './options';

export type GeneratedFileName =
  | 'ca.pem'
  | 'ca.key'
  | 'server.pem'
  | 'server.key'
  | 'client.pem'
  | 'client.key'
  | 'server.csr'
  | 'client.csr'
  // The PostgreSQL layout (targets/postgres/layout.ts).
  | 'root.crt'
  | 'server.crt'
  | 'postgresql.crt'
  | 'postgresql.key'
  | 'postgresql.csr'
  // The Kubernetes layout (certgen/k8s.ts), next to the PEM files.
  | 'milvus-tls-secret.yaml'
  | 'milvus-tls-values.yaml';

export interface GeneratedFile {
  name: GeneratedFileName;
  contents: string;
  /** Private keys: written 0600 and never shown in previews. */
  secret: boolean;
}

export interface CertSetResult {
  files: GeneratedFile[];
  ca: {
    /** true when the leaves were signed by `reuseCa`; ca.pem / ca.key are then not among `files`. */
    reused: boolean;
    subject: string;
    notAfter: Date;
  };
}

/** A request the generator cannot fulfil; `message` is meant for the user. */
export class CertGenError extends Error {
  override name = 'CertGenError';
}

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
type Algorithm = webcrypto.Algorithm;
type EcdsaParams = webcrypto.EcdsaParams;

const crypto = webcrypto;
x509.cryptoProvider.set(crypto);

const ORG = 'tls-config';
const DAY_MS = 24 * 60 * 60 * 1000;
const CLOCK_SKEW_MS = 5 * 60 * 1000;

interface KeySpec {
  generate: webcrypto.RsaHashedKeyGenParams | webcrypto.EcKeyGenParams;
  /** Algorithm this key signs with (certificates it issues, its own CSR). */
  sign: Algorithm | EcdsaParams;
  rsa: boolean;
}

function keySpec(t: KeyType): KeySpec {
  switch (t) {
    case 'P-256':
      return { generate: { name: 'ECDSA', namedCurve: 'P-256' }, sign: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams, rsa: false };
    case 'P-384':
      return { generate: { name: 'ECDSA', namedCurve: 'P-384' }, sign: { name: 'ECDSA', hash: 'SHA-384' } as EcdsaParams, rsa: false };
    case 'RSA-2048':
    case 'RSA-3072':
    case 'RSA-4096': {
      const generate: webcrypto.RsaHashedKeyGenParams = {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: Number(t.slice(4)),
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      };
      return { generate, sign: { name: 'RSASSA-PKCS1-v1_5' }, rsa: true };
    }
  }
}

interface Issuer {
  cert: x509.X509Certificate;
  privateKey: CryptoKey;
  sign: Algorithm | EcdsaParams;
  ski: string;
}

/** Generates the set; throws CertGenError with a readable message on bad options or a bad reused CA. */
export async function generateCertSet(o: GenerateOptions): Promise<GeneratedFile[]> {
  return (await generateCertSetWithInfo(o)).files;
}

export async function generateCertSetWithInfo(o: GenerateOptions): Promise<CertSetResult> {
  const problems = validateOptions(o);
  if (problems.length) throw new CertGenError(`Cannot generate certificates: ${problems.join('; ')}.`);
  try {
    return await generate(o);
  } catch (e) {
    if (e instanceof CertGenError) throw e;
    throw new CertGenError(`Certificate generation failed: ${errorText(e)}`);
  }
}

async function generate(o: GenerateOptions): Promise<CertSetResult> {
  const now = Date.now();
  const names = normalizeNames(o.names);
  const spec = keySpec(o.keyType);
  const mutual = o.mode === 'mutual';

  // Every key at once: RSA generation dominates and runs on the thread pool.
  // A reused CA is checked alongside, so a bad one fails without the wait.
  const [caKeys, serverKeys, clientKeys, reused] = await Promise.all([
    o.reuseCa ? undefined : newKeyPair(spec),
    newKeyPair(spec),
    mutual ? newKeyPair(spec) : undefined,
    o.reuseCa ? loadIssuer(o.reuseCa.certPem, o.reuseCa.keyPem, now, o.leafDays) : undefined,
  ]);
  const ca = reused ?? (await newCa(caKeys!, spec, o.caDays, now));

  const files: GeneratedFile[] = [];
  if (!o.reuseCa) {
    files.push({ name: 'ca.pem', contents: ca.cert.toString('pem') + '\n', secret: false });
    files.push({ name: 'ca.key', contents: await privateKeyPem(caKeys!.privateKey), secret: true });
  }
  // The CN is cosmetic (clients check SANs) but capped at 64 characters by X.509.
  const fits = names.filter((n) => n.length <= 64);
  const serverCn = o.commonName?.trim() || fits.find((n) => classifyName(n) === 'dns') || fits[0] || 'milvus-server';
  const leaves: Array<{ role: 'server' | 'client'; keys: CryptoKeyPair; cn: string }> = [
    { role: 'server', keys: serverKeys, cn: serverCn },
  ];
  if (clientKeys) leaves.push({ role: 'client', keys: clientKeys, cn: o.clientCommonName?.trim().slice(0, 64) || 'milvus-client' });

  const issued = await Promise.all(
    leaves.map(async (l) => {
      const extensions = leafExtensions(l.role, names, spec.rsa);
      const subject: x509.JsonName = [{ O: [ORG] }, { CN: [l.cn] }];
      const [cert, keyPem, csr] = await Promise.all([
        issueLeaf(ca, l.keys.publicKey, subject, extensions, o.leafDays, now),
        privateKeyPem(l.keys.privateKey),
        o.csr
          ? x509.Pkcs10CertificateRequestGenerator.create(
              { name: subject, keys: l.keys, signingAlgorithm: spec.sign, extensions: leafExtensions(l.role, names, spec.rsa) },
              crypto,
            )
          : undefined,
      ]);
      return { role: l.role, cert, keyPem, csr };
    }),
  );
  for (const l of issued) {
    files.push({ name: `${l.role}.pem`, contents: l.cert.toString('pem') + '\n', secret: false });
    files.push({ name: `${l.role}.key`, contents: l.keyPem, secret: true });
  }
  for (const l of issued) {
    if (l.csr) files.push({ name: `${l.role}.csr`, contents: l.csr.toString('pem') + '\n', secret: false });
  }
  return { files, ca: { reused: !!o.reuseCa, subject: ca.cert.subject, notAfter: ca.cert.notAfter } };
}

function validity(now: number, days: number): { notBefore: Date; notAfter: Date } {
  const notBefore = now - CLOCK_SKEW_MS;
  return { notBefore: new Date(notBefore), notAfter: new Date(notBefore + days * DAY_MS) };
}

async function newKeyPair(spec: KeySpec): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(spec.generate, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function newCa(keys: CryptoKeyPair, spec: KeySpec, days: number, now: number): Promise<Issuer> {
  const ski = await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto);
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerial(),
      // A random suffix keeps two generated CAs apart in a trust store.
      name: [{ O: [ORG] }, { CN: [`TLS Config CA ${randomBytes(4).toString('hex')}`] }],
      ...validity(now, days),
      keys,
      signingAlgorithm: spec.sign,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        ski,
      ],
    },
    crypto,
  );
  return { cert, privateKey: keys.privateKey, sign: spec.sign, ski: ski.keyId };
}

function leafExtensions(role: 'server' | 'client', names: string[], rsa: boolean): x509.Extension[] {
  let usage = x509.KeyUsageFlags.digitalSignature;
  // RSA key transport (TLS 1.2 RSA key exchange) needs keyEncipherment.
  if (rsa) usage |= x509.KeyUsageFlags.keyEncipherment;
  const san = names.map((n) =>
    classifyName(n) === 'ip' ? { type: 'ip' as const, value: ipForSan(n) } : { type: 'dns' as const, value: n },
  );
  return [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(usage, true),
    new x509.ExtendedKeyUsageExtension([role === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
    new x509.SubjectAlternativeNameExtension(san),
  ];
}

async function issueLeaf(
  ca: Issuer,
  publicKey: CryptoKey,
  subject: x509.JsonName,
  extensions: x509.Extension[],
  days: number,
  now: number,
): Promise<x509.X509Certificate> {
  return x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerial(),
      subject,
      // The CA's own encoded subject: Go matches issuer to subject byte for byte.
      issuer: ca.cert.subjectName,
      ...validity(now, days),
      publicKey,
      signingKey: ca.privateKey,
      signingAlgorithm: ca.sign,
      extensions: [
        ...extensions,
        await x509.SubjectKeyIdentifierExtension.create(publicKey, false, crypto),
        new x509.AuthorityKeyIdentifierExtension(ca.ski),
      ],
    },
    crypto,
  );
}

/** Checks and imports a CA the user already has (PKCS#8, PKCS#1 or SEC1 key). */
async function loadIssuer(certPem: string, keyPem: string, now: number, leafDays: number): Promise<Issuer> {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: keyPem, format: 'pem' });
  } catch (e) {
    const msg = errorText(e);
    if (/passphrase|encrypted/i.test(msg) || /ENCRYPTED/.test(keyPem)) {
      throw new CertGenError(
        'The CA private key is encrypted. Decrypt it first (openssl pkey -in ca.key -out ca-plain.key) and keep the plain copy private.',
      );
    }
    throw new CertGenError(`The CA private key could not be read: ${msg}`);
  }
  const spki = spkiOf(key);
  const blocks = parsePem(certPem).blocks.filter((b) => b.label === 'CERTIFICATE');
  const certs = blocks.map((b, i) => {
    try {
      if (!b.der) throw new Error('its base64 body is broken');
      return new x509.X509Certificate(b.der);
    } catch (e) {
      throw new CertGenError(`Certificate #${i + 1} in the CA file could not be decoded: ${errorText(e)}`);
    }
  });
  if (certs.length === 0) throw new CertGenError('The CA file contains no "BEGIN CERTIFICATE" block.');
  const cert = certs.find((c) => Buffer.from(c.publicKey.rawData).equals(spki));
  if (!cert) {
    throw new CertGenError(
      certs.length === 1
        ? `The CA private key does not belong to the CA certificate (${certs[0].subject}).`
        : `The CA private key belongs to none of the ${certs.length} certificates in the CA file.`,
    );
  }
  const bc = cert.getExtension(x509.BasicConstraintsExtension);
  if (!bc || !bc.ca) {
    throw new CertGenError(
      `"${cert.subject}" is not a CA certificate (basicConstraints CA:TRUE is missing), so it cannot sign other certificates.`,
    );
  }
  const ku = cert.getExtension(x509.KeyUsagesExtension);
  if (ku && !(ku.usages & x509.KeyUsageFlags.keyCertSign)) {
    throw new CertGenError(`"${cert.subject}" may not sign certificates: its keyUsage lacks keyCertSign.`);
  }
  if (cert.notAfter.getTime() <= now) {
    throw new CertGenError(`The CA "${cert.subject}" expired on ${cert.notAfter.toISOString().slice(0, 10)}; generate a new CA.`);
  }
  if (cert.notBefore.getTime() > now) {
    throw new CertGenError(`The CA "${cert.subject}" is not valid before ${cert.notBefore.toISOString()}; check the clock.`);
  }
  const leaf = validity(now, leafDays);
  if (leaf.notAfter.getTime() > cert.notAfter.getTime()) {
    const maxDays = Math.floor((cert.notAfter.getTime() - leaf.notBefore.getTime()) / DAY_MS);
    throw new CertGenError(
      `The CA "${cert.subject}" expires on ${cert.notAfter.toISOString().slice(0, 10)}, before certificates valid for ${leafDays} days would. ` +
        (maxDays >= 1 ? `Use at most ${maxDays} days, or generate a new CA.` : 'Generate a new CA.'),
    );
  }

  const { algorithm, sign } = issuerAlgorithm(key);
  const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
  const privateKey = await crypto.subtle.importKey('pkcs8', pkcs8, algorithm, false, ['sign']);
  const skiExt = cert.getExtension(x509.SubjectKeyIdentifierExtension);
  const ski = skiExt ? skiExt.keyId : (await x509.SubjectKeyIdentifierExtension.create(cert.publicKey, false, crypto)).keyId;
  return { cert, privateKey, sign, ski };
}

function issuerAlgorithm(key: KeyObject): {
  algorithm: webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams;
  sign: Algorithm | EcdsaParams;
} {
  if (key.asymmetricKeyType === 'rsa') {
    return { algorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, sign: { name: 'RSASSA-PKCS1-v1_5' } };
  }
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    const table: Record<string, [string, string]> = {
      prime256v1: ['P-256', 'SHA-256'],
      secp384r1: ['P-384', 'SHA-384'],
      secp521r1: ['P-521', 'SHA-512'],
    };
    const hit = curve ? table[curve] : undefined;
    if (hit) return { algorithm: { name: 'ECDSA', namedCurve: hit[0] }, sign: { name: 'ECDSA', hash: hit[1] } as EcdsaParams };
    throw new CertGenError(`The CA key uses the elliptic curve ${curve ?? '(unknown)'}; only P-256, P-384 and P-521 are supported.`);
  }
  throw new CertGenError(`The CA key is of type ${key.asymmetricKeyType ?? 'unknown'}; only RSA and ECDSA CA keys are supported.`);
}

function spkiOf(key: KeyObject): Buffer {
  return createPublicKey(key).export({ type: 'spki', format: 'der' });
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = await crypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY') + '\n';
}

/** 16 random bytes, top bit cleared (positive), never zero. */
export function randomSerial(): string {
  const b = randomBytes(16);
  b[0] &= 0x7f;
  if (b.every((x) => x === 0)) b[15] = 1;
  return b.toString('hex');
}

/** IPv6 spelled as eight hex groups (the SAN encoder cannot parse "::ffff:1.2.3.4"). */
function ipForSan(ip: string): string {
  if (isIPv4(ip)) return ip;
  let s = ip;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const [a, b, c, d] = v4[1].split('.').map(Number);
    s = s.slice(0, v4.index) + ((a << 8) | b).toString(16) + ':' + ((c << 8) | d).toString(16);
  }
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((g) => parseInt(g, 16).toString(16)).join(':');
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
