/**
 * The checklist people run by hand before deploying mutual TLS, run on every
 * file of a set: the key belongs to the certificate (`openssl x509 -modulus`
 * vs `openssl rsa -modulus`), the name's role agrees with the EKU
 * (`-purpose sslclient|sslserver`), and the chain reaches a CA of the folder
 * (`openssl verify -CAfile ca.crt [-untrusted chain.pem]`).
 */
import * as path from 'node:path';
import type { Diagnostic, Range } from 'vscode-languageserver-types';
import { diag, Severity } from '../../types';
import type { CertInfo, FileContents } from '../../pem/model';
import type { CertificateFacts } from '../../pem/card';
import { issues, sameCertificate } from '../../tls/chain';
import type { DiagnosticCodeInfo } from '../target';
import { folderSets, isTied, type CertSet, type FolderSets } from './sets';
import { keyStem } from './naming';

export const CERT_SET_CODES: DiagnosticCodeInfo[] = [
  {
    code: 'set-key-mismatch',
    severity: 'error',
    summary: 'The key named for a certificate (client.key for client.crt) carries another public key',
  },
  { code: 'set-key-orphan', severity: 'warning', summary: 'A private key that matches no certificate in its folder' },
  {
    code: 'set-cert-key-elsewhere',
    severity: 'information',
    summary: 'A certificate whose private key is not in its folder (the set cannot be checked as a pair)',
  },
  { code: 'set-role-eku', severity: 'error', summary: 'A client* / server* certificate whose EKU does not allow that role' },
  {
    code: 'set-file-content',
    severity: 'warning',
    summary: 'A file named as a certificate holds only a key, or one named as a key holds only a certificate',
  },
  {
    code: 'set-chain-incomplete',
    severity: 'error',
    summary: 'The chain from a certificate does not reach a CA of its folder (missing intermediate or another CA)',
  },
];

const ZERO: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const EKU_NAME = { client: 'clientAuth', server: 'serverAuth' } as const;

/** Findings of the sets that involve `file`, placed on the blocks of `contents` (the file as the editor has it). */
export function certSetFindings(file: string, contents: FileContents, ws: Parameters<typeof folderSets>[1]): Diagnostic[] {
  const dir = path.dirname(path.resolve(file));
  const folder = folderSets(dir, ws);
  if (!folder) return [];
  const self = path.resolve(file);
  const rel = (p: string) => path.basename(p);
  const certAt = (c: CertInfo) =>
    contents.items.find((d) => d.kind === 'certificate' && d.cert.sha256 === c.sha256)?.block.beginRange ?? ZERO;
  const keyAt = () => contents.items.find((d) => d.kind === 'privateKey')?.block.beginRange ?? ZERO;
  const out: Diagnostic[] = [];
  out.push(...contentMismatch(self, contents));

  for (const s of folder.sets) {
    if (!isTied(s)) continue;
    const onCert = s.file.path === self;
    const name = rel(s.file.path);
    // The key the names pair with carries another public key.
    if (s.namedKey && s.namedKey.key.publicKey!.spkiSha256 !== s.leaf.publicKey.spkiSha256) {
      const owner = ownerOf(folder, s.namedKey.key.publicKey!.spkiSha256);
      const where = owner ? ` It belongs to ${rel(owner)}.` : ' No certificate in this folder carries it.';
      const right = s.key ? ` The key of ${name} is ${rel(s.key.path)}.` : '';
      const msg = `${rel(s.namedKey.path)} does not belong to ${name} (${s.leaf.subject}): its public key is another one, and loading the pair fails ("tls: private key does not match public key" in Go, "key values mismatch" in OpenSSL).${where}${right} Pair ${name} with the key it was issued for.`;
      if (s.namedKey.path === self) out.push(diag(keyAt(), Severity.Error, 'set-key-mismatch', msg, { certificate: s.file.path }));
      if (onCert && s.namedKey.path !== self)
        out.push(diag(certAt(s.leaf), Severity.Error, 'set-key-mismatch', msg, { key: s.namedKey.path }));
    } else if (onCert && !s.key && !s.namedKey) {
      out.push(
        diag(
          certAt(s.leaf),
          Severity.Information,
          'set-cert-key-elsewhere',
          `The private key of ${name} is not in this folder (no key file here carries its public key), so the pair is not checked. Keep the key where the ${s.role ?? 'service'} reads it, or put it beside ${name} (for example ${name.replace(/\.(crt|pem|cer)$/i, '.key')}).`,
        ),
      );
    }
    if (onCert) {
      const eku = s.role ? EKU_NAME[s.role] : undefined;
      const list = s.leaf.extKeyUsage;
      if (eku && list && list.length > 0 && !list.includes(eku) && !list.includes('anyExtendedKeyUsage')) {
        const verifier = s.role === 'client' ? 'servers that verify client certificates' : 'clients';
        out.push(
          diag(
            certAt(s.leaf),
            Severity.Error,
            'set-role-eku',
            `${name} is named as a ${s.role} certificate, but its extended key usage is ${list.join(', ')} without ${eku}: ${verifier} reject it ("x509: certificate specifies an incompatible key usage" in Go, "unsupported certificate purpose" in OpenSSL). Reissue it with EKU ${eku}, or rename the file if it is not a ${s.role} certificate.`,
          ),
        );
      }
      const gap = chainGap(s, folder);
      if (gap) out.push(diag(certAt(s.leaf), Severity.Error, 'set-chain-incomplete', gapMessage(s, gap, folder)));
    }
  }

  // Keys that pair with nothing, in a folder with certificates they could pair with (a key already reported
  // as the wrong one for its certificate is not repeated).
  const leaves = folder.sets.length > 0;
  for (const k of leaves ? folder.keyFiles : []) {
    if (k.path !== self) continue;
    const spki = k.key.publicKey!.spkiSha256;
    if (ownerOf(folder, spki)) continue;
    if (folder.sets.some((s) => s.namedKey === k && isTied(s))) continue;
    out.push(
      diag(
        keyAt(),
        Severity.Warning,
        'set-key-orphan',
        `${rel(k.path)} matches no certificate in this folder: no certificate here carries its public key. If its certificate lives elsewhere this is fine; if it should pair with a certificate here, that certificate was issued for another key.`,
      ),
    );
  }
  return out;
}

