/**
 * Every rule about the TLS keys of milvus.yaml: values, required keys, key
 * names, and the chain "key → compose mount → host file → certificate facts".
 * Findings land on the key or value they are about; `data.fix` carries what the
 * quick fixes need.
 */
import * as path from 'node:path';
import type { Diagnostic, Range } from 'vscode-languageserver-types';
import { diag, Severity, type Settings } from '../types';
import type { Workspace } from '../workspace';
import { extractTls, entry, type Entry, type MilvusTlsModel } from './extract';
import { KEYS, keysOf, findKey, homesOf, didYouMean, FOREIGN_TLS_KEYS, type SectionId, type FileKind } from './schema';
import { deployContext, resolvePath, type DeployContext } from './resolve';
import { loadPemFile, certificates, privateKeys, holds } from './files';
import { hostToContainer } from '../compose';
import type { CertInfo, Decoded } from '../pem/model';

export interface MilvusContext {
  ws: Workspace;
  settings: Settings;
  now: Date;
  processEnv: Record<string, string | undefined>;
}

/** What a quick fix needs, attached to the diagnostic. */
export type FixData =
  | { kind: 'rename-key'; to: string }
  | { kind: 'set-value'; values: string[] }
  | { kind: 'add-key'; section: SectionId; key: string; value: string; afterLine: number; indent: number }
  | { kind: 'use-container-path'; containerPath: string }
  | { kind: 'add-volume'; composePath: string; service: string; entry: string; afterLine?: number; entryLine?: number }
  | { kind: 'generate-certs'; folder: string };

const SECTION_OF_MODEL: Record<SectionId, string> = { tls: 'tls', internaltls: 'internaltls', 'common.security': 'common.security' };

function d(range: Range, sev: 1 | 2 | 3 | 4, code: string, message: string, fix?: FixData): Diagnostic {
  return diag(range, sev, code, message, fix ? { fix } : undefined);
}

function modeOf(model: MilvusTlsModel): { mode: number | undefined; e?: Entry } {
  const e = entry(model, 'common.security', 'tlsMode');
  if (!e) return { mode: 0 };
  const v = typeof e.value === 'string' && /^\s*[0-2]\s*$/.test(e.value) ? Number(e.value) : e.value;
  return { mode: v === 0 || v === 1 || v === 2 ? v : undefined, e };
}

function internalEnabled(model: MilvusTlsModel): boolean {
  const e = entry(model, 'common.security', 'internaltlsEnabled');
  return e?.value === true || (typeof e?.value === 'string' && e.value.toLowerCase() === 'true');
}

export function validateMilvus(text: string, file: string, ctx: MilvusContext): Diagnostic[] {
  const model = extractTls(text);
  const out: Diagnostic[] = [];
  for (const e of model.syntaxErrors) out.push(d(e.range, Severity.Error, 'milvus-yaml-syntax', `YAML error in a TLS block: ${e.message}. Milvus refuses to start on a config it cannot parse; fix the indentation or quoting here.`));
  checkValues(model, out);
  checkKeyNames(model, out);
  if (model.laterDocumentLine !== undefined && /^(tls|internaltls|common)\s*:/m.test(text.slice(model.lines.starts[model.laterDocumentLine]))) {
    const line = model.laterDocumentLine;
    out.push(d({ start: { line, character: 0 }, end: { line, character: 3 } }, Severity.Warning, 'milvus-later-document', 'Milvus reads only the first YAML document of its config; the TLS settings after this `---` are ignored. Move them into the first document.'));
  }
  const { mode } = modeOf(model);
  const internal = internalEnabled(model);
  if (mode === 0 && !internal) return out;
  const deploy = deployContext(file, ctx.ws, ctx.processEnv);
  if (mode === 1 || mode === 2) checkSection(model, 'tls', mode, deploy, ctx, out);
  if (internal) checkSection(model, 'internaltls', 2, deploy, ctx, out);
  return out;
}

