/**
 * Plain-data model of what a PEM file holds. Decoding turns bytes into these;
 * lints, hovers and the milvus checks read only these, never raw key bytes.
 */
import type { Range } from 'vscode-languageserver-types';
import type { X509Certificate, KeyObject } from 'node:crypto';

export interface PemBlock {
  /** Label after BEGIN, e.g. "CERTIFICATE", "PRIVATE KEY". */
  label: string;
  /** Whole block from the BEGIN line to the END line (inclusive). */
  range: Range;
  /** Range of the BEGIN line only: where block-level findings go when the body is long. */
  beginRange: Range;
  /** RFC 1421 headers (Proc-Type, DEK-Info) when present. */
  headers: Record<string, string>;
  /** Decoded body; undefined when the base64 is broken. */
  der?: Uint8Array;
}

export interface PemFraming {
  blocks: PemBlock[];
  /** Framing problems: BEGIN without END, label mismatch, bad base64, data outside blocks. */
  problems: { range: Range; code: string; message: string; severity: 1 | 2 | 3 | 4 }[];
  /** The whole input looked like DER / binary rather than PEM text. */
  binary: boolean;
}

export interface PublicKeyInfo {
  /** "RSA", "EC", "Ed25519", "Ed448", "DSA", ... */
  algorithm: string;
  /** RSA/DSA modulus bits. */
  size?: number;
  /** EC curve name, e.g. "P-256". */
  curve?: string;
  /** SHA-256 of the SubjectPublicKeyInfo DER, hex: matches keys to certificates without exposing key bytes. */
  spkiSha256: string;
}

export interface CertInfo {
  subject: string;
  /** Common name of the subject, if any. */
  subjectCN?: string;
  issuer: string;
  serialHex: string;
  notBefore: Date;
  notAfter: Date;
  /** Subject alternative names as {type: 'dns'|'ip'|'email'|'uri'|'other', value}. */
  sans: { type: string; value: string }[];
  /** True when the certificate has a subjectAltName extension at all. */
  hasSanExtension: boolean;
  publicKey: PublicKeyInfo;
  /** e.g. "sha256WithRSAEncryption", "ecdsa-with-SHA256". */
  signatureAlgorithm: string;
  basicConstraints?: { ca: boolean; pathLength?: number; critical: boolean };
  /** Key usage names as in RFC 5280: digitalSignature, keyEncipherment, keyCertSign, cRLSign, ... */
  keyUsage?: string[];
  /** EKU names: serverAuth, clientAuth, codeSigning, ... or dotted OIDs for unknown ones. */
  extKeyUsage?: string[];
  subjectKeyId?: string;
  authorityKeyId?: string;
  /** X.509 version as printed (1, 2, 3). */
  version?: number;
  /** Every extension in order, with whether Go's crypto/x509 handles it when critical. */
  extensions?: { oid: string; critical: boolean; goHandled: boolean }[];
  /** Go's crypto/x509 refuses to parse the certificate: its error text (duplicate extensions, version > 3, …). */
  goRefuses?: string;
  sha256: string;
  sha1: string;
  selfSigned: boolean;
  /** Node's parsed certificate, for checkIssued / verify / checkHost / checkIP. */
  x509: X509Certificate;
}

export interface KeyInfo {
  /** "RSA", "EC", "Ed25519", ... ; "unknown" when encrypted. */
  algorithm: string;
  size?: number;
  curve?: string;
  format: 'PKCS#8' | 'PKCS#1' | 'SEC1' | 'PKCS#8 encrypted' | 'PEM encrypted (legacy)' | 'OpenSSH' | 'unknown';
  encrypted: boolean;
  /** Public half, for matching against a certificate. Undefined when encrypted. */
  publicKey?: PublicKeyInfo;
  /** Node KeyObject of the public half (never the private one). */
  publicKeyObject?: KeyObject;
}

export interface CsrInfo {
  subject: string;
  subjectCN?: string;
  sans: { type: string; value: string }[];
  publicKey: PublicKeyInfo;
  signatureAlgorithm: string;
}

export type Decoded =
  | { kind: 'certificate'; block: PemBlock; cert: CertInfo }
  | { kind: 'privateKey'; block: PemBlock; key: KeyInfo }
  | { kind: 'csr'; block: PemBlock; csr: CsrInfo }
  | { kind: 'publicKey'; block: PemBlock; publicKey: PublicKeyInfo }
  | { kind: 'other'; block: PemBlock }
  | { kind: 'error'; block: PemBlock; message: string };

/** What a whole file holds, as the milvus and compose checks need it. */
export interface FileContents {
  framing: PemFraming;
  items: Decoded[];
  /** True when the bytes are DER (binary ASN.1) rather than PEM. */
  der: boolean;
}
