/**
 * Findings about a PEM file on its own: framing, validity, strength, the
 * shape Go's crypto/tls (Milvus) and OpenSSL-based clients need, and the order
 * of a chain. Block-level findings always sit on the block's BEGIN line, so a
 * long body is not painted red and the position is stable while editing.
 */
import type { Diagnostic } from 'vscode-languageserver-types';
import { diag, Severity, type Settings } from '../types';
import type { CertInfo, Decoded, FileContents } from './model';
import { parsePem } from './parse';
import { decodeBlock } from './decode';
import { certName, expiryPhrase, itemTitle, relativeTime } from './describe';

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

/** Severity names match the other rooms' tables (the README is generated from all of them). */
export const PEM_DIAGNOSTIC_CODES: { code: string; severity: 'error' | 'warning' | 'information' | 'hint'; summary: string }[] = [
  { code: 'pem-bom', severity: 'warning', summary: 'File starts with a UTF-8 BOM; OpenSSL-based readers miss the first block.' },
  { code: 'pem-binary', severity: 'error', summary: 'File is binary, not PEM text.' },
  { code: 'pem-der', severity: 'error', summary: 'File is DER; Go (Milvus) reads only PEM. Convert with openssl.' },
  { code: 'pem-no-blocks', severity: 'error', summary: 'No BEGIN line at all (or base64 without the armour lines).' },
  { code: 'pem-indented', severity: 'error', summary: 'BEGIN/END line is indented; Go and OpenSSL do not see the block.' },
  { code: 'pem-bad-boundary', severity: 'error', summary: 'Malformed BEGIN/END line (e.g. body on the same line after a lost line break).' },
  { code: 'pem-begin-without-end', severity: 'error', summary: 'BEGIN line without a matching END line.' },
  { code: 'pem-end-without-begin', severity: 'error', summary: 'END line without a BEGIN line.' },
  { code: 'pem-label-mismatch', severity: 'error', summary: 'END label differs from the BEGIN label.' },
  { code: 'pem-bad-base64', severity: 'error', summary: 'Body is not valid base64 (bad character, misplaced padding, truncated, empty).' },
  { code: 'pem-data-outside-blocks', severity: 'warning', summary: 'Text outside the BEGIN/END blocks.' },
  { code: 'pem-bundle-metadata', severity: 'information', summary: 'OpenSSL "Bag Attributes" / "subject=" text outside blocks (harmless).' },
  { code: 'pem-undecodable', severity: 'error', summary: 'Block is valid base64 but its content is not what the label says.' },
  { code: 'pem-cert-expired', severity: 'error', summary: 'Certificate has expired.' },
  { code: 'pem-cert-not-yet-valid', severity: 'error', summary: 'Certificate is not valid yet (notBefore in the future).' },
  { code: 'pem-cert-expiring', severity: 'warning', summary: 'Certificate expires within tlsConfig.expiryWarningDays.' },
  { code: 'pem-rsa-weak', severity: 'error', summary: 'RSA key shorter than 2048 bits.' },
  { code: 'pem-weak-signature', severity: 'warning', summary: 'Signed with SHA-1 or MD5 (information only for self-signed roots).' },
  { code: 'pem-no-san', severity: 'error', summary: 'Server-capable leaf without subjectAltName; Go rejects CN-only certificates.' },
  { code: 'pem-ca-no-keycertsign', severity: 'error', summary: 'CA certificate whose keyUsage lacks keyCertSign.' },
  { code: 'pem-ca-no-basic-constraints', severity: 'error', summary: 'Certificate acts as a CA but lacks basicConstraints CA:TRUE.' },
  { code: 'pem-bundle-order', severity: 'warning', summary: 'Chain out of order: each certificate should be followed by its issuer.' },
  { code: 'pem-bundle-duplicate', severity: 'warning', summary: 'Same certificate appears twice in the file.' },
  { code: 'pem-key-encrypted', severity: 'error', summary: 'Encrypted private key; Go fails with "tls: failed to parse private key".' },
  { code: 'pem-key-openssh', severity: 'warning', summary: 'OpenSSH-format private key; Go crypto/tls cannot load it.' },
  { code: 'pem-key-permissions', severity: 'warning', summary: 'Private key file readable by group or others.' },
  { code: 'pem-public-ca-lifetime', severity: 'hint', summary: 'Leaf valid for more than 398 days whose issuer is not at hand (only matters for publicly trusted CAs).' },
];