function checkValues(model: MilvusTlsModel, out: Diagnostic[]): void {
  const m = entry(model, 'common.security', 'tlsMode');
  if (m) {
    const { mode } = modeOf(model);
    if (mode === undefined) {
      const shown = m.valueText === '' ? 'empty' : m.valueText;
      out.push(d(m.valueRange.start.line === m.valueRange.end.line && m.valueText === '' ? m.keyRange : m.valueRange, Severity.Error, 'milvus-tls-mode-invalid', `common.security.tlsMode is ${shown}; it must be 0 (no TLS), 1 (one-way TLS) or 2 (mutual TLS). Milvus fails to start with any other value.`, { kind: 'set-value', values: ['0', '1', '2'] }));
    } else if (m.quoted) {
      out.push(d(m.valueRange, Severity.Warning, 'milvus-tls-mode-quoted', `tlsMode is written as a string (${m.valueText}); write the number ${mode} without quotes.`, { kind: 'set-value', values: [String(mode)] }));
    }
  }
  const ie = entry(model, 'common.security', 'internaltlsEnabled');
  if (ie && typeof ie.value !== 'boolean' && !(typeof ie.value === 'string' && /^(true|false)$/i.test(ie.value))) {
    out.push(d(ie.valueText === '' ? ie.keyRange : ie.valueRange, Severity.Error, 'milvus-internaltls-enabled-invalid', `common.security.internaltlsEnabled must be true or false, not ${ie.valueText || 'empty'}.`, { kind: 'set-value', values: ['true', 'false'] }));
  }
}

function checkKeyNames(model: MilvusTlsModel, out: Diagnostic[]): void {
  for (const e of model.entries) {
    const section = e.section as SectionId | 'common' | 'security' | '';
    if (section === 'tls' || section === 'internaltls') {
      if (findKey(section, e.key)) continue;
      misplacedOrUnknown(e, section, keysOf(section).map((k) => k.key), out);
    } else if (section === 'common.security') {
      if (findKey('common.security', e.key)) continue;
      const homes = homesOf(e.key);
      if (homes.length) out.push(d(e.keyRange, Severity.Error, 'milvus-key-misplaced', `${e.key} does not belong in common.security; it belongs in ${homes.map((h) => '`' + h + '`').join(' or ')}. Milvus ignores it here.`));
      else {
        const s = didYouMean(e.key, keysOf('common.security').map((k) => k.key));
        if (s) out.push(d(e.keyRange, Severity.Warning, 'milvus-key-unknown', `Unknown key common.security.${e.key}; did you mean ${s}? Milvus ignores unknown keys, so this setting has no effect.`, { kind: 'rename-key', to: s }));
      }
    } else {
      // Under `common`, at the top level, or in a top-level `security:` block.
      const homes = homesOf(e.key);
      const where = section === '' ? 'at the top level' : section === 'security' ? 'under a top-level `security:`' : 'directly under `common`';
      if (homes.length) out.push(d(e.keyRange, Severity.Error, 'milvus-key-misplaced', `${e.key} ${where} is ignored by Milvus; it belongs in ${homes.map((h) => '`' + h + '`').join(' or ')}.`));
    }
  }
}

function misplacedOrUnknown(e: Entry, section: 'tls' | 'internaltls', known: string[], out: Diagnostic[]): void {
  const homes = homesOf(e.key);
  if (homes.length) {
    out.push(d(e.keyRange, Severity.Error, 'milvus-key-misplaced', `${e.key} does not belong in \`${section}\`; it belongs in ${homes.map((h) => '`' + h + '`').join(' or ')}. Milvus ignores it here.`));
    return;
  }
  if (FOREIGN_TLS_KEYS[e.key]) {
    out.push(d(e.keyRange, Severity.Error, 'milvus-key-misplaced', `${e.key} is not a Milvus ${section} key: it is ${FOREIGN_TLS_KEYS[e.key]}. The ${section} block takes ${known.join(', ')}.`));
    return;
  }
  const s = didYouMean(e.key, known);
  out.push(
    d(
      e.keyRange,
      Severity.Warning,
      'milvus-key-unknown',
      s ? `Unknown key ${section}.${e.key}; did you mean ${s}? Milvus ignores unknown keys, so this setting has no effect.` : `Unknown key ${section}.${e.key}; the ${section} block takes ${known.join(', ')}. Milvus ignores it.`,
      s ? { kind: 'rename-key', to: s } : undefined,
    ),
  );
}

