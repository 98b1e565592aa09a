/**
 * What a user may ask the certificate generator for, the defaults we pick for
 * them, and the checks that turn a bad request into readable messages before
 * any key is generated.
 */
import { isIP } from 'node:net';

export type CertMode = 'one-way' | 'mutual';
export type KeyType = 'P-256' | 'P-384' | 'RSA-2048' | 'RSA-3072' | 'RSA-4096';

export const KEY_TYPES: readonly KeyType[] = ['P-256', 'P-384', 'RSA-2048', 'RSA-3072', 'RSA-4096'];

export interface GenerateOptions {
  /** 'one-way' = tlsMode 1 (CA + server); 'mutual' = tlsMode 2 (CA + server + client). */
  mode: CertMode;
  /** Host names and IP addresses clients dial, mixed; IPv4/IPv6 become IP SANs, the rest DNS SANs. */
  names: string[];
  keyType: KeyType;
  /** Validity of the server / client certificates, in days. */
  leafDays: number;
  /** Validity of a newly generated CA, in days. */
  caDays: number;
  /** Also emit server.csr (and client.csr in mutual mode). */
  csr: boolean;
  /** Sign the leaves with this existing CA instead of making a new one. */
  reuseCa?: { certPem: string; keyPem: string };
  /** Common Name of the server certificate; defaults to the first DNS name. */
  commonName?: string;
  /** Common Name of the client certificate (PostgreSQL `cert` auth: the database user); default milvus-client. */
  clientCommonName?: string;
  /**
   * File names and modes for a system: 'postgres' writes server.crt/server.key, root.crt, postgresql.crt/.key;
   * 'k8s' writes the usual PEM files plus a Secret manifest and a Helm values fragment (certgen/k8s.ts).
   */
  layout?: 'postgres' | 'k8s';
}

/**
 * Defaults, chosen once:
 * - P-256: small, fast to generate, accepted by Go, grpc-core (BoringSSL),
 *   OpenSSL and every pymilvus release.
 * - leaf 825 days: the longest validity Apple platforms accept for a TLS
 *   server certificate; long enough that nobody renews monthly by hand.
 * - CA 10 years: the CA only signs, it can outlive several leaf renewals.
 * - names localhost + 127.0.0.1 + ::1: what a docker-compose standalone
 *   Milvus is dialled as from the same host.
 */
export const DEFAULT_OPTIONS: GenerateOptions = {
  mode: 'mutual',
  names: ['localhost', '127.0.0.1', '::1'],
  keyType: 'P-256',
  leafDays: 825,
  caDays: 3650,
  csr: false,
};

export const LIMITS = {
  minDays: 1,
  maxLeafDays: 3650,
  maxCaDays: 36500,
  maxNames: 100,
} as const;

export type NameKind = 'dns' | 'ip';

/** IPv4 or IPv6 literal (brackets around IPv6 are accepted and dropped). */
export function classifyName(name: string): NameKind {
  return isIP(stripBrackets(name)) ? 'ip' : 'dns';
}

export function stripBrackets(name: string): string {
  return name.startsWith('[') && name.endsWith(']') ? name.slice(1, -1) : name;
}

/** Trims, drops empties and case-insensitive duplicates, keeps order. */
export function normalizeNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of names) {
    const n = stripBrackets(raw.trim());
    if (!n) continue;
    const key = n.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(n);
  }
  return out;
}

const DNS_LABEL = /^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$/;
const LOOKS_LIKE_IPV4 = /^[0-9.]+$/;

/** Why `name` cannot go into a SAN, or undefined when it can. */
export function checkName(name: string): string | undefined {
  const n = stripBrackets(name.trim());
  if (!n) return 'an empty name';
  // Checked before isIP, which accepts "fe80::1%eth0".
  if (n.includes('%')) return `"${name}": IPv6 zone identifiers (%eth0) cannot appear in a certificate`;
  if (isIP(n)) return undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(n)) {
    return `"${name}" is a URL; give only the host name (for example "${hostOfUrl(n)}")`;
  }
  if (n.split(':').length > 2) return `"${name}" is not a valid IPv6 address`;
  if (n.includes(':')) {
    const host = n.split(':')[0];
    return `"${name}" is neither a host name nor an IP address; leave out the port (for example "${host}")`;
  }
  if (LOOKS_LIKE_IPV4.test(n)) return `"${name}" is not a valid IPv4 address`;
  if (/\s/.test(n)) return `"${name}" contains white space`;
  const dns = n.endsWith('.') ? n.slice(0, -1) : n;
  if (dns.length > 253) return `"${name}" is longer than 253 characters`;
  const labels = dns.split('.');
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label === '*') {
      if (i !== 0 || labels.length < 3) {
        return `"${name}": a wildcard is only allowed as the whole left-most label of a name with at least three labels (for example "*.milvus.example.com")`;
      }
      continue;
    }
    if (!DNS_LABEL.test(label)) {
      return `"${name}" is not a valid DNS name (each dot-separated part must be 1-63 letters, digits or hyphens, not starting or ending with a hyphen)`;
    }
  }
  return undefined;
}

