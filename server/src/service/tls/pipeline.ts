/**
 * The shared TLS pipeline for a group of slots: load → classify → key matches
 * certificate → chain to the CA slot → names → usages → dates. Resolving a
 * value to a host file is the target's deploy context (it knows compose mounts
 * or Kubernetes volumes); everything after is the same for every system, and
 * the group's words say it in the terms of the system's users.
 */
import * as path from 'node:path';
import type { Diagnostic, Range } from 'vscode-languageserver-types';
import { diag, Severity } from '../types';
import type { DiagnosticCodeInfo } from '../targets/target';
import { loadPemFile, certificates, privateKeys, holds } from '../pem/files';
import type { CertInfo } from '../pem/model';
import { issues } from './chain';
import { judgeDates, wholeDays } from './dates';
import { coversName, lacksSan } from './names';
import { allowsServerAuth, isCa } from './usages';
import type { GroupWords, LoadedSlot, LocatedSlot, PipelineContext, SlotGroup, SlotRole } from './slots';

/** What a quick fix needs: a generated set where a file is missing. */
export type PipelineFix = { kind: 'generate-certs'; folder: string };

function d(range: Range, sev: 1 | 2 | 3 | 4, code: string, message: string, fix?: PipelineFix): Diagnostic {
  return diag(range, sev, code, message, fix ? { fix } : undefined);
}

function isKey(role: SlotRole): boolean {
  return role === 'server-key' || role === 'client-key';
}

const READ_CODES: Record<string, string> = {
  missing: 'tls-file-missing',
  directory: 'tls-file-directory',
  unreadable: 'tls-file-unreadable',
  'too-large': 'tls-file-too-large',
  'outside-workspace': 'tls-file-outside-workspace',
  'not-a-file': 'tls-file-unreadable',
};

/** Load and classify one slot's file; undefined (with a finding, or silently when untrusted) when it cannot take part. */
export function loadSlot(slot: LocatedSlot, words: GroupWords, ctx: PipelineContext, out: Diagnostic[]): LoadedSlot | undefined {
  const { where, hostPath, key, range: at } = slot;
  const kind = slot.role;
  const loaded = loadPemFile(hostPath, ctx.ws);
  if (!loaded.read.ok) {
    if (loaded.read.reason === 'untrusted') return undefined;
    const code = READ_CODES[loaded.read.reason] ?? 'tls-file-unreadable';
    const sev = loaded.read.reason === 'outside-workspace' ? Severity.Information : Severity.Error;
    const tail =
      loaded.read.reason === 'missing'
        ? slot.dockerCreatesDirectory
          ? ` Docker would create an empty directory in its place and ${words.product} would fail with "is a directory". Create the file, or run "TLS: Generate TLS certs".`
          : ' Create the file, or run "TLS: Generate TLS certs".'
        : loaded.read.reason === 'directory'
          ? ' Point the key at a file inside it.'
          : '';
    out.push(
      d(
        at,
        sev,
        code,
        `${key}: ${where}: ${loaded.read.message.replace(hostPath + ' ', '')}.${tail}`,
        loaded.read.reason === 'missing' ? { kind: 'generate-certs', folder: path.dirname(hostPath) } : undefined,
      ),
    );
    return undefined;
  }
  const c = loaded.contents!;
  if (
    loaded.read.size === 0 ||
    (c.items.length === 0 && !c.framing.binary && Buffer.from(loaded.read.bytes).toString('utf8').trim() === '')
  ) {
    out.push(
      d(
        at,
        Severity.Error,
        'tls-file-empty',
        `${key}: ${where} is empty. Put the PEM ${isKey(kind) ? 'private key' : 'certificate'} in it, or run "TLS: Generate TLS certs".`,
      ),
    );
    return undefined;
  }
  if (c.der) {
    out.push(
      d(
        at,
        Severity.Error,
        'tls-file-der',
        `${key}: ${where} is DER (binary), but ${words.product} reads PEM only. Convert it: openssl ${isKey(kind) ? 'pkey' : 'x509'} -inform DER -in FILE -out FILE.pem.`,
      ),
    );
    return undefined;
  }
  const certs = certificates(c.items);
  const keys = privateKeys(c.items);
  const wantCert = !isKey(kind);
  if ((wantCert && certs.length === 0) || (!wantCert && keys.length === 0)) {
    const swapped =
      wantCert && keys.length > 0
        ? ' It looks like the key and certificate paths are swapped.'
        : !wantCert && certs.length > 0
          ? ' It looks like the certificate and key paths are swapped.'
          : '';
    out.push(
      d(
        at,
        Severity.Error,
        'tls-file-wrong-kind',
        `${key} needs ${wantCert ? 'a PEM certificate' : 'a PEM private key'}, but ${where} holds ${holds(c)}.${swapped}`,
      ),
    );
    return undefined;
  }
  if (!wantCert && keys[0].key.encrypted) {
    out.push(
      d(
        at,
        Severity.Error,
        'tls-key-encrypted',
        `${key}: ${where} is an encrypted private key (${keys[0].key.format}). ${words.product} (Go) cannot load it and fails with "tls: failed to parse private key". Decrypt it: openssl pkey -in FILE -out FILE.unencrypted (and keep it mode 0600).`,
      ),
    );
    return undefined;
  }
  return { ...slot, items: c.items };
}

