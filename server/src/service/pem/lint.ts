/**
 * Findings about a PEM file's text and format: framing (BEGIN/END, base64,
 * indentation, BOM, DER), blocks that do not decode, key formats TLS stacks
 * cannot load, and key file permissions. What the certificates and keys are
 * worth (dates, SANs, CA flags, chain order) is the TLS pipeline's
 * (tls/file-lint.ts), which calls these.
 */
import type { Diagnostic, Range } from 'vscode-languageserver-types';
import { diag, Severity, type Settings } from '../types';
import type { FileContents, PemFraming } from './model';

export interface PemLintContext {
  settings: Settings;
  now: Date;
  /** st_mode of the file on disk, when known: private key permission check. */
  fileMode?: number;
  /** Decoded PEM files in the same folder: tells a CA (issues a sibling's certificate) from a leaf. */
  siblingFiles?: () => FileContents[];
  /** Defaults to process.platform; tests set it. */
  platform?: string;
}

/** Severity names match the other tables (the README is generated from all of them). */
export const PEM_DIAGNOSTIC_CODES: { code: string; severity: 'error' | 'warning' | 'information' | 'hint'; summary: string }[] = [
  { code: 'pem-bom', severity: 'warning', summary: 'File starts with a UTF-8 BOM; OpenSSL-based readers miss the first block.' },
  { code: 'pem-binary', severity: 'error', summary: 'File is binary, not PEM text.' },
  { code: 'pem-der', severity: 'error', summary: 'File is DER; Go (Milvus) reads only PEM. Convert with openssl.' },
  { code: 'pem-no-blocks', severity: 'error', summary: 'No BEGIN line at all (or base64 without the armour lines).' },
  { code: 'pem-indented', severity: 'error', summary: 'BEGIN/END line is indented; Go and OpenSSL do not see the block.' },
  {
    code: 'pem-bad-boundary',
    severity: 'error',
    summary: 'Malformed BEGIN/END line (e.g. body on the same line after a lost line break).',
  },
  { code: 'pem-begin-without-end', severity: 'error', summary: 'BEGIN line without a matching END line.' },
  { code: 'pem-end-without-begin', severity: 'error', summary: 'END line without a BEGIN line.' },
  { code: 'pem-label-mismatch', severity: 'error', summary: 'END label differs from the BEGIN label.' },
  { code: 'pem-bad-base64', severity: 'error', summary: 'Body is not valid base64 (bad character, misplaced padding, truncated, empty).' },
  { code: 'pem-data-outside-blocks', severity: 'warning', summary: 'Text outside the BEGIN/END blocks.' },
  {
    code: 'pem-bundle-metadata',
    severity: 'information',
    summary: 'OpenSSL "Bag Attributes" / "subject=" text outside blocks (harmless).',
  },
  { code: 'pem-undecodable', severity: 'error', summary: 'Block is valid base64 but its content is not what the label says.' },
  { code: 'pem-key-openssh', severity: 'warning', summary: 'OpenSSH-format private key; Go crypto/tls cannot load it.' },
  {
    code: 'pem-key-permissions',
    severity: 'warning',
    summary:
      'Private key file readable by group or others, on the host (a key a compose service mounts is left to what runs there: PostgreSQL and libpq refuse it, Go, nginx and APISIX do not check).',
  },
];

export function framingFindings(framing: PemFraming): Diagnostic[] {
  return framing.problems.map((p) => diag(p.range, p.severity, p.code, p.message));
}

export function undecodableFinding(at: Range, message: string): Diagnostic {
  return diag(
    at,
    Severity.Error,
    'pem-undecodable',
    `${message} Copy the block again from its source, and check that the BEGIN label matches what the block holds (e.g. a key labelled CERTIFICATE).`,
  );
}

export function opensshKeyFinding(at: Range, title: string): Diagnostic {
  return diag(
    at,
    Severity.Warning,
    'pem-key-openssh',
    `${title} is in OpenSSH format, which Go crypto/tls (Milvus) and OpenSSL TLS clients cannot load. Convert it to PKCS#8 with \`ssh-keygen -p -m PKCS8 -f KEY\` (RSA/ECDSA), or generate a TLS key with openssl.`,
  );
}

export function keyPermissionsFinding(at: Range, fileMode: number): Diagnostic {
  const mode = (fileMode & 0o777).toString(8).padStart(3, '0');
  return diag(
    at,
    Severity.Warning,
    'pem-key-permissions',
    `This private key file is accessible to group or others (mode ${mode}). Restrict it with \`chmod 600 FILE\` (the user the server runs as must still be able to read it).`,
  );
}