const DAY = 86_400_000;
const GO_CN_ERROR = 'x509: certificate relies on legacy Common Name field, use SANs instead';

export function lintPem(text: string, ctx: PemLintContext): Diagnostic[] {
  const framing = parsePem(text);
  return lintContents({ framing, items: framing.binary ? [] : framing.blocks.map(decodeBlock), der: false }, ctx);
}

/** For callers that already hold decoded contents (the workspace caches them by mtime). */
export function lintContents(file: FileContents, ctx: PemLintContext): Diagnostic[] {
  const out: Diagnostic[] = file.framing.problems.map((p) => diag(p.range, p.severity, p.code, p.message));
  const certs = file.items.filter((d): d is Extract<Decoded, { kind: 'certificate' }> => d.kind === 'certificate');
  const rel = new Relations();
  let siblings: CertInfo[] | undefined;
  const siblingCerts = () =>
    (siblings ??= (ctx.siblingFiles?.() ?? []).flatMap((f) => f.items.flatMap((d) => (d.kind === 'certificate' ? [d.cert] : []))));
  let keyPermissionReported = false;

  for (const d of file.items) {
    const at = d.block.beginRange;
    const title = itemTitle(d);
    switch (d.kind) {
      case 'error':
        // Broken base64 was already reported on its line.
        if (d.block.der) {
          out.push(diag(at, Severity.Error, 'pem-undecodable', `${d.message} Copy the block again from its source, and check that the BEGIN label matches what the block holds (e.g. a key labelled CERTIFICATE).`));
        }
        break;
      case 'certificate':
        out.push(...lintCertificate(d.cert, at, title, certs, rel, siblingCerts, ctx));
        break;
      case 'privateKey': {
        const k = d.key;
        if (k.encrypted) {
          out.push(diag(at, Severity.Error, 'pem-key-encrypted', `${title} is encrypted (${k.format}). Milvus (Go crypto/tls) cannot load encrypted keys and fails with "tls: failed to parse private key". Decrypt it with \`openssl pkey -in KEY -out KEY.plain\` and keep the result readable only by the Milvus user.`));
        }
        if (k.format === 'OpenSSH') {
          out.push(diag(at, Severity.Warning, 'pem-key-openssh', `${title} is in OpenSSH format, which Go crypto/tls (Milvus) and OpenSSL TLS clients cannot load. Convert it to PKCS#8 with \`ssh-keygen -p -m PKCS8 -f KEY\` (RSA/ECDSA), or generate a TLS key with openssl.`));
        }
        if (k.algorithm === 'RSA' && k.size !== undefined && k.size < 2048) out.push(weakRsa(at, title, k.size));
        if (!keyPermissionReported && ctx.fileMode !== undefined && (ctx.platform ?? process.platform) !== 'win32' && (ctx.fileMode & 0o077) !== 0) {
          keyPermissionReported = true;
          const mode = (ctx.fileMode & 0o777).toString(8).padStart(3, '0');
          out.push(diag(at, Severity.Warning, 'pem-key-permissions', `This private key file is accessible to group or others (mode ${mode}). Restrict it with \`chmod 600 FILE\` (the user Milvus runs as must still be able to read it).`));
        }
        break;
      }
      case 'csr':
        if (d.csr.publicKey.algorithm === 'RSA' && d.csr.publicKey.size !== undefined && d.csr.publicKey.size < 2048) {
          out.push(weakRsa(at, title, d.csr.publicKey.size));
        }
        break;
      case 'publicKey':
        if (d.publicKey.algorithm === 'RSA' && d.publicKey.size !== undefined && d.publicKey.size < 2048) out.push(weakRsa(at, title, d.publicKey.size));
        break;
    }
  }
  return out;
}