/** The checks across a group's slots: key pair, chain, names, usages, dates. */
export function checkGroup(group: SlotGroup, slots: Map<SlotRole, LoadedSlot>, ctx: PipelineContext, out: Diagnostic[]): void {
  const certSlot = slots.get('server-cert');
  const keySlot = slots.get('server-key');
  const caSlot = slots.get('ca');
  const leaf = certSlot ? certificates(certSlot.items)[0]?.cert : undefined;
  if (leaf && certSlot) checkServerCert(leaf, certSlot, group.words, ctx, out);
  if (leaf && keySlot && certSlot) {
    const key = privateKeys(keySlot.items)[0]?.key;
    if (key?.publicKey && key.publicKey.spkiSha256 !== leaf.publicKey.spkiSha256) {
      out.push(
        d(
          keySlot.range,
          Severity.Error,
          'tls-key-mismatch',
          `The private key ${keySlot.hostPath} does not belong to the certificate ${certSlot.hostPath} (${leaf.subject}). ${group.words.product} fails with "tls: private key does not match public key". Point ${keySlot.key} at the key the certificate was issued for.`,
        ),
      );
    }
  }
  if (caSlot) {
    const cas = certificates(caSlot.items).map((x) => x.cert);
    // A self-signed server certificate copied as its own CA file is a valid root for Go, BoringSSL and OpenSSL.
    if (cas.every((c) => !isCa(c)) && !(leaf?.selfSigned && cas.some((c) => c.sha256 === leaf.sha256))) {
      out.push(
        d(
          caSlot.range,
          Severity.Warning,
          'tls-ca-not-ca',
          `${caSlot.hostPath} holds no CA certificate (${cas[0].subject} lacks basicConstraints CA:TRUE); Go refuses to verify chains through it. Use the CA that issued the certificates.`,
        ),
      );
    }
    if (leaf && certSlot && !cas.some((ca) => issues(ca, leaf))) {
      out.push(
        d(
          certSlot.range,
          Severity.Error,
          'tls-cert-not-from-ca',
          `The server certificate ${leaf.subject} (issuer ${leaf.issuer}) is not signed by any certificate in ${caSlot.key} ${caSlot.hostPath}: ${group.words.caRejects}. Issue the server certificate from that CA, or fix ${caSlot.key}.`,
        ),
      );
    }
  }
  const name = group.dialName;
  if (name && leaf && certSlot && leaf.hasSanExtension && !coversName(leaf, name.value)) {
    out.push(
      d(
        name.range ?? certSlot.range,
        Severity.Error,
        'tls-name-not-in-san',
        `${name.setting} is ${name.value}, but the certificate's SANs (${leaf.sans.map((s) => s.value).join(', ') || 'none'}) do not cover it; clients fail with "x509: certificate is valid for …, not ${name.value}". Set ${name.setting} to one of the SANs or reissue the certificate.`,
      ),
    );
  }
}