interface Slot {
  e: Entry;
  kind: FileKind;
  hostPath: string;
  items: Decoded[];
}

function checkSection(model: MilvusTlsModel, section: 'tls' | 'internaltls', mode: 1 | 2, deploy: DeployContext, ctx: MilvusContext, out: Diagnostic[]): void {
  const required = section === 'tls' ? (mode === 2 ? ['serverPemPath', 'serverKeyPath', 'caPemPath'] : ['serverPemPath', 'serverKeyPath']) : ['serverPemPath', 'serverKeyPath', 'caPemPath'];
  const why = section === 'tls' ? `common.security.tlsMode is ${mode}` : 'common.security.internaltlsEnabled is true';
  const sec = model.sections.find((s) => s.name === section);
  const slots = new Map<string, Slot>();
  for (const key of required) {
    const e = entry(model, SECTION_OF_MODEL[section], key);
    if (!e || e.value === null || e.valueText.trim() === '') {
      const anchor = e?.keyRange ?? sec?.keyRange ?? modeOf(model).e?.keyRange ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      const spec = findKey(section, key)!;
      const guess = guessPath(model, section, key, spec.default);
      const fix: FixData | undefined = !e && sec ? { kind: 'add-key', section, key, value: guess, afterLine: sec.lastLine, indent: sec.childIndent ?? 2 } : undefined;
      out.push(d(anchor, Severity.Error, 'milvus-tls-key-required', `${section}.${key} is required because ${why}${e ? ' but it is empty' : ''}. Set it to the container path of the ${spec.file === 'privateKey' ? 'private key' : spec.file === 'caBundle' ? 'CA certificate' : 'server certificate'} (for example ${guess}).`, fix));
      continue;
    }
    const spec = findKey(section, key)!;
    const slot = checkPath(e, spec.file!, deploy, ctx, out);
    if (slot) slots.set(key, slot);
  }
  crossCheck(section, mode, slots, model, ctx, out);
}

/** A sensible value for a missing key: beside the other configured files, else the Milvus default. */
function guessPath(model: MilvusTlsModel, section: string, key: string, fallback: string): string {
  const sibling = model.entries.find((x) => x.section === section && typeof x.value === 'string' && /PemPath|KeyPath/.test(x.key) && x.value);
  if (!sibling) return fallback;
  const dir = path.posix.dirname(String(sibling.value));
  return path.posix.join(dir, key === 'caPemPath' ? 'ca.pem' : key === 'serverKeyPath' ? 'server.key' : 'server.pem');
}

const READ_CODES: Record<string, string> = {
  missing: 'milvus-file-missing',
  directory: 'milvus-file-directory',
  unreadable: 'milvus-file-unreadable',
  'too-large': 'milvus-file-too-large',
  'outside-workspace': 'milvus-file-outside-workspace',
  'not-a-file': 'milvus-file-unreadable',
};

