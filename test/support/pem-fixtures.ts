/**
 * PEM fixtures for the pem room's tests, made in-process on every run: no
 * binary fixture files to go stale or expire. @peculiar/x509 on Node's
 * WebCrypto makes the certificates; node:crypto re-exports keys in the
 * PKCS#1 / SEC1 / encrypted forms; ssh-keygen (when installed) the OpenSSH one.
 */
import 'reflect-metadata';
import { createPrivateKey, webcrypto } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

type CryptoKeyPair = webcrypto.CryptoKeyPair;
type CryptoKey = webcrypto.CryptoKey;

x509.cryptoProvider.set(webcrypto as never);

const DAY = 86_400_000;
const RSA = (bits: number, hash = 'SHA-256') => ({
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: bits,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash,
});
const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

export interface Made {
  certPem: string;
  keyPem: string;
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
}

async function pkcs8Pem(k: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', k);
  return `${x509.PemConverter.encode(der, 'PRIVATE KEY')}\n`;
}

let serial = 1;
interface CertOpts {
  cn?: string;
  subject?: string;
  keyAlg?: object;
  signAlg?: object;
  issuer?: Made;
  notBefore?: Date;
  notAfter?: Date;
  ca?: boolean;
  /** Omit basicConstraints even for a CA. */
  noBasicConstraints?: boolean;
  /** pathLenConstraint of a CA's basicConstraints. */
  pathLen?: number;
  keyUsage?: number;
  eku?: string[];
  sans?: { type: 'dns' | 'ip' | 'email' | 'url'; value: string }[];
  keys?: CryptoKeyPair;
  /** Leave out SKI/AKI, as bare `openssl x509 -req` does. */
  noKeyIds?: boolean;
}

export async function makeCert(o: CertOpts): Promise<Made> {
  const keyAlg = o.keyAlg ?? EC;
  const keys = o.keys ?? ((await webcrypto.subtle.generateKey(keyAlg as never, true, ['sign', 'verify'])) as CryptoKeyPair);
  const now = Date.now();
  const extensions: x509.Extension[] = [];
  if (o.ca && !o.noBasicConstraints) extensions.push(new x509.BasicConstraintsExtension(true, o.pathLen, true));
  if (o.keyUsage !== undefined) extensions.push(new x509.KeyUsagesExtension(o.keyUsage, true));
  if (o.eku) extensions.push(new x509.ExtendedKeyUsageExtension(o.eku, false));
  if (o.sans) extensions.push(new x509.SubjectAlternativeNameExtension(o.sans, false));
  if (!o.noKeyIds) extensions.push(await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as never));
  if (o.issuer && !o.noKeyIds) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(o.issuer.keys.publicKey as never));
  const name = o.subject ?? `CN=${o.cn ?? 'test'}`;
  const common = {
    serialNumber: (serial++).toString(16).padStart(2, '0'),
    notBefore: o.notBefore ?? new Date(now - DAY),
    notAfter: o.notAfter ?? new Date(now + 365 * DAY),
    signingAlgorithm: (o.signAlg ?? o.issuer?.cert.signatureAlgorithm ?? keyAlg) as never,
    extensions,
  };
  const cert = o.issuer
    ? await x509.X509CertificateGenerator.create({
        ...common,
        subject: name,
        issuer: o.issuer.cert.subject,
        publicKey: keys.publicKey as never,
        signingKey: o.issuer.keys.privateKey as never,
      })
    : await x509.X509CertificateGenerator.createSelfSigned({ ...common, name, keys: keys as never });
  return { certPem: `${cert.toString('pem')}\n`, keyPem: await pkcs8Pem(keys.privateKey), cert, keys };
}

const KU = x509.KeyUsageFlags;
const SERVER = ['1.3.6.1.5.5.7.3.1'];
const CLIENT = ['1.3.6.1.5.5.7.3.2'];
const CA_KU = KU.keyCertSign | KU.cRLSign;
const LEAF_KU = KU.digitalSignature | KU.keyEncipherment;

export interface PemFixtures {
  ca: Made;
  intermediate: Made;
  leaf: Made;
  leafViaIntermediate: Made;
  rsaLeaf: Made;
  expired: Made;
  notYetValid: Made;
  expiring: Made;
  cnOnly: Made;
  clientOnly: Made;
  sha1Leaf: Made;
  sha1Root: Made;
  weakRsaLeaf: Made;
  longLived: Made;
  caNoBasicConstraints: Made;
  leafOfCaNoBc: Made;
  caNoKeyCertSign: Made;
  csrPem: string;
  keys: {
    rsaPkcs8: string;
    rsaPkcs1: string;
    ecSec1: string;
    ecPkcs8: string;
    encryptedPkcs8: string;
    legacyEncrypted: string;
    weakRsa1024: string;
    openssh?: string;
  };
}

let cached: Promise<PemFixtures> | undefined;

/** Built once per test process; every file of the suite shares it. */
export function pemFixtures(): Promise<PemFixtures> {
  return (cached ??= build());
}

