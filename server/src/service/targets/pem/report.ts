/**
 * A PEM file described as plain data for the certificate view and the "Copy SHA-256
 * fingerprint" command: every block in order with its facts, the chain each certificate
 * builds through the file and its folder, and the file's verdict (its own findings).
 * Keys appear only as type, size, format and the hash of their public half: no byte of a
 * private key is ever part of a report.
 */
import * as path from 'node:path';
import type { CodeLens, Diagnostic } from 'vscode-languageserver-types';
import type { Workspace } from '../../workspace';
import type { CertInfo, Decoded, FileContents } from '../../pem/model';
import { loadPemFile } from '../../pem/files';
import { certName, expiryPhrase, itemTitle, keySummary, relativeTime } from '../../pem/describe';
import { issues } from '../../tls/chain';
import { PEM_EXT } from './siblings';

export interface CertificateFacts {
  kind: 'certificate';
  /** 0-based line of the BEGIN line. */
  line: number;
  title: string;
  isCa: boolean;
  subject: string;
  issuer: string;
  serial: string;
  notBefore: string;
  notAfter: string;
  status: 'valid' | 'expiring' | 'expired' | 'not-yet-valid';
  /** "expires in 412 days", "expired 3 days ago", "valid from in 2 days". */
  validity: string;
  sans: string;
  publicKey: string;
  signature: string;
  basicConstraints: string;
  keyUsage: string;
  extKeyUsage: string;
  subjectKeyId?: string;
  authorityKeyId?: string;
  sha256: string;
  sha1: string;
  selfSigned: boolean;
  /** Leaf first: this certificate, then each issuer found in the file or its folder. */
  chain: ChainLink[];
}

export interface ChainLink {
  title: string;
  /** Where the certificate was found: "this file (line 12)", "ca.pem". */
  where: string;
}

export type ReportItem =
  | CertificateFacts
  | {
      kind: 'privateKey';
      line: number;
      title: string;
      format: string;
      encrypted: boolean;
      /** SHA-256 of the public half (SPKI); absent when encrypted. */
      publicKeySha256?: string;
      /** The certificate of the file or folder carrying this public key. */
      pairsWith?: string;
    }
  | { kind: 'csr'; line: number; title: string; subject: string; sans: string; publicKey: string; signature: string }
  | { kind: 'publicKey'; line: number; title: string; publicKeySha256: string }
  | { kind: 'other' | 'error'; line: number; title: string; message?: string };

export interface CertificateReport {
  /** The file's name relative to its workspace folder (or its base name). */
  file: string;
  items: ReportItem[];
  verdict: Verdict;
}

export interface Verdict {
  level: 'ok' | 'information' | 'warning' | 'error';
  /** One line: the first problem, or what the file holds when nothing is wrong. */
  summary: string;
  problems: { severity: 'error' | 'warning' | 'information' | 'hint'; code: string; line: number; message: string }[];
}

const SEVERITY = ['', 'error', 'warning', 'information', 'hint'] as const;
/** A folder of hundreds of certificates (a CA store) is searched for issuers no further. */
const MAX_FOLDER_FILES = 200;
const MAX_CHAIN = 10;

interface Located {
  cert: CertInfo;
  where: string;
}

export function certificateReport(
  file: string,
  contents: FileContents,
  diagnostics: Diagnostic[],
  ctx: { ws: Workspace; now: Date; expiryWarningDays: number },
): CertificateReport {
  const here: Located[] = contents.items.flatMap((d) =>
    d.kind === 'certificate' ? [{ cert: d.cert, where: `this file (line ${d.block.range.start.line + 1})` }] : [],
  );
  let folder: Located[] | undefined;
  const pool = () => [...here, ...(folder ??= folderCertificates(file, ctx.ws))];
  const items = contents.items.map((d) => reportItem(d, pool, ctx));
  return { file: displayName(file, ctx.ws), items, verdict: verdict(diagnostics, contents) };
}