/** client.crt holding only a key, client.key holding only a certificate: a TLS stack given these paths fails to load them. */
function contentMismatch(file: string, contents: FileContents): Diagnostic[] {
  const name = path.basename(file);
  const first = contents.items[0];
  const hasCert = contents.items.some((d) => d.kind === 'certificate');
  const hasKey = contents.items.some((d) => d.kind === 'privateKey');
  if (!first) return [];
  if (/\.(crt|cer)$/i.test(name) && hasKey && !hasCert) {
    return [
      diag(
        first.block.beginRange,
        Severity.Warning,
        'set-file-content',
        `${name} is named as a certificate but holds a private key and no certificate: a server or client given it as its certificate fails to load it. Swap the file names, or put the certificate here and the key in a .key file.`,
      ),
    ];
  }
  if (keyStem(file) !== undefined && hasCert && !hasKey) {
    return [
      diag(
        first.block.beginRange,
        Severity.Warning,
        'set-file-content',
        `${name} is named as a private key but holds a certificate and no key: a server or client given it as its key fails to load it. Swap the file names, or put the key here.`,
      ),
    ];
  }
  return [];
}

function ownerOf(folder: FolderSets, spki: string): string | undefined {
  return folder.certFiles.find((f) => f.certs.some((c) => c.publicKey.spkiSha256 === spki))?.path;
}

interface Gap {
  /** The last certificate the chain reached, whose issuer is missing. */
  cert: CertInfo;
  /** A certificate of the folder with the issuer's name but another key, if any. */
  sameName?: { cert: CertInfo; file: string };
}

/** Where the chain from the leaf stops short of a CA of the folder; undefined when it completes or there is no CA to reach. */
/**
 * Follows issuers from the leaf through its own file's certificates and the folder's CA certificates
 * until one the folder trusts (in a CA file, or self-signed): `anchor` then names its file; otherwise
 * `gap` says where the chain stops. Neither when the folder has no CA file to reach (a public CA).
 */