function checkPath(e: Entry, kind: FileKind, deploy: DeployContext, ctx: MilvusContext, out: Diagnostic[]): Slot | undefined {
  if (typeof e.value !== 'string') {
    out.push(d(e.valueRange, Severity.Error, 'milvus-path-invalid', `${e.key} must be a file path, not ${e.nested ? 'a nested block' : JSON.stringify(e.value)}.`));
    return undefined;
  }
  const value = e.value.trim();
  const r = resolvePath(value, deploy);
  const composeName = deploy.composePath ? path.basename(deploy.composePath) : '';
  if (!r.ok) {
    if (r.reason === 'named-volume') {
      out.push(d(e.valueRange, Severity.Information, 'milvus-path-in-named-volume', `${r.containerPath} lies in the named volume ${r.mount?.source ?? ''} of service ${deploy.service?.name}; its contents cannot be checked from here. Bind-mount a host folder (for example ./tls:/milvus/tls:ro) to have it checked.`));
      return undefined;
    }
    // Maybe the user wrote a host path: suggest the container path that a mount gives it.
    const hostGuess = path.resolve(path.dirname(deploy.composePath ?? deploy.hostBase), value);
    const asContainer = deploy.service ? hostToContainer(hostGuess, deploy.service.volumes) : undefined;
    if (asContainer && ctx.ws.kind(hostGuess) === 'file') {
      out.push(d(e.valueRange, Severity.Error, 'milvus-path-host-style', `${value} is a path on the host; Milvus runs in the container of service ${deploy.service?.name} and sees that file at ${asContainer}. Use the container path.`, { kind: 'use-container-path', containerPath: asContainer }));
      return undefined;
    }
    const dir = path.posix.dirname(r.containerPath);
    const hostDir = deploy.composePath ? './' + (dir.startsWith('/milvus/') ? dir.slice('/milvus/'.length) : path.posix.basename(dir)) : './tls';
    const entryText = `${hostDir}:${dir}:ro`;
    out.push(
      d(
        e.valueRange,
        Severity.Error,
        'milvus-path-not-mounted',
        `Milvus would open ${r.containerPath} in the container, but no volume of service ${deploy.service?.name} in ${composeName} covers it, so the file does not exist there and Milvus fails to start. Mount the folder holding it, e.g. \`- ${entryText}\`.`,
        deploy.composePath && deploy.service ? { kind: 'add-volume', composePath: deploy.composePath, service: deploy.service.name, entry: entryText, afterLine: lastVolumeLine(deploy), entryLine: deploy.service.volumes.at(-1)?.range.start.line } : undefined,
      ),
    );
    return undefined;
  }
  const where = r.containerPath ? `${r.containerPath} → host ${r.hostPath}` : r.hostPath;
  const loaded = loadPemFile(r.hostPath, ctx.ws);
  if (!loaded.read.ok) {
    if (loaded.read.reason === 'untrusted') return undefined;
    const code = READ_CODES[loaded.read.reason] ?? 'milvus-file-unreadable';
    const sev = loaded.read.reason === 'outside-workspace' ? Severity.Information : Severity.Error;
    const tail =
      loaded.read.reason === 'missing'
        ? r.containerPath && r.mount?.syntax === 'short'
          ? ' Docker would create an empty directory in its place and Milvus would fail with "is a directory". Create the file, or run "TLS: Generate TLS certs".'
          : ' Create the file, or run "TLS: Generate TLS certs".'
        : loaded.read.reason === 'directory'
          ? ' Point the key at a file inside it.'
          : '';
    out.push(d(e.valueRange, sev, code, `${e.key}: ${where}: ${loaded.read.message.replace(r.hostPath + ' ', '')}.${tail}`, loaded.read.reason === 'missing' ? { kind: 'generate-certs', folder: path.dirname(r.hostPath) } : undefined));
    return undefined;
  }
  const c = loaded.contents!;
  if (loaded.read.size === 0 || (c.items.length === 0 && !c.framing.binary && Buffer.from(loaded.read.bytes).toString('utf8').trim() === '')) {
    out.push(d(e.valueRange, Severity.Error, 'milvus-file-empty', `${e.key}: ${where} is empty. Put the PEM ${kind === 'privateKey' ? 'private key' : 'certificate'} in it, or run "TLS: Generate TLS certs".`));
    return undefined;
  }
  if (c.der) {
    out.push(d(e.valueRange, Severity.Error, 'milvus-file-der', `${e.key}: ${where} is DER (binary), but Milvus reads PEM only. Convert it: openssl ${kind === 'privateKey' ? 'pkey' : 'x509'} -inform DER -in FILE -out FILE.pem.`));
    return undefined;
  }
  const certs = certificates(c.items);
  const keys = privateKeys(c.items);
  const wantCert = kind !== 'privateKey';
  if ((wantCert && certs.length === 0) || (!wantCert && keys.length === 0)) {
    const swapped = wantCert && keys.length > 0 ? ' It looks like the key and certificate paths are swapped.' : !wantCert && certs.length > 0 ? ' It looks like serverPemPath and serverKeyPath are swapped.' : '';
    out.push(d(e.valueRange, Severity.Error, 'milvus-file-wrong-kind', `${e.key} needs ${wantCert ? 'a PEM certificate' : 'a PEM private key'}, but ${where} holds ${holds(c)}.${swapped}`));
    return undefined;
  }
  if (!wantCert && keys[0].key.encrypted) {
    out.push(d(e.valueRange, Severity.Error, 'milvus-key-encrypted', `${e.key}: ${where} is an encrypted private key (${keys[0].key.format}). Milvus (Go) cannot load it and fails with "tls: failed to parse private key". Decrypt it: openssl pkey -in FILE -out FILE.unencrypted (and keep it mode 0600).`));
    return undefined;
  }
  return { e, kind, hostPath: r.hostPath, items: c.items };
}

