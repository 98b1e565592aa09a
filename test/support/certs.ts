/**
 * Certificates with deliberate faults (CN-only, wrong EKU, expired, other CA),
 * made in-process with @peculiar/x509 so every test workspace is generated.
 */
import 'reflect-metadata';
import { webcrypto, createPrivateKey } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as never);
const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export interface Issued {
  certPem: string;
  keyPem: string;
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
}

async function keyPem(k: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', k as never);
  return x509.PemConverter.encode(der, 'PRIVATE KEY') + '\n';
}

export async function makeCa(name = 'Test CA'): Promise<Issued> {
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `CN=${name}`,
    notBefore: new Date(Date.now() - 3600_000),
    notAfter: new Date(Date.now() + 3650 * 86400_000),
    keys,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem') + '\n', keyPem: await keyPem(keys.privateKey), cert, keys };
}

export interface LeafOptions {
  cn?: string;
  /** DNS names / IPs; [] = no SAN extension at all (CN-only). */
  sans?: string[];
  eku?: string[];
  notBefore?: Date;
  notAfter?: Date;
}

export async function makeLeaf(ca: Issued, o: LeafOptions = {}): Promise<Issued> {
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const sans = o.sans ?? ['localhost', '127.0.0.1'];
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension(o.eku ?? ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']),
    await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
  ];
  if (sans.length)
    extensions.push(
      new x509.SubjectAlternativeNameExtension(
        sans.map((s) => (/^[\d.]+$|:/.test(s) ? { type: 'ip' as const, value: s } : { type: 'dns' as const, value: s })),
      ),
    );
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: Math.floor(Math.random() * 1e9)
      .toString(16)
      .padStart(8, '1'),
    subject: `CN=${o.cn ?? 'localhost'}`,
    issuer: ca.cert.subject,
    notBefore: o.notBefore ?? new Date(Date.now() - 3600_000),
    notAfter: o.notAfter ?? new Date(Date.now() + 365 * 86400_000),
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: alg,
    extensions,
  });
  return { certPem: cert.toString('pem') + '\n', keyPem: await keyPem(keys.privateKey), cert, keys };
}

/** The same key, encrypted with a passphrase (Go cannot load it). */
export function encryptKey(pem: string): string {
  return createPrivateKey(pem).export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'secret' }) as string;
}

export const EKU = { serverAuth: '1.3.6.1.5.5.7.3.1', clientAuth: '1.3.6.1.5.5.7.3.2' };
