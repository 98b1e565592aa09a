/**
 * What the certificates and keys of one PEM file are worth on their own: dates,
 * strength, the shape Go's crypto/tls and OpenSSL-based clients need, CA flags
 * on certificates that issue others, and the order of a chain. The same
 * relations (tls/chain.ts) and judgments (tls/dates.ts, names.ts, usages.ts)
 * decide the slots of a config; only the wording differs. Block-level findings
 * sit on the block's BEGIN line, so a long body is not painted red.
 */
import type { Diagnostic } from 'vscode-languageserver-types';
import { diag, Severity } from '../types';
import type { CertInfo, Decoded, FileContents } from '../pem/model';
import { parsePem } from '../pem/parse';
import { decodeBlock } from '../pem/decode';
import { certName, expiryPhrase, itemTitle, relativeTime } from '../pem/describe';
import { framingFindings, undecodableFinding, opensshKeyFinding, keyPermissionsFinding, type PemLintContext } from '../pem/lint';
import type { DiagnosticCodeInfo } from '../targets/target';
import { issues, sameCertificate } from './chain';
import { judgeDates, DAY_MS } from './dates';
import { GO_CN_ERROR } from './names';
import { allowsServerAuth } from './usages';

export type { PemLintContext };

export const TLS_FILE_CODES: DiagnosticCodeInfo[] = [
  { code: 'tls-cert-expired', severity: 'error', summary: 'Certificate has expired.' },
  { code: 'tls-cert-not-yet-valid', severity: 'error', summary: 'Certificate is not valid yet (notBefore in the future).' },
  { code: 'tls-cert-expiring', severity: 'warning', summary: 'Certificate expires within tlsConfig.expiryWarningDays.' },
  { code: 'tls-rsa-weak', severity: 'error', summary: 'RSA key shorter than 2048 bits.' },
  { code: 'tls-weak-signature', severity: 'warning', summary: 'Signed with SHA-1 or MD5 (information only for self-signed roots).' },
  { code: 'tls-cert-no-san', severity: 'error', summary: 'Server-capable leaf without subjectAltName; Go rejects CN-only certificates.' },
  { code: 'tls-ca-no-keycertsign', severity: 'error', summary: 'CA certificate whose keyUsage lacks keyCertSign.' },
  { code: 'tls-ca-no-basic-constraints', severity: 'error', summary: 'Certificate acts as a CA but lacks basicConstraints CA:TRUE.' },
  { code: 'tls-chain-order', severity: 'warning', summary: 'Chain out of order: each certificate should be followed by its issuer.' },
  { code: 'tls-chain-duplicate', severity: 'warning', summary: 'Same certificate appears twice in the file.' },
  { code: 'tls-key-encrypted', severity: 'error', summary: 'Encrypted private key; Go fails with "tls: failed to parse private key".' },
  {
    code: 'tls-public-ca-lifetime',
    severity: 'hint',
    summary: 'Leaf valid for more than 398 days whose issuer is not at hand (only matters for publicly trusted CAs).',
  },
];

const DAY = DAY_MS;

export function lintPem(text: string, ctx: PemLintContext): Diagnostic[] {
  const framing = parsePem(text);
  return lintContents({ framing, items: framing.binary ? [] : framing.blocks.map(decodeBlock), der: false }, ctx);
}

/** For callers that already hold decoded contents (the workspace caches them by mtime). */
export function lintContents(file: FileContents, ctx: PemLintContext): Diagnostic[] {
  const out: Diagnostic[] = framingFindings(file.framing);
  const certs = file.items.filter((d): d is Extract<Decoded, { kind: 'certificate' }> => d.kind === 'certificate');
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
          out.push(undecodableFinding(at, d.message));
        }
        break;
      case 'certificate':
        out.push(...lintCertificate(d.cert, at, title, certs, siblingCerts, ctx));
        break;
      case 'privateKey': {
        const k = d.key;
        if (k.encrypted) {
          out.push(
            diag(
              at,
              Severity.Error,
              'tls-key-encrypted',
              `${title} is encrypted (${k.format}). Milvus (Go crypto/tls) cannot load encrypted keys and fails with "tls: failed to parse private key". Decrypt it with \`openssl pkey -in KEY -out KEY.plain\` and keep the result readable only by the Milvus user.`,
            ),
          );
        }
        if (k.format === 'OpenSSH') {
          out.push(opensshKeyFinding(at, title));
        }
        if (k.algorithm === 'RSA' && k.size !== undefined && k.size < 2048) out.push(weakRsa(at, title, k.size));
        if (
          !keyPermissionReported &&
          ctx.fileMode !== undefined &&
          (ctx.platform ?? process.platform) !== 'win32' &&
          (ctx.fileMode & 0o077) !== 0
        ) {
          keyPermissionReported = true;
          out.push(keyPermissionsFinding(at, ctx.fileMode));
        }
        break;
      }
      case 'csr':
        if (d.csr.publicKey.algorithm === 'RSA' && d.csr.publicKey.size !== undefined && d.csr.publicKey.size < 2048) {
          out.push(weakRsa(at, title, d.csr.publicKey.size));
        }
        break;
      case 'publicKey':
        if (d.publicKey.algorithm === 'RSA' && d.publicKey.size !== undefined && d.publicKey.size < 2048)
          out.push(weakRsa(at, title, d.publicKey.size));
        break;
    }
  }
  return out;
}