async function build(): Promise<PemFixtures> {
  const now = Date.now();
  const ca = await makeCert({ cn: 'Test Root CA', ca: true, keyUsage: CA_KU, keyAlg: RSA(2048), notAfter: new Date(now + 3650 * DAY) });
  const intermediate = await makeCert({ cn: 'Test Intermediate CA', ca: true, keyUsage: CA_KU, issuer: ca });
  const leafOpts = {
    keyUsage: LEAF_KU,
    eku: SERVER,
    sans: [
      { type: 'dns' as const, value: 'localhost' },
      { type: 'ip' as const, value: '127.0.0.1' },
    ],
  };
  const leaf = await makeCert({ cn: 'localhost', issuer: ca, ...leafOpts });
  const leafViaIntermediate = await makeCert({
    cn: 'milvus.internal',
    issuer: intermediate,
    ...leafOpts,
    sans: [{ type: 'dns', value: 'milvus.internal' }],
  });
  const rsaLeaf = await makeCert({ cn: 'rsa.localhost', issuer: ca, keyAlg: RSA(2048), ...leafOpts });
  const expired = await makeCert({
    cn: 'expired.localhost',
    issuer: ca,
    ...leafOpts,
    notBefore: new Date(now - 800 * DAY),
    notAfter: new Date(now - 30 * DAY),
  });
  const notYetValid = await makeCert({
    cn: 'future.localhost',
    issuer: ca,
    ...leafOpts,
    notBefore: new Date(now + 10 * DAY),
    notAfter: new Date(now + 100 * DAY),
  });
  const expiring = await makeCert({ cn: 'soon.localhost', issuer: ca, ...leafOpts, notAfter: new Date(now + 10 * DAY) });
  const cnOnly = await makeCert({ cn: 'localhost', issuer: ca, keyUsage: LEAF_KU, eku: SERVER });
  const clientOnly = await makeCert({ cn: 'client', issuer: ca, keyUsage: LEAF_KU, eku: CLIENT });
  const sha1Root = await makeCert({ cn: 'SHA1 Root', ca: true, keyUsage: CA_KU, keyAlg: RSA(2048, 'SHA-1') });
  const sha1Leaf = await makeCert({ cn: 'sha1.localhost', issuer: sha1Root, keyAlg: RSA(2048), ...leafOpts });
  const weakRsaLeaf = await makeCert({ cn: 'weak.localhost', issuer: ca, keyAlg: RSA(1024), ...leafOpts });
  const longLived = await makeCert({ cn: 'long.localhost', issuer: ca, ...leafOpts, notAfter: new Date(now + 3650 * DAY) });
  const caNoBasicConstraints = await makeCert({ cn: 'No BC CA', ca: true, noBasicConstraints: true });
  const leafOfCaNoBc = await makeCert({ cn: 'child.localhost', issuer: caNoBasicConstraints, ...leafOpts });
  const caNoKeyCertSign = await makeCert({ cn: 'No KeyCertSign CA', ca: true, keyUsage: KU.digitalSignature });

  const csrKeys = (await webcrypto.subtle.generateKey(EC as never, true, ['sign', 'verify'])) as CryptoKeyPair;
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: 'CN=csr.localhost, O=Test',
    keys: csrKeys as never,
    signingAlgorithm: EC as never,
    extensions: [
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'csr.localhost' },
        { type: 'ip', value: '10.0.0.1' },
      ]),
    ],
  });

  const rsaKey = createPrivateKey(rsaLeaf.keyPem);
  const ecKey = createPrivateKey(leaf.keyPem);
  return {
    ca,
    intermediate,
    leaf,
    leafViaIntermediate,
    rsaLeaf,
    expired,
    notYetValid,
    expiring,
    cnOnly,
    clientOnly,
    sha1Leaf,
    sha1Root,
    weakRsaLeaf,
    longLived,
    caNoBasicConstraints,
    leafOfCaNoBc,
    caNoKeyCertSign,
    csrPem: `${csr.toString('pem')}\n`,
    keys: {
      rsaPkcs8: rsaLeaf.keyPem,
      rsaPkcs1: rsaKey.export({ type: 'pkcs1', format: 'pem' }) as string,
      ecSec1: ecKey.export({ type: 'sec1', format: 'pem' }) as string,
      ecPkcs8: leaf.keyPem,
      encryptedPkcs8: rsaKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }) as string,
      // Node writes the traditional "Proc-Type: 4,ENCRYPTED" form for PKCS#1 with a cipher.
      legacyEncrypted: rsaKey.export({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }) as string,
      weakRsa1024: weakRsaLeaf.keyPem,
      openssh: opensshKey(),
    },
  };
}

/** An OpenSSH-format ed25519 key from ssh-keygen, or undefined where it is not installed. */
function opensshKey(): string | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'pem-fixtures-'));
  try {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'test', '-f', join(dir, 'id')], { stdio: 'ignore' });
    return readFileSync(join(dir, 'id'), 'utf8');
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Lines of a PEM private key's base64 body: tests assert none of them reaches any output. */
export function keyBodyLines(pem: string): string[] {
  return pem
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('-----') && !l.includes(':'));
}

export const toCrlf = (s: string) => s.replace(/\r?\n/g, '\r\n');
export const withBom = (s: string) => `\ufeff${s}`;