function checkServerCert(leaf: CertInfo, slot: LoadedSlot, words: GroupWords, ctx: PipelineContext, out: Diagnostic[]): void {
  const r = slot.range;
  if (lacksSan(leaf)) {
    out.push(
      d(
        r,
        Severity.Error,
        'tls-cert-no-san',
        `${slot.hostPath} (${leaf.subject}) has no Subject Alternative Name. ${words.product}'s Go clients and servers reject it: "x509: certificate relies on legacy Common Name field, use SANs instead". Reissue it with the DNS names and IPs clients dial as SANs ("TLS: Generate TLS certs" does).`,
        { kind: 'generate-certs', folder: path.dirname(slot.hostPath) },
      ),
    );
  }
  if (!allowsServerAuth(leaf)) {
    out.push(
      d(
        r,
        Severity.Error,
        'tls-cert-eku',
        `${slot.hostPath} has extended key usage ${leaf.extKeyUsage!.join(', ')} without serverAuth; clients reject it as a server certificate ("x509: certificate specifies an incompatible key usage"). Reissue it with EKU serverAuth.`,
      ),
    );
  }
  if (isCa(leaf)) {
    out.push(
      d(
        r,
        Severity.Warning,
        'tls-cert-is-ca',
        `${slot.hostPath} is a CA certificate (${leaf.subject}), not a server certificate. ${slot.key} should be the leaf certificate issued for the server names.`,
      ),
    );
  }
  const now = ctx.now.getTime();
  const dates = judgeDates(leaf, ctx.now, ctx.settings.expiryWarningDays);
  if (dates?.code === 'tls-cert-expired') {
    out.push(
      d(
        r,
        Severity.Error,
        dates.code,
        `${slot.hostPath} expired on ${leaf.notAfter.toISOString().slice(0, 10)} (${wholeDays(now - leaf.notAfter.getTime())} days ago); every handshake fails with "x509: certificate has expired". Renew it.`,
      ),
    );
  } else if (dates?.code === 'tls-cert-not-yet-valid') {
    out.push(
      d(
        r,
        Severity.Error,
        dates.code,
        `${slot.hostPath} is not valid before ${leaf.notBefore.toISOString()}; handshakes fail until then. Check the clock of the machine that issued it.`,
      ),
    );
  } else if (dates?.code === 'tls-cert-expiring') {
    out.push(
      d(
        r,
        Severity.Warning,
        dates.code,
        `${slot.hostPath} expires on ${leaf.notAfter.toISOString().slice(0, 10)}, in ${wholeDays(leaf.notAfter.getTime() - now)} days. Renew it before then.`,
      ),
    );
  }
}

export const TLS_PIPELINE_CODES: DiagnosticCodeInfo[] = [
  {
    code: 'tls-file-missing',
    severity: 'error',
    summary: 'The file a setting names does not exist (as the process that loads it sees it)',
  },
  { code: 'tls-file-directory', severity: 'error', summary: 'The file a setting names is a directory' },
  { code: 'tls-file-empty', severity: 'error', summary: 'The file a setting names is empty' },
  { code: 'tls-file-unreadable', severity: 'error', summary: 'The file a setting names cannot be read' },
  { code: 'tls-file-too-large', severity: 'error', summary: 'The file a setting names is over the size limit' },
  { code: 'tls-file-outside-workspace', severity: 'information', summary: 'Not read: outside the workspace folders' },
  { code: 'tls-file-der', severity: 'error', summary: 'DER file where PEM is needed' },
  { code: 'tls-file-wrong-kind', severity: 'error', summary: 'A key where a certificate is expected, a CSR, etc.' },
  { code: 'tls-key-mismatch', severity: 'error', summary: 'Private key does not match the certificate' },
  { code: 'tls-ca-not-ca', severity: 'warning', summary: 'The CA setting holds no CA certificate' },
  { code: 'tls-cert-not-from-ca', severity: 'error', summary: 'Server certificate is not issued by the configured CA' },
  { code: 'tls-cert-eku', severity: 'error', summary: 'Server certificate EKU lacks serverAuth' },
  { code: 'tls-cert-is-ca', severity: 'warning', summary: 'The server certificate setting holds a CA certificate' },
  {
    code: 'tls-name-not-in-san',
    severity: 'error',
    summary: 'The name clients dial (e.g. internaltls.sni) is not in the certificate SANs',
  },
];