function weakRsa(at: Diagnostic['range'], title: string, size: number): Diagnostic {
  return diag(at, Severity.Error, 'pem-rsa-weak', `${title} uses a ${size}-bit RSA key. OpenSSL at the default security level of current Linux distributions rejects RSA keys under 2048 bits ("key too small"). Generate a new key of at least 2048 bits (or EC P-256) and reissue the certificate.`);
}

/** Who issued whom, with each signature checked at most once per lint run. */
class Relations {
  private memo = new Map<string, boolean>();
  issues(issuer: CertInfo, subject: CertInfo): boolean {
    if (issuer === subject || subject.issuer !== issuer.subject) return false;
    if (subject.authorityKeyId && issuer.subjectKeyId && subject.authorityKeyId !== issuer.subjectKeyId) return false;
    const key = `${issuer.sha256}>${subject.sha256}`;
    let r = this.memo.get(key);
    if (r === undefined) {
      try {
        r = subject.x509.verify(issuer.x509.publicKey);
      } catch {
        r = true; // names and key ids match; the algorithm is just not verifiable here
      }
      this.memo.set(key, r);
    }
    return r;
  }
}

function lintCertificate(
  c: CertInfo,
  at: Diagnostic['range'],
  title: string,
  certs: Extract<Decoded, { kind: 'certificate' }>[],
  rel: Relations,
  siblingCerts: () => CertInfo[],
  ctx: PemLintContext,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const now = ctx.now.getTime();
  const fmt = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

  if (c.notAfter.getTime() < now) {
    out.push(diag(at, Severity.Error, 'pem-cert-expired', `${title} expired on ${fmt(c.notAfter)} (${relativeTime(ctx.now, c.notAfter)}). TLS handshakes with it fail. Issue a new certificate and replace this one.`));
  } else if (c.notBefore.getTime() > now) {
    out.push(diag(at, Severity.Error, 'pem-cert-not-yet-valid', `${title} is not valid until ${fmt(c.notBefore)} (${relativeTime(ctx.now, c.notBefore)}). Handshakes fail until then. Check the clock of the machine that issued it, or reissue it with a start date in the past.`));
  } else if (c.notAfter.getTime() - now < ctx.settings.expiryWarningDays * DAY) {
    out.push(diag(at, Severity.Warning, 'pem-cert-expiring', `${title} ${expiryPhrase(c.notAfter, ctx.now)} (${fmt(c.notAfter)}). Renew it before then and replace this file.`));
  }

  if (c.publicKey.algorithm === 'RSA' && c.publicKey.size !== undefined && c.publicKey.size < 2048) out.push(weakRsa(at, title, c.publicKey.size));

  const weakHash = /md5|md2|sha1|SHA-1/i.exec(c.signatureAlgorithm);
  if (weakHash) {
    const hash = /md/i.test(weakHash[0]) ? weakHash[0].toUpperCase() : 'SHA-1';
    out.push(
      c.selfSigned
        ? diag(at, Severity.Information, 'pem-weak-signature', `${title} signs itself with ${hash} (${c.signatureAlgorithm}). Nobody verifies a trusted root's own signature, so this is harmless; reissue the root with SHA-256 when convenient.`)
        : diag(at, Severity.Warning, 'pem-weak-signature', `${title} is signed with ${hash} (${c.signatureAlgorithm}). Go rejects such signatures ("x509: cannot verify signature: insecure algorithm") and OpenSSL at the default security level does too. Reissue it with SHA-256.`),
    );
  }

  const isCA = c.basicConstraints?.ca === true;
  const issuesHere = certs.some((o) => rel.issues(c, o.cert));
  const caByUsage = c.selfSigned && !!c.keyUsage?.includes('keyCertSign');
  // Only a self-signed certificate with no CA marks could be a CA that signs the other files.
  const issuesSibling = !isCA && !issuesHere && !caByUsage && c.selfSigned && siblingCerts().some((o) => rel.issues(c, o));
  const actsAsCA = issuesHere || caByUsage || issuesSibling;

  if (!isCA && actsAsCA) {
    out.push(diag(at, Severity.Error, 'pem-ca-no-basic-constraints', `${title} ${issuesHere || issuesSibling ? 'issues other certificates' : 'is a self-signed certificate allowed to sign certificates'} but has no basicConstraints CA:TRUE. OpenSSL-based clients (pymilvus/gRPC, curl) reject such a chain ("invalid CA certificate"). Reissue the CA with \`basicConstraints = critical, CA:TRUE\` and \`keyUsage = critical, keyCertSign, cRLSign\`.`));
  }
  if ((isCA || actsAsCA) && c.keyUsage && !c.keyUsage.includes('keyCertSign')) {
    out.push(diag(at, Severity.Error, 'pem-ca-no-keycertsign', `${title} is a CA but its keyUsage (${c.keyUsage.join(', ') || 'empty'}) lacks keyCertSign, so verifiers refuse the certificates it issued. Reissue the CA with \`keyUsage = critical, keyCertSign, cRLSign\`.`));
  }

  if (!isCA && !actsAsCA) {
    const serverCapable = !c.extKeyUsage || c.extKeyUsage.includes('serverAuth') || c.extKeyUsage.includes('anyExtendedKeyUsage');
    if (!c.hasSanExtension && serverCapable) {
      out.push(diag(at, Severity.Error, 'pem-no-san', `${title} has no subjectAltName; the host name is only in the Common Name. Go-based servers such as Milvus reject CN-only certificates (and so do Go clients): "${GO_CN_ERROR}". Reissue it with \`subjectAltName = DNS:${c.subjectCN && !/\s/.test(c.subjectCN) ? c.subjectCN : 'your.host'}\` (add IP:… entries for addresses clients dial).`));
    }
    const days = (c.notAfter.getTime() - c.notBefore.getTime()) / DAY;
    // A CA at hand (in this file or beside it) means a private PKI, where the public-CA cap is noise.
    const issuerAtHand = certs.some((o) => rel.issues(o.cert, c)) || siblingCerts().some((o) => rel.issues(o, c));
    if (!c.selfSigned && days > 398 && !issuerAtHand) {
      out.push(diag(at, Severity.Hint, 'pem-public-ca-lifetime', `${title} is valid for ${Math.round(days)} days. Browsers cap publicly trusted server certificates at 398 days: if it must be trusted publicly, reissue it for at most 398 days; for a private CA used only by Milvus this is fine.`));
    }
  }

  const index = certs.findIndex((o) => o.cert === c);
  const first = certs.findIndex((o) => o.cert.sha256 === c.sha256);
  if (first !== index) {
    out.push(diag(at, Severity.Warning, 'pem-bundle-duplicate', `${title} appears twice in this file (first at line ${certs[first].block.range.start.line + 1}). Remove the duplicate.`));
  } else if (!c.selfSigned) {
    const issuers = certs.flatMap((o, j) => (j !== index && rel.issues(o.cert, c) ? [j] : []));
    if (issuers.length && !issuers.includes(index + 1)) {
      const j = issuers[0];
      out.push(diag(at, Severity.Warning, 'pem-bundle-order', `${title} is issued by ${certName(certs[j].cert)} (line ${certs[j].block.range.start.line + 1}), which should come right after it. Order the chain leaf first, then each issuer, root last: Go sends the certificates in file order.`));
    }
  }
  return out;
}