function walkChain(s: CertSet, folder: FolderSets): { anchor?: string; gap?: Gap } {
  if (!folder.certFiles.some((f) => f.isCa && f !== s.file)) return {};
  const pool = [...s.file.certs.slice(1).map((cert) => ({ cert, file: s.file.path })), ...folder.authorities];
  let cur = s.leaf;
  for (let depth = 0; depth < 8; depth++) {
    const next = pool.find((p) => !sameCertificate(p.cert, cur) && issues(p.cert, cur));
    if (!next) {
      if (cur.selfSigned && depth > 0) return { anchor: s.file.path };
      return { gap: { cert: cur, sameName: pool.find((p) => p.cert.subject === cur.issuer && !sameCertificate(p.cert, cur)) } };
    }
    if (inCaFile(folder, next.cert) || next.cert.selfSigned) {
      return { anchor: folder.certFiles.find((f) => f.isCa && f.certs.some((c) => sameCertificate(c, next.cert)))?.path ?? next.file };
    }
    cur = next.cert;
  }
  return {};
}

export function chainGap(s: CertSet, folder: FolderSets): Gap | undefined {
  return walkChain(s, folder).gap;
}

/** A certificate the folder trusts: it stands in a CA file (ca.crt, chain.pem, rootCA.pem, …), wherever else it also appears. */
function inCaFile(folder: FolderSets, cert: CertInfo): boolean {
  return folder.certFiles.some((f) => f.isCa && f.certs.some((c) => sameCertificate(c, cert)));
}

function gapMessage(s: CertSet, gap: Gap, folder: FolderSets): string {
  const name = path.basename(s.file.path);
  const cas = folder.certFiles.filter((f) => f.isCa && f !== s.file).map((f) => path.basename(f.path));
  const who = gap.cert === s.leaf ? name : `${name}'s intermediate ${gap.cert.subject}`;
  if (gap.sameName) {
    return `${who} names ${gap.cert.issuer} as its issuer, but the certificate of that name in ${path.basename(gap.sameName.file)} did not sign it (another key): verification fails ("x509: certificate signed by unknown authority" in Go, "unable to get local issuer certificate" in OpenSSL). Issue ${name} from that CA again, or use the CA that issued it.`;
  }
  const sender = s.role === 'client' ? 'clients' : 'servers';
  return `${who} is issued by ${gap.cert.issuer}, which is not in this folder, so it does not chain to ${cas.join(', ')}: if it is an intermediate, ${sender} must send it (append it to ${name}, after the certificate); if it is another CA, ${cas.join(', ')} cannot verify ${name} ("x509: certificate signed by unknown authority" in Go, "unable to get local issuer certificate" in OpenSSL).`;
}

/** One line about the set a certificate belongs to, for its hover: "pairs with client.key · chains to ca.crt · clientAuth ✓". */
export function certSetSummary(file: string, cert: CertInfo, ws: Parameters<typeof folderSets>[1]): CertificateFacts | undefined {
  const folder = folderSets(path.dirname(path.resolve(file)), ws);
  const s = folder?.sets.find((x) => x.file.path === path.resolve(file) && sameCertificate(x.leaf, cert));
  if (!folder || !s || !isTied(s)) return undefined;
  const out: CertificateFacts = { facts: [], problems: [] };
  if (s.key) out.facts.push(`pairs with ${path.basename(s.key.path)}`);
  else if (s.namedKey) out.problems.push(`${path.basename(s.namedKey.path)} is not its key`);
  else out.facts.push('its key is not in this folder');
  if (folder.certFiles.some((f) => f.isCa && f !== s.file)) {
    const gap = chainGap(s, folder);
    if (gap) out.problems.push(`does not chain to a CA here (issuer ${gap.cert.issuer})`);
    else out.facts.push(`chains to ${anchorName(s, folder)}`);
  }
  if (s.role) {
    const eku = EKU_NAME[s.role];
    const list = s.leaf.extKeyUsage;
    if (!list || list.length === 0 || list.includes(eku) || list.includes('anyExtendedKeyUsage')) out.facts.push(`${eku} ✓`);
    else out.problems.push(`no ${eku} in its extended key usage`);
  }
  return out;
}

function anchorName(s: CertSet, folder: FolderSets): string {
  const anchor = walkChain(s, folder).anchor;
  return anchor ? path.basename(anchor) : 'its CA';
}
