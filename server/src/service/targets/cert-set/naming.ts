/**
 * What a file's name says about its part in a certificate set, by the
 * conventions of the tools people use: openssl guides (NAME.crt + NAME.key),
 * mkcert (NAME.pem + NAME-key.pem, rootCA.pem), certbot (cert.pem, chain.pem,
 * fullchain.pem, privkey.pem) and Kubernetes TLS Secrets (tls.crt, tls.key).
 */
import * as path from 'node:path';

export type NamedRole = 'client' | 'server' | undefined;

const CERT_EXT = /\.(crt|pem|cer)$/i;
const KEY_PATTERNS: [RegExp, string][] = [
  [/^(.+)\.key\.pem$/i, '$1'],
  [/^(.+)-key\.pem$/i, '$1'],
  [/^(.+)[._-]key$/i, '$1'],
  [/^(.+)\.key$/i, '$1'],
];

/** The name a key file pairs by ("client" for client.key, client-key.pem, client.key.pem), or undefined. */
export function keyStem(file: string): string | undefined {
  const base = path.basename(file);
  if (/^privkey\d*\.pem$/i.test(base)) return 'certbot';
  for (const [re, stem] of KEY_PATTERNS) if (re.test(base)) return base.replace(re, stem).toLowerCase();
  return undefined;
}

/** The name a certificate file pairs by ("client" for client.crt / client.pem), or undefined. */
export function certStem(file: string): string | undefined {
  const base = path.basename(file);
  if (/^(cert|fullchain)\d*\.pem$/i.test(base)) return 'certbot';
  if (!CERT_EXT.test(base) || keyStem(file) !== undefined) return undefined;
  return base.replace(CERT_EXT, '').toLowerCase();
}

/** A file that by its name holds CA certificates: ca*, rootCA*, *-ca*, chain*. */
export function isCaName(file: string): boolean {
  const base = path.basename(file).toLowerCase();
  return (
    /^(ca|rootca)([._-]|\d|$)/.test(base) ||
    /^ca[a-z]*\.(pem|crt|cer)$/.test(base) ||
    /[-_.]ca([._-]|\d|$)/.test(base) ||
    /^(chain|ca-bundle)/.test(base)
  );
}

/** The role a certificate's name claims: client*, server*; mkcert-style host names claim nothing. */
export function namedRole(file: string): NamedRole {
  const base = path.basename(file).toLowerCase();
  if (base.startsWith('client')) return 'client';
  if (base.startsWith('server')) return 'server';
  return undefined;
}