function reportItem(d: Decoded, pool: () => Located[], ctx: { now: Date; expiryWarningDays: number }): ReportItem {
  const line = d.block.range.start.line;
  const title = itemTitle(d);
  switch (d.kind) {
    case 'certificate':
      return certificateFacts(d.cert, line, title, pool, ctx);
    case 'privateKey': {
      const spki = d.key.publicKey?.spkiSha256;
      const match = spki ? pool().find((l) => l.cert.publicKey.spkiSha256 === spki) : undefined;
      return {
        kind: 'privateKey',
        line,
        title,
        format: d.key.format,
        encrypted: d.key.encrypted,
        publicKeySha256: spki,
        pairsWith: match && `${certName(match.cert)} in ${match.where}`,
      };
    }
    case 'csr':
      return {
        kind: 'csr',
        line,
        title,
        subject: d.csr.subject,
        sans: sanText(d.csr.sans),
        publicKey: keySummary(d.csr.publicKey),
        signature: d.csr.signatureAlgorithm,
      };
    case 'publicKey':
      return { kind: 'publicKey', line, title, publicKeySha256: d.publicKey.spkiSha256 };
    case 'error':
      return { kind: 'error', line, title, message: d.message };
    default:
      return { kind: 'other', line, title };
  }
}

function certificateFacts(
  c: CertInfo,
  line: number,
  title: string,
  pool: () => Located[],
  ctx: { now: Date; expiryWarningDays: number },
): CertificateFacts {
  const bc = c.basicConstraints;
  return {
    kind: 'certificate',
    line,
    title,
    isCa: !!bc?.ca,
    subject: c.subject,
    issuer: c.issuer,
    serial: c.serialHex,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    status: status(c, ctx.now, ctx.expiryWarningDays),
    validity:
      c.notBefore.getTime() > ctx.now.getTime()
        ? `not valid yet (starts ${relativeTime(ctx.now, c.notBefore)})`
        : expiryPhrase(c.notAfter, ctx.now),
    sans: c.sans.length ? sanText(c.sans) : c.hasSanExtension ? '(extension present but empty)' : '(none)',
    publicKey: keySummary(c.publicKey),
    signature: c.signatureAlgorithm,
    basicConstraints: bc
      ? `CA:${bc.ca ? 'TRUE' : 'FALSE'}${bc.pathLength !== undefined ? `, pathlen:${bc.pathLength}` : ''}${bc.critical ? ' (critical)' : ''}`
      : '(not present)',
    keyUsage: c.keyUsage ? c.keyUsage.join(', ') || '(empty)' : '(not present: any)',
    extKeyUsage: c.extKeyUsage ? c.extKeyUsage.join(', ') || '(empty)' : '(not present: any)',
    subjectKeyId: c.subjectKeyId,
    authorityKeyId: c.authorityKeyId,
    sha256: c.sha256,
    sha1: c.sha1,
    selfSigned: c.selfSigned,
    chain: chainOf(c, pool),
  };
}

export function status(c: CertInfo, now: Date, warningDays: number): CertificateFacts['status'] {
  if (c.notBefore.getTime() > now.getTime()) return 'not-yet-valid';
  if (c.notAfter.getTime() < now.getTime()) return 'expired';
  return c.notAfter.getTime() - now.getTime() < warningDays * 86_400_000 ? 'expiring' : 'valid';
}

/** Leaf first, each issuer as the shared issued-by relation (tls/chain.ts) finds it; stops at a self-signed root or a loop. */
function chainOf(leaf: CertInfo, pool: () => Located[]): ChainLink[] {
  const out: ChainLink[] = [];
  const seen = new Set<string>([leaf.sha256]);
  let cur = leaf;
  while (!cur.selfSigned && out.length < MAX_CHAIN) {
    const up = pool().find((l) => !seen.has(l.cert.sha256) && issues(l.cert, cur));
    if (!up) {
      out.push({ title: `issuer ${issuerName(cur)}`, where: 'not found in this file or its folder' });
      break;
    }
    out.push({ title: itemTitle({ kind: 'certificate', cert: up.cert } as Decoded), where: up.where });
    seen.add(up.cert.sha256);
    cur = up.cert;
  }
  return out;
}