function lastVolumeLine(deploy: DeployContext): number | undefined {
  const vols = deploy.service?.volumes ?? [];
  if (vols.length === 0) return undefined;
  return vols[vols.length - 1].range.end.line;
}

function days(ms: number): number {
  return Math.round(ms / 86400000);
}

function crossCheck(section: 'tls' | 'internaltls', mode: 1 | 2, slots: Map<string, Slot>, model: MilvusTlsModel, ctx: MilvusContext, out: Diagnostic[]): void {
  const certSlot = slots.get('serverPemPath');
  const keySlot = slots.get('serverKeyPath');
  const caSlot = slots.get('caPemPath');
  const leaf = certSlot ? certificates(certSlot.items)[0]?.cert : undefined;
  if (leaf && certSlot) checkServerCert(leaf, certSlot, ctx, out);
  if (leaf && keySlot) {
    const key = privateKeys(keySlot.items)[0]?.key;
    if (key?.publicKey && key.publicKey.spkiSha256 !== leaf.publicKey.spkiSha256) {
      out.push(d(keySlot.e.valueRange, Severity.Error, 'milvus-key-mismatch', `The private key ${keySlot.hostPath} does not belong to the certificate ${certSlot!.hostPath} (${leaf.subject}). Milvus fails with "tls: private key does not match public key". Point serverKeyPath at the key the certificate was issued for.`));
    }
  }
  if (caSlot) {
    const cas = certificates(caSlot.items).map((x) => x.cert);
    const notCa = cas.filter((c) => !c.basicConstraints?.ca);
    if (notCa.length === cas.length) {
      out.push(d(caSlot.e.valueRange, Severity.Warning, 'milvus-ca-not-ca', `${caSlot.hostPath} holds no CA certificate (${cas[0].subject} lacks basicConstraints CA:TRUE); Go refuses to verify chains through it. Use the CA that issued the certificates.`));
    }
    if (leaf && certSlot && !cas.some((ca) => issuedBy(leaf, ca))) {
      const what = section === 'tls' ? 'clients given this ca.pem (pymilvus ca_pem_path, curl --cacert) reject the server with "certificate signed by unknown authority"' : 'Milvus components verify each other with this CA and fail the internal handshake';
      out.push(d(certSlot.e.valueRange, Severity.Error, 'milvus-cert-not-from-ca', `The server certificate ${leaf.subject} (issuer ${leaf.issuer}) is not signed by any certificate in caPemPath ${caSlot.hostPath}: ${what}. Issue the server certificate from that CA, or fix caPemPath.`));
    }
  }
  if (section === 'internaltls' && leaf && certSlot) {
    const sni = entry(model, 'internaltls', 'sni');
    const name = typeof sni?.value === 'string' && sni.value ? sni.value : 'localhost';
    if (leaf.hasSanExtension && !coversName(leaf, name)) {
      out.push(d(sni?.valueRange ?? certSlot.e.valueRange, Severity.Error, 'milvus-sni-not-in-san', `internaltls.sni is ${name}, but the internal certificate's SANs (${leaf.sans.map((s) => s.value).join(', ') || 'none'}) do not cover it; components fail with "x509: certificate is valid for …, not ${name}". Set sni to one of the SANs or reissue the certificate.`));
    }
  }
  void mode;
}

