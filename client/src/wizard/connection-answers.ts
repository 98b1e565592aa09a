/**
 * What "Test connection" asks when the server could not derive it: which files a tested
 * endpoint still needs (from the probe's own result), the workspace's PEM files in the order
 * to offer them, and the answers remembered per endpoint. Pure: no `vscode` import; the answers
 * are file paths, never file contents.
 */
import * as path from 'node:path';
import type { TestConnectionParams, TestConnectionResult } from '../../../server/src/protocol';

export interface FileAnswers {
  ca?: string;
  cert?: string;
  key?: string;
}

export interface Needs {
  /** The chain did not verify for want of the right CA, and no CA was given. */
  ca: boolean;
  /** The server asks for a client certificate and none was sent. */
  client: boolean;
}

/** OpenSSL's reasons for "the issuer is unknown": a CA file would settle them (an expired certificate would not). */
const UNKNOWN_ISSUER = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
]);

export function needs(r: TestConnectionResult): Needs {
  if (r.status !== 'tested') return { ca: false, client: false };
  const ca = r.verification.chain === false && !r.target.ca && UNKNOWN_ISSUER.has(r.verification.reason ?? '');
  const client =
    !r.clientCertificate.configured &&
    (r.clientCertificate.requested === true || r.findings.some((f) => f.code === 'probe-client-cert-required'));
  return { ca, client };
}

/** The key answers are remembered under: the document's endpoint, else host:port. */
export function endpointKey(p: TestConnectionParams): string | undefined {
  if (p.uri) return `doc:${p.uri}#${p.index ?? 0}`;
  if (p.target?.host && p.target.port) return `endpoint:${p.target.host}:${p.target.port}`;
  return undefined;
}

export type Role = 'ca' | 'cert' | 'key';

const ROLE_NAME: Record<Role, RegExp> = {
  ca: /(^|[^a-z])(ca|root|chain|bundle|trust)/i,
  cert: /client|postgresql\.crt|user/i,
  key: /\.key$|key\.pem$|-key\b|_key\b/i,
};

/**
 * The workspace's PEM files for a role, best first: a name that says the role, then nearest to
 * the config being tested, then by path. Key files are offered only for the key, and certificates
 * only for the CA and the client certificate.
 */
export function rankPemFiles(files: readonly string[], role: Role, near?: string): string[] {
  const isKey = (f: string) => ROLE_NAME.key.test(path.basename(f));
  const pool = files.filter((f) => (role === 'key' ? isKey(f) || /\.pem$/i.test(f) : !isKey(f)));
  const distance = (f: string) => (near ? path.relative(near, path.dirname(f)).split(path.sep).filter(Boolean).length : 0);
  const named = (f: string) => {
    const b = path.basename(f);
    if (role === 'key') return isKey(f) ? (/client|postgresql/i.test(b) ? 0 : 1) : 2;
    if (role === 'ca') return ROLE_NAME.ca.test(b) ? 0 : 1;
    return ROLE_NAME.cert.test(b) ? 0 : /server/i.test(b) || ROLE_NAME.ca.test(b) ? 2 : 1;
  };
  return [...pool].sort((a, b) => named(a) - named(b) || distance(a) - distance(b) || a.localeCompare(b));
}

/** The key file beside a chosen client certificate (client.pem → client.key, postgresql.crt → postgresql.key). */
export function keyBeside(cert: string, files: readonly string[]): string | undefined {
  const stem = path.join(path.dirname(cert), path.basename(cert).replace(/\.(pem|crt|cer)$/i, ''));
  return files.find((f) => f === `${stem}.key` || f === `${stem}-key.pem` || f === `${stem}.key.pem`);
}