/** "DNS:localhost, IP:127.0.0.1", as openssl x509 -text prints them. */
function sanText(sans: { type: string; value: string }[]): string {
  const prefix: Record<string, string> = { dns: 'DNS', ip: 'IP', email: 'email', uri: 'URI' };
  return sans.map((s) => (s.type in prefix ? `${prefix[s.type]}:${s.value}` : s.value)).join(', ');
}

/** The issuer's CN as written in the certificate, else its whole name. */
export function issuerName(c: Pick<CertInfo, 'issuer'>): string {
  const cn = /(?:^|, )CN=((?:[^,\\]|\\.)*)/.exec(c.issuer)?.[1];
  return cn || c.issuer || '(empty issuer)';
}

function folderCertificates(file: string, ws: Workspace): Located[] {
  const dir = path.dirname(file);
  const out: Located[] = [];
  const names = ws
    .list(dir)
    .filter((n) => PEM_EXT.test(n) && path.join(dir, n) !== path.resolve(file))
    .sort()
    .slice(0, MAX_FOLDER_FILES);
  for (const n of names) {
    for (const d of loadPemFile(path.join(dir, n), ws).contents?.items ?? [])
      if (d.kind === 'certificate') out.push({ cert: d.cert, where: n });
  }
  return out;
}

function verdict(diagnostics: Diagnostic[], contents: FileContents): Verdict {
  const problems = [...diagnostics]
    .sort((a, b) => (a.severity ?? 1) - (b.severity ?? 1) || a.range.start.line - b.range.start.line)
    .map((d) => ({
      severity: SEVERITY[d.severity ?? 1] || 'error',
      code: String(d.code ?? ''),
      line: d.range.start.line,
      message: typeof d.message === 'string' ? d.message : String(d.message),
    }));
  const worst = problems[0]?.severity;
  const level: Verdict['level'] = worst === 'error' ? 'error' : worst === 'warning' ? 'warning' : worst ? 'information' : 'ok';
  const certs = contents.items.filter((d) => d.kind === 'certificate').length;
  const others = contents.items.length - certs;
  const holds =
    contents.items.length === 0
      ? 'no PEM block'
      : [certs && `${certs} certificate${certs === 1 ? '' : 's'}`, others && `${others} other block${others === 1 ? '' : 's'}`]
          .filter(Boolean)
          .join(' and ');
  return { level, summary: worst === 'error' || worst === 'warning' ? problems[0].message : `No problems found: ${holds}.`, problems };
}

function displayName(file: string, ws: Workspace): string {
  const abs = path.resolve(file);
  for (const r of ws.roots) {
    const rel = path.relative(path.resolve(r), abs);
    if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
  }
  return path.basename(abs);
}

/**
 * One CodeLens above each certificate: "expires in 412 days · issued by Milvus TLS CA". Reads only the file's own
 * blocks (the model is already decoded), so a 1,000-certificate bundle costs no file read.
 */
export function certificateLenses(uri: string, contents: FileContents, now: Date, command: string): CodeLens[] {
  return contents.items.flatMap((d) => {
    if (d.kind !== 'certificate') return [];
    const c = d.cert;
    const when = c.notBefore.getTime() > now.getTime() ? `becomes valid ${relativeTime(now, c.notBefore)}` : expiryPhrase(c.notAfter, now);
    const by = c.selfSigned ? 'self-signed' : `issued by ${issuerName(c)}`;
    return [
      { range: d.block.beginRange, command: { title: `${when} · ${by}`, command, arguments: [{ uri, line: d.block.range.start.line }] } },
    ];
  });
}