/** Signature checks cost ~0.3 ms; the answer for a pair of fingerprints never changes. */
const issuedMemo = new Map<string, boolean>();

function issuedBy(leaf: CertInfo, ca: CertInfo): boolean {
  const key = leaf.sha256 + ca.sha256;
  let v = issuedMemo.get(key);
  if (v === undefined) {
    try {
      v = leaf.x509.checkIssued(ca.x509) && leaf.x509.verify(ca.x509.publicKey);
    } catch {
      v = false;
    }
    if (issuedMemo.size > 10000) issuedMemo.clear();
    issuedMemo.set(key, v);
  }
  return v;
}

function coversName(cert: CertInfo, name: string): boolean {
  try {
    return /^[\d.]+$|:/.test(name) ? cert.x509.checkIP(name) !== undefined : cert.x509.checkHost(name, { subject: 'never' }) !== undefined;
  } catch {
    return false;
  }
}

function checkServerCert(leaf: CertInfo, slot: Slot, ctx: MilvusContext, out: Diagnostic[]): void {
  const r = slot.e.valueRange;
  if (!leaf.hasSanExtension || leaf.sans.length === 0) {
    out.push(d(r, Severity.Error, 'milvus-cert-no-san', `${slot.hostPath} (${leaf.subject}) has no Subject Alternative Name. Milvus's Go clients and servers reject it: "x509: certificate relies on legacy Common Name field, use SANs instead". Reissue it with the DNS names and IPs clients dial as SANs ("TLS: Generate TLS certs" does).`, { kind: 'generate-certs', folder: path.dirname(slot.hostPath) }));
  }
  if (leaf.extKeyUsage && leaf.extKeyUsage.length > 0 && !leaf.extKeyUsage.includes('serverAuth') && !leaf.extKeyUsage.includes('anyExtendedKeyUsage')) {
    out.push(d(r, Severity.Error, 'milvus-cert-eku', `${slot.hostPath} has extended key usage ${leaf.extKeyUsage.join(', ')} without serverAuth; clients reject it as a server certificate ("x509: certificate specifies an incompatible key usage"). Reissue it with EKU serverAuth.`));
  }
  if (leaf.basicConstraints?.ca) {
    out.push(d(r, Severity.Warning, 'milvus-cert-is-ca', `${slot.hostPath} is a CA certificate (${leaf.subject}), not a server certificate. serverPemPath should be the leaf certificate issued for the server names.`));
  }
  const now = ctx.now.getTime();
  if (leaf.notAfter.getTime() < now) {
    out.push(d(r, Severity.Error, 'milvus-cert-expired', `${slot.hostPath} expired on ${leaf.notAfter.toISOString().slice(0, 10)} (${days(now - leaf.notAfter.getTime())} days ago); every handshake fails with "x509: certificate has expired". Renew it.`));
  } else if (leaf.notBefore.getTime() > now) {
    out.push(d(r, Severity.Error, 'milvus-cert-not-yet-valid', `${slot.hostPath} is not valid before ${leaf.notBefore.toISOString()}; handshakes fail until then. Check the clock of the machine that issued it.`));
  } else if (leaf.notAfter.getTime() - now < ctx.settings.expiryWarningDays * 86400000) {
    out.push(d(r, Severity.Warning, 'milvus-cert-expiring', `${slot.hostPath} expires on ${leaf.notAfter.toISOString().slice(0, 10)}, in ${days(leaf.notAfter.getTime() - now)} days. Renew it before then.`));
  }
}