function weakRsa(at: Diagnostic['range'], title: string, size: number): Diagnostic {
  return diag(
    at,
    Severity.Error,
    'tls-rsa-weak',
    `${title} uses a ${size}-bit RSA key. OpenSSL at the default security level of current Linux distributions rejects RSA keys under 2048 bits ("key too small"). Generate a new key of at least 2048 bits (or EC P-256) and reissue the certificate.`,
  );
}

function lintCertificate(
  c: CertInfo,
  at: Diagnostic['range'],
  title: string,
  certs: Extract<Decoded, { kind: 'certificate' }>[],
  siblingCerts: () => CertInfo[],
  ctx: PemLintContext,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const fmt = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

  const dates = judgeDates(c, ctx.now, ctx.settings.expiryWarningDays);
  if (dates?.code === 'tls-cert-expired') {
    out.push(
      diag(
        at,
        Severity.Error,
        dates.code,
        `${title} expired on ${fmt(c.notAfter)} (${relativeTime(ctx.now, c.notAfter)}). TLS handshakes with it fail. Issue a new certificate and replace this one.`,
      ),
    );
  } else if (dates?.code === 'tls-cert-not-yet-valid') {
    out.push(
      diag(
        at,
        Severity.Error,
        dates.code,
        `${title} is not valid until ${fmt(c.notBefore)} (${relativeTime(ctx.now, c.notBefore)}). Handshakes fail until then. Check the clock of the machine that issued it, or reissue it with a start date in the past.`,
      ),
    );
  } else if (dates?.code === 'tls-cert-expiring') {
    out.push(
      diag(
        at,
        Severity.Warning,
        dates.code,
        `${title} ${expiryPhrase(c.notAfter, ctx.now)} (${fmt(c.notAfter)}). Renew it before then and replace this file.`,
      ),
    );
  }

  if (c.publicKey.algorithm === 'RSA' && c.publicKey.size !== undefined && c.publicKey.size < 2048)
    out.push(weakRsa(at, title, c.publicKey.size));

  const weakHash = /md5|md2|sha1|SHA-1/i.exec(c.signatureAlgorithm);
  if (weakHash) {
    const hash = /md/i.test(weakHash[0]) ? weakHash[0].toUpperCase() : 'SHA-1';
    out.push(
      c.selfSigned
        ? diag(
            at,
            Severity.Information,
            'tls-weak-signature',
            `${title} signs itself with ${hash} (${c.signatureAlgorithm}). Nobody verifies a trusted root's own signature, so this is harmless; reissue the root with SHA-256 when convenient.`,
          )
        : diag(
            at,
            Severity.Warning,
            'tls-weak-signature',
            `${title} is signed with ${hash} (${c.signatureAlgorithm}). Go rejects such signatures ("x509: cannot verify signature: insecure algorithm") and OpenSSL at the default security level does too. Reissue it with SHA-256.`,
          ),
    );
  }

  const isCA = c.basicConstraints?.ca === true;
  const issuesHere = certs.some((o) => !sameCertificate(o.cert, c) && issues(c, o.cert));
  const caByUsage = c.selfSigned && !!c.keyUsage?.includes('keyCertSign');
  // Only a self-signed certificate with no CA marks could be a CA that signs the other files.
  const issuesSibling =
    !isCA && !issuesHere && !caByUsage && c.selfSigned && siblingCerts().some((o) => !sameCertificate(o, c) && issues(c, o));
  const actsAsCA = issuesHere || caByUsage || issuesSibling;

  // A v1 certificate has no extensions at all: Go (CheckSignatureFrom checks basicConstraints on v3 parents only) and OpenSSL accept it as a CA.
  if (!isCA && actsAsCA && c.version !== 1) {
    out.push(
      diag(
        at,
        Severity.Error,
        'tls-ca-no-basic-constraints',
        `${title} ${issuesHere || issuesSibling ? 'issues other certificates' : 'is a self-signed certificate allowed to sign certificates'} but has no basicConstraints CA:TRUE. ${c.selfSigned ? 'Go (Milvus, the Go SDK) refuses chains through it ("x509: invalid signature: parent certificate cannot sign this kind of certificate"); OpenSSL- and BoringSSL-based clients (pymilvus, curl) accept it only as the root they are given' : 'Go, OpenSSL- and BoringSSL-based clients (Milvus, pymilvus, curl) all refuse chains through it ("invalid CA certificate")'}. Reissue the CA with \`basicConstraints = critical, CA:TRUE\` and \`keyUsage = critical, keyCertSign, cRLSign\`.`,
      ),
    );
  }
  // Only a certificate that issues something here or beside it: a CA flag on a certificate that signs nothing harms no chain.
  const issuesSomething = () => issuesHere || issuesSibling || (isCA && siblingCerts().some((o) => !sameCertificate(o, c) && issues(c, o)));
  if (c.keyUsage && !c.keyUsage.includes('keyCertSign') && issuesSomething()) {
    out.push(
      diag(
        at,
        Severity.Error,
        'tls-ca-no-keycertsign',
        `${title} is a CA but its keyUsage (${c.keyUsage.join(', ') || 'empty'}) lacks keyCertSign, so verifiers refuse the certificates it issued (Go: "x509: invalid signature: parent certificate cannot sign this kind of certificate"; OpenSSL: "key usage does not include certificate signing"; pymilvus on BoringSSL: "unable to get local issuer certificate"). Reissue the CA with \`keyUsage = critical, keyCertSign, cRLSign\`.`,
      ),
    );
  }

  if (!isCA && !actsAsCA) {
    if (!c.hasSanExtension && allowsServerAuth(c)) {
      out.push(
        diag(
          at,
          Severity.Error,
          'tls-cert-no-san',
          `${title} has no subjectAltName; the host name is only in the Common Name. Go-based servers such as Milvus reject CN-only certificates (and so do Go clients): "${GO_CN_ERROR}". Reissue it with \`subjectAltName = DNS:${c.subjectCN && !/\s/.test(c.subjectCN) ? c.subjectCN : 'your.host'}\` (add IP:… entries for addresses clients dial).`,
        ),
      );
    }
    const days = (c.notAfter.getTime() - c.notBefore.getTime()) / DAY;
    // A CA at hand (in this file or beside it) means a private PKI, where the public-CA cap is noise.
    const issuerAtHand =
      certs.some((o) => !sameCertificate(o.cert, c) && issues(o.cert, c)) ||
      siblingCerts().some((o) => !sameCertificate(o, c) && issues(o, c));
    if (!c.selfSigned && days > 398 && !issuerAtHand) {
      out.push(
        diag(
          at,
          Severity.Hint,
          'tls-public-ca-lifetime',
          `${title} is valid for ${Math.round(days)} days. Browsers cap publicly trusted server certificates at 398 days: if it must be trusted publicly, reissue it for at most 398 days; for a private CA used only by Milvus this is fine.`,
        ),
      );
    }
  }

  const index = certs.findIndex((o) => o.cert === c);
  const first = certs.findIndex((o) => o.cert.sha256 === c.sha256);
  if (first !== index) {
    out.push(
      diag(
        at,
        Severity.Warning,
        'tls-chain-duplicate',
        `${title} appears twice in this file (first at line ${certs[first].block.range.start.line + 1}). Remove the duplicate.`,
      ),
    );
  } else if (!c.selfSigned) {
    const issuers = certs.flatMap((o, j) => (j !== index && !sameCertificate(o.cert, c) && issues(o.cert, c) ? [j] : []));
    if (issuers.length && !issuers.includes(index + 1)) {
      const j = issuers[0];
      out.push(
        diag(
          at,
          Severity.Warning,
          'tls-chain-order',
          `${title} is issued by ${certName(certs[j].cert)} (line ${certs[j].block.range.start.line + 1}), which should come right after it. Order the chain leaf first, then each issuer, root last: Go sends the certificates in file order.`,
        ),
      );
    }
  }
  return out;
}