function hostOfUrl(url: string): string {
  try {
    return stripBrackets(new URL(url).hostname) || 'localhost';
  } catch {
    return 'localhost';
  }
}

function checkDays(label: string, value: unknown, max: number): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value)) return `${label} must be a whole number of days`;
  if (value < LIMITS.minDays || value > max) return `${label} must be between ${LIMITS.minDays} and ${max} days (got ${value})`;
  return undefined;
}

/** Which answer a problem is about, so a wizard can show it on the step that asked. */
export type OptionField = 'mode' | 'keyType' | 'names' | 'leafDays' | 'caDays' | 'reuseCa' | 'csr' | 'commonName' | 'clientCommonName';

export interface OptionProblem {
  field: OptionField;
  message: string;
}

/** Every problem with `o`, as sentences a user can act on; empty when `o` is usable. */
export function validateOptions(o: GenerateOptions): string[] {
  return validateOptionFields(o).map((p) => p.message);
}

/** The problems of `validateOptions`, each with the field it is about. */
export function validateOptionFields(o: GenerateOptions): OptionProblem[] {
  const errors: OptionProblem[] = [];
  const push = (field: OptionField, message: string) => errors.push({ field, message });
  if (o.mode !== 'one-way' && o.mode !== 'mutual') {
    push('mode', `mode must be "one-way" (tlsMode 1) or "mutual" (tlsMode 2), not "${String(o.mode)}"`);
  }
  if (!KEY_TYPES.includes(o.keyType)) {
    push('keyType', `keyType must be one of ${KEY_TYPES.join(', ')}, not "${String(o.keyType)}"`);
  }
  const names = Array.isArray(o.names) ? o.names : [];
  if (normalizeNames(names.filter((n) => typeof n === 'string')).length === 0) {
    push('names', 'give at least one host name or IP address that clients use to reach Milvus (for example "localhost")');
  } else {
    for (const n of names) {
      if (typeof n !== 'string') {
        push('names', `names must be strings (got ${typeof n})`);
        continue;
      }
      if (!n.trim()) continue; // blank entries are ignored
      const why = checkName(n);
      if (why) push('names', why);
    }
    if (normalizeNames(names.filter((n) => typeof n === 'string')).length > LIMITS.maxNames) {
      push('names', `at most ${LIMITS.maxNames} names are supported`);
    }
  }
  const leaf = checkDays('leafDays', o.leafDays, LIMITS.maxLeafDays);
  if (leaf) push('leafDays', leaf);
  if (!o.reuseCa) {
    const ca = checkDays('caDays', o.caDays, LIMITS.maxCaDays);
    if (ca) push('caDays', ca);
    if (!leaf && !ca && o.leafDays > o.caDays) {
      push('leafDays', `leafDays (${o.leafDays}) must not exceed caDays (${o.caDays}): a certificate is useless once its CA has expired`);
    }
  } else {
    if (typeof o.reuseCa.certPem !== 'string' || !o.reuseCa.certPem.includes('-----BEGIN CERTIFICATE-----')) {
      push('reuseCa', 'the CA certificate to reuse is not a PEM certificate (expected "-----BEGIN CERTIFICATE-----")');
    }
    if (typeof o.reuseCa.keyPem !== 'string' || !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(o.reuseCa.keyPem)) {
      push('reuseCa', 'the CA key to reuse is not a PEM private key (expected "-----BEGIN PRIVATE KEY-----")');
    }
  }
  if (typeof o.csr !== 'boolean') push('csr', 'csr must be true or false');
  for (const field of ['commonName', 'clientCommonName'] as const) {
    const v = o[field];
    if (v === undefined) continue;
    if (typeof v !== 'string' || !v.trim()) push(field, `${field}, when given, must not be empty`);
    else if (v.length > 64) push(field, `${field} must be at most 64 characters (an X.509 limit)`);
  }
  return errors;
}

/**
 * Names that are valid but rarely what was meant, said once before generating: a wildcard
 * covers exactly one left-most label (RFC 6125 §6.4.3; Go's crypto/x509 matchHostnames does the same).
 */
export function nameNotes(names: readonly string[]): string[] {
  return normalizeNames(names.filter((n) => typeof n === 'string'))
    .filter((n) => n.startsWith('*.') && !checkName(n))
    .map((n) => {
      const parent = n.slice(2);
      return `"${n}" covers one label (for example "milvus.${parent}"), not "${parent}" itself nor "a.b.${parent}"`;
    });
}