/** Table for the README. */
export const MILVUS_DIAGNOSTIC_CODES: { code: string; severity: string; summary: string }[] = [
  { code: 'milvus-yaml-syntax', severity: 'error', summary: 'YAML syntax error inside a TLS block' },
  { code: 'milvus-later-document', severity: 'warning', summary: 'TLS settings in a second YAML document, which Milvus ignores' },
  { code: 'milvus-tls-mode-invalid', severity: 'error', summary: 'common.security.tlsMode is not 0, 1 or 2' },
  { code: 'milvus-tls-mode-quoted', severity: 'warning', summary: 'tlsMode written as a quoted string' },
  { code: 'milvus-internaltls-enabled-invalid', severity: 'error', summary: 'internaltlsEnabled is not a boolean' },
  { code: 'milvus-key-unknown', severity: 'warning', summary: 'Unknown key in a TLS block, with "did you mean"' },
  { code: 'milvus-key-misplaced', severity: 'error', summary: 'A TLS key in the wrong section (e.g. tlsMode under tls:)' },
  { code: 'milvus-tls-key-required', severity: 'error', summary: 'A path the mode needs is missing or empty' },
  { code: 'milvus-path-invalid', severity: 'error', summary: 'A path key holds something other than a path' },
  { code: 'milvus-path-not-mounted', severity: 'error', summary: 'No compose volume covers the container path' },
  { code: 'milvus-path-host-style', severity: 'error', summary: 'A host path written where the container path is needed' },
  { code: 'milvus-path-in-named-volume', severity: 'info', summary: 'The path lies in a named volume; contents cannot be checked' },
  { code: 'milvus-file-missing', severity: 'error', summary: 'The resolved host file does not exist' },
  { code: 'milvus-file-directory', severity: 'error', summary: 'The resolved host path is a directory' },
  { code: 'milvus-file-empty', severity: 'error', summary: 'The resolved file is empty' },
  { code: 'milvus-file-unreadable', severity: 'error', summary: 'The resolved file cannot be read' },
  { code: 'milvus-file-too-large', severity: 'error', summary: 'The resolved file is over the size limit' },
  { code: 'milvus-file-outside-workspace', severity: 'info', summary: 'Not read: outside the workspace folders' },
  { code: 'milvus-file-der', severity: 'error', summary: 'DER file where PEM is needed' },
  { code: 'milvus-file-wrong-kind', severity: 'error', summary: 'Key where a certificate is expected, CSR, etc.' },
  { code: 'milvus-key-encrypted', severity: 'error', summary: 'Encrypted private key: Go cannot load it' },
  { code: 'milvus-key-mismatch', severity: 'error', summary: 'Private key does not match the certificate' },
  { code: 'milvus-ca-not-ca', severity: 'warning', summary: 'caPemPath holds no CA certificate' },
  { code: 'milvus-cert-not-from-ca', severity: 'error', summary: 'Server certificate does not chain to caPemPath' },
  { code: 'milvus-cert-no-san', severity: 'error', summary: 'Server certificate without SAN (CN-only)' },
  { code: 'milvus-cert-eku', severity: 'error', summary: 'Server certificate EKU lacks serverAuth' },
  { code: 'milvus-cert-is-ca', severity: 'warning', summary: 'serverPemPath holds a CA certificate' },
  { code: 'milvus-cert-expired', severity: 'error', summary: 'Server certificate expired' },
  { code: 'milvus-cert-not-yet-valid', severity: 'error', summary: 'Server certificate not yet valid' },
  { code: 'milvus-cert-expiring', severity: 'warning', summary: 'Server certificate expires within the warning window' },
  { code: 'milvus-sni-not-in-san', severity: 'error', summary: 'internaltls.sni not covered by the internal certificate' },
];

export { KEYS };
