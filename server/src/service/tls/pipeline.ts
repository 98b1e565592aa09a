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
import type { CertInfo, Decoded } from '../pem/model';
import { goVerify, issues, type PathFailure, type PathPosition } from './chain';
import { boringsslAccepts } from './boringssl';
import { judgeDates, wholeDays } from './dates';
import { coversName, lacksSan } from './names';
import { allowsServerAuth, isCa } from './usages';
import { shownPath } from '../shown-path';
import { matchingKeyBeside, type UseKeyFix } from './key-match';
import type { GroupWords, LoadedSlot, LocatedSlot, PipelineContext, SlotGroup, SlotRole } from './slots';

/** What a quick fix needs: a generated set where a file is missing. */
export type PipelineFix = { kind: 'generate-certs'; folder: string } | UseKeyFix;

function d(range: Range, sev: 1 | 2 | 3 | 4, code: string, message: string, fix?: PipelineFix): Diagnostic {
  return diag(range, sev, code, message, fix ? { fix } : undefined);
}

/** A slot's host file as a message names it: workspace-relative. */
export function shown(slot: Pick<LocatedSlot, 'hostPath'>, ctx: Pick<PipelineContext, 'ws'>): string {
  return shownPath(slot.hostPath, ctx.ws.roots);
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

/** The verdict a read failure's message leads with. */
const READ_VERDICTS: Record<string, string> = {
  missing: 'File not found',
  directory: 'A directory, not a file',
  unreadable: 'Cannot read the file',
  'too-large': 'File too large to check',
  'outside-workspace': 'Not checked',
  'not-a-file': 'Not a regular file',
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
        `${READ_VERDICTS[loaded.read.reason] ?? 'Cannot read the file'}: ${key} ${where} ${loaded.read.message.replace(hostPath + ' ', '')}.${tail}`,
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
        `Empty file: ${key} ${where} is empty. Put the PEM ${isKey(kind) ? 'private key' : 'certificate'} in it, or run "TLS: Generate TLS certs".`,
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
        `DER where PEM is needed: ${key} ${where} is DER (binary), but ${words.product} reads PEM only. Convert it: openssl ${isKey(kind) ? 'pkey' : 'x509'} -inform DER -in FILE -out FILE.pem.`,
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
        `${wantCert ? 'Not a certificate' : 'Not a private key'}: ${key} needs ${wantCert ? 'a PEM certificate' : 'a PEM private key'}, but ${where} holds ${holds(c)}.${swapped}`,
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
        `Encrypted private key: ${key} ${where} is encrypted (${keys[0].key.format}). ${words.encryptedKey ?? `${words.product} (Go) cannot load it and fails with "tls: failed to parse private key".`} Decrypt it: openssl pkey -in FILE -out FILE.unencrypted (and keep it mode 0600).`,
      ),
    );
    return undefined;
  }
  return { ...slot, items: c.items };
}

/** The certificate and key blocks Go's pem.Decode finds, in order (a BOM before the first BEGIN hides that block). */
function goBlocks(slot: LoadedSlot, ctx: PipelineContext): { items: Decoded[]; hidden?: Decoded } {
  if (slot.inline) return { items: slot.items };
  const framing = loadPemFile(slot.hostPath, ctx.ws).contents?.framing;
  const bom = framing?.problems.some((p) => p.code === 'pem-bom');
  const first = slot.items[0];
  if (bom && first && first.block.range.start.line === 0) return { items: slot.items.slice(1), hidden: first };
  return { items: slot.items };
}

/** tls.LoadX509KeyPair and x509.CertPool.AppendCertsFromPEM take blocks labelled exactly CERTIFICATE. */
export function goCertificates(items: Decoded[]): CertInfo[] {
  return certificates(items)
    .filter((c) => c.block.label === 'CERTIFICATE')
    .map((c) => c.cert);
}

/** The checks across a group's slots: key pair, chain, names, usages, dates. */
export function checkGroup(group: SlotGroup, slots: Map<SlotRole, LoadedSlot>, ctx: PipelineContext, out: Diagnostic[]): void {
  const certSlot = slots.get('server-cert');
  const keySlot = slots.get('server-key');
  const caSlot = slots.get('ca');
  const words = group.words;
  let leaf: CertInfo | undefined;
  let sent: CertInfo[] = [];
  if (certSlot) {
    const seen = goBlocks(certSlot, ctx);
    const certs = goCertificates(seen.items);
    if (seen.hidden?.kind === 'certificate') {
      out.push(
        d(
          certSlot.range,
          Severity.Error,
          'tls-cert-bom-hidden',
          certs.length === 0
            ? `A UTF-8 byte order mark (BOM) at the start of ${shown(certSlot, ctx)} hides its only certificate from Go's PEM reader: ${words.product} fails with "tls: failed to find any PEM data in certificate input". Save the file as UTF-8 without BOM.`
            : `A UTF-8 byte order mark (BOM) at the start of ${shown(certSlot, ctx)} hides the first certificate (${seen.hidden.cert.subject}) from Go's PEM reader: ${words.product} pairs the next one (${certs[0].subject}) with the key and fails with "tls: private key does not match public key". Save the file as UTF-8 without BOM.`,
        ),
      );
      return;
    }
    leaf = certs[0];
    sent = certs.slice(1);
    if (leaf?.goRefuses) {
      out.push(
        d(
          certSlot.range,
          Severity.Error,
          'tls-cert-go-refuses',
          `Go cannot parse the certificate ${shown(certSlot, ctx)} (${leaf.subject}): "${leaf.goRefuses}". ${words.product} fails to load it (tls.LoadX509KeyPair). Reissue it with a standard tool (openssl, "TLS: Generate TLS certs").`,
        ),
      );
      return;
    }
  }
  if (leaf && certSlot) checkServerCert(leaf, certSlot, group, ctx, out);
  if (keySlot) {
    const seen = goBlocks(keySlot, ctx);
    if (seen.hidden?.kind === 'privateKey' && privateKeys(seen.items).length === 0) {
      out.push(
        d(
          keySlot.range,
          Severity.Error,
          'tls-cert-bom-hidden',
          `A UTF-8 byte order mark (BOM) at the start of ${shown(keySlot, ctx)} hides the key from Go's PEM reader: ${words.product} fails with "tls: failed to find any PEM data in key input". Save the file as UTF-8 without BOM.`,
        ),
      );
      return;
    }
  }
  if (leaf && keySlot && certSlot) {
    const key = privateKeys(keySlot.items)[0]?.key;
    if (key?.publicKey && key.publicKey.spkiSha256 !== leaf.publicKey.spkiSha256) {
      out.push(
        d(
          keySlot.range,
          Severity.Error,
          'tls-key-mismatch',
          `Private key does not match the certificate: ${shown(keySlot, ctx)} is not the key of ${shown(certSlot, ctx)} (${leaf.subject}). ${words.product} fails with "tls: private key does not match public key". Point ${keySlot.key} at the key the certificate was issued for.`,
          // Inline PEM (a `file#field` path) has no folder to look in.
          keySlot.hostPath.includes('#') ? undefined : matchingKeyBeside(keySlot.hostPath, leaf, certSlot.hostPath, ctx.ws),
        ),
      );
    }
  }
  if (caSlot) {
    const cas = goCertificates(goBlocks(caSlot, ctx).items).filter((c) => !c.goRefuses);
    if (cas.length === 0) {
      out.push(
        d(
          caSlot.range,
          Severity.Error,
          'tls-ca-unreadable',
          `No readable CA certificate: ${shown(caSlot, ctx)} holds no certificate Go can read, so ${group.caForClientsOnly ? 'clients given it cannot verify the server' : `${words.product} fails to start ("fail to append ca to cert")`}. Put the PEM CA certificate in it.`,
        ),
      );
      return;
    }
    // A v1 root (no extensions at all) is a CA for Go and OpenSSL; a self-signed server certificate copied as its own CA file too.
    const anchorOk = (c: CertInfo) => isCa(c) || (c.version === 1 && c.selfSigned) || (!!leaf?.selfSigned && c.sha256 === leaf.sha256);
    if (!cas.some(anchorOk)) {
      out.push(
        d(
          caSlot.range,
          Severity.Warning,
          'tls-ca-not-ca',
          `Not a CA certificate: ${shown(caSlot, ctx)} holds no CA certificate (${cas[0].subject} lacks basicConstraints CA:TRUE); Go refuses to verify chains through it. Use the CA that issued the certificates.`,
        ),
      );
    }
    if (leaf && certSlot) checkServerPath(leaf, sent, cas, certSlot, caSlot, group, ctx, out);
    if (certSlot && group.verifiesClients) checkClientCerts(certSlot, cas, caSlot, group, ctx, out);
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
  } else if (
    !name &&
    group.likelyNames?.length &&
    leaf &&
    certSlot &&
    !lacksSan(leaf) &&
    !group.likelyNames.some((n) => coversName(leaf!, n))
  ) {
    const sans = leaf.sans.map((s) => s.value).join(', ');
    out.push(
      d(
        certSlot.range,
        Severity.Warning,
        'tls-name-unlikely',
        `The server certificate's SANs (${sans}) cover none of the names clients usually dial (${group.likelyNames.join(', ')}); a client dialing one of them fails with "x509: certificate is valid for ${sans}, not ${group.likelyNames[0]}". Make sure clients dial a name in the SANs (pymilvus server_name, the URI host), or reissue the certificate with the names they dial.`,
      ),
    );
  }
}

const POSITION_WORDS: Record<PathPosition, string> = { leaf: 'server certificate', intermediate: 'intermediate CA', root: 'CA' };

/** What a path failure means, in the user's terms, leading with what to do. */
function pathAdvice(f: PathFailure): string {
  switch (f.kind) {
    case 'not-ca':
      return 'it lacks basicConstraints CA:TRUE. Reissue it with `basicConstraints = critical, CA:TRUE` and `keyUsage = critical, keyCertSign, cRLSign`';
    case 'signature':
      return /cannot sign this kind/.test(f.goError)
        ? 'it may not sign certificates (basicConstraints CA:FALSE, or a keyUsage without keyCertSign). Reissue the CA with `basicConstraints = critical, CA:TRUE` and `keyUsage = critical, keyCertSign, cRLSign`'
        : /insecure algorithm/.test(f.goError)
          ? 'the certificate it issued is signed with SHA-1 or MD5, which Go refuses (OpenSSL at the default security level too). Reissue it signed with SHA-256'
          : 'its key does not verify the signature. Issue the certificate from this CA, or point the CA setting at the CA that did';
    case 'path-length':
      return `its pathLenConstraint (${f.cert.basicConstraints?.pathLength}) allows fewer intermediates below it than this chain has. Issue the server certificate directly from it, or reissue it with a larger pathlen`;
    case 'usage':
      return `its extended key usage (${f.cert.extKeyUsage?.join(', ')}) excludes the usage the certificate below needs; EKU nests down a chain in Go. Reissue it without EKU or with that usage added`;
    case 'dates':
      return now(f)
        ? `it is not valid until ${f.cert.notBefore.toISOString().slice(0, 10)}`
        : `it expired on ${f.cert.notAfter.toISOString().slice(0, 10)}. Renew it`;
    case 'critical-extension':
      return 'it carries a critical extension Go does not understand. Reissue it without that extension, or mark it non-critical';
    case 'parse':
      return 'Go cannot parse it. Reissue it with a standard tool';
    default:
      return 'no certificate in the CA setting issued it';
  }
}

function now(f: PathFailure): boolean {
  return /is before/.test(f.goError);
}

function checkServerPath(
  leaf: CertInfo,
  sent: CertInfo[],
  cas: CertInfo[],
  certSlot: LoadedSlot,
  caSlot: LoadedSlot,
  group: SlotGroup,
  ctx: PipelineContext,
  out: Diagnostic[],
): void {
  const r = goVerify(leaf, sent, cas, { now: ctx.now, usage: 'serverAuth' });
  if (r.ok && r.chain.length === 1 && !leaf.selfSigned) {
    // Go trusts a pool that holds the leaf itself, and so does gRPC C-core (X509_V_FLAG_PARTIAL_CHAIN on its root
    // store, grpc/grpc src/core/tsi/ssl_transport_security.cc; measured in test/unit/tls-boringssl.test.ts);
    // OpenSSL clients outside gRPC (curl, Node) need the issuer's certificate.
    out.push(
      d(
        certSlot.range,
        Severity.Error,
        'tls-cert-not-from-ca',
        `The CA setting holds the server certificate, not its CA: ${caSlot.key} ${shown(caSlot, ctx)} holds the server certificate itself (${leaf.subject}), not the CA that issued it (${leaf.issuer}). Go and gRPC clients (the Go SDK, pymilvus: gRPC trusts any certificate of its root file) accept that pin, but curl and the Node SDK (OpenSSL) fail with "unable to get local issuer certificate"${group.verifiesClients ? ', and client certificates cannot chain to it' : ''}. Point ${caSlot.key} at the CA certificate.`,
      ),
    );
    return;
  }
  if (r.ok) {
    opensslPath(r.chain, cas, certSlot, caSlot, ctx.now, out);
    return;
  }
  const f = r.failure;
  // The leaf's own dates and EKU have their own findings (checkServerCert).
  if (f.cert === leaf && (f.kind === 'dates' || f.kind === 'usage')) return;
  const grpc = group.words.grpcClients;
  const boringOk = grpc ? boringsslAccepts(f, cas) : undefined;
  const who = boringOk
    ? `Go clients given ${caSlot.key} (${grpc!.go}) cannot verify the server, while ${grpc!.boringssl} (gRPC on BoringSSL) accepts it: ${boringOk}`
    : group.caForClientsOnly
      ? `clients given ${caSlot.key} (pymilvus ca_pem_path / server_pem_path, curl --cacert) cannot verify the server`
      : group.words.caRejects || 'clients given the CA file cannot verify the server';
  if (f.kind === 'unknown-authority') {
    const at = f.cert === leaf ? `The server certificate ${leaf.subject}` : `The intermediate ${f.cert.subject} in ${certSlot.key}`;
    const missing =
      f.cert === leaf && leaf.issuer !== leaf.subject && !cas.some((c) => c.subject === leaf.issuer)
        ? ` If ${leaf.issuer} is an intermediate CA under ${caSlot.key}, append its certificate to ${certSlot.key} after the server certificate.`
        : '';
    out.push(
      d(
        certSlot.range,
        Severity.Error,
        'tls-cert-not-from-ca',
        `${at} (issuer ${f.cert.issuer}) is not signed by any certificate in ${caSlot.key} ${shown(caSlot, ctx)}: ${who} ("${f.goError}"). Issue the server certificate from that CA, or fix ${caSlot.key}.${missing}`,
      ),
    );
    return;
  }
  out.push(
    d(
      f.cert === leaf ? certSlot.range : f.position === 'root' ? caSlot.range : certSlot.range,
      Severity.Error,
      'tls-chain-invalid',
      `The chain from ${certSlot.key} to ${caSlot.key} fails at the ${POSITION_WORDS[f.position]} ${f.cert.subject}: ${pathAdvice(f)}. Go fails with "${f.goError}", so ${who}.`,
    ),
  );
}

/**
 * Where OpenSSL (curl, the Node SDK, python3-grpcio) and Go part ways on a path Go accepts: Go stops at
 * the first certificate of the CA file it reaches, OpenSSL builds on to a self-signed root when the CA
 * file holds one, and then checks every certificate but that root for a weak signature
 * ("ca md too weak", security level 2) and every CA for an EKU allowing serverAuth ("unsuitable
 * certificate purpose"). Measured by the differential test.
 */
function opensslPath(goChain: CertInfo[], cas: CertInfo[], certSlot: LoadedSlot, caSlot: LoadedSlot, now: Date, out: Diagnostic[]): void {
  const chain = [...goChain];
  for (let top = chain[chain.length - 1]; !top.selfSigned && chain.length < 10; top = chain[chain.length - 1]) {
    // OpenSSL does not take a v3 certificate without basicConstraints as an issuer (the chain stops below it).
    const up = cas.find((c) => c.subject === top.issuer && !chain.includes(c) && (c.basicConstraints || c.version === 1) && issues(c, top));
    if (!up) break;
    chain.push(up);
  }
  const anchor = chain[chain.length - 1];
  const weak = chain.find((c) => (c !== anchor || !c.selfSigned) && /md5|md2|sha1|SHA-1/i.test(c.signatureAlgorithm));
  const narrow = chain
    .slice(1)
    .find((c) => c.extKeyUsage?.length && !c.extKeyUsage.some((u) => u === 'serverAuth' || u === 'anyExtendedKeyUsage'));
  const tight = chain.find((c, i) => i > 1 && c.basicConstraints?.pathLength !== undefined && i - 1 > c.basicConstraints.pathLength);
  const cannotSign = chain.slice(1).find((c) => (c.keyUsage && !c.keyUsage.includes('keyCertSign')) || c.basicConstraints?.ca === false);
  const stale = chain.slice(goChain.length).find((c) => c.notAfter < now || c.notBefore > now);
  if (!weak && !narrow && !tight && !cannotSign && !stale) return;
  const why =
    stale && !weak && !narrow && !tight && !cannotSign
      ? `the root ${stale.subject} above the intermediate ${stale.notAfter < now ? `expired on ${stale.notAfter.toISOString().slice(0, 10)}` : `is not valid before ${stale.notBefore.toISOString().slice(0, 10)}`}: OpenSSL-based clients (curl, the Node SDK, python3-grpcio) build on to it and refuse the server ("certificate has expired"), while Go stops at the intermediate in ${caSlot.key}. Renew the root, or remove it from ${caSlot.key}`
      : cannotSign && !weak && !narrow
        ? `the CA ${cannotSign.subject} may not sign certificates (basicConstraints CA:FALSE, or a keyUsage without keyCertSign): OpenSSL-based clients (curl, the Node SDK, python3-grpcio) build on to it and refuse the server ("invalid CA certificate" / "key usage does not include certificate signing"), while Go stops at the intermediate in ${caSlot.key}. Reissue it with \`basicConstraints = critical, CA:TRUE\` and \`keyUsage = critical, keyCertSign, cRLSign\``
        : tight && !weak && !narrow
          ? `the root ${tight.subject} allows ${tight.basicConstraints!.pathLength} intermediates below it (pathLenConstraint) and the chain has more: OpenSSL-based clients (curl, the Node SDK, python3-grpcio) build on to it and refuse the server ("path length constraint exceeded"), while Go stops at the intermediate in ${caSlot.key}. Issue the server certificate within the constraint, or reissue the root with a larger pathlen`
          : weak
            ? `${weak.subject} is signed with SHA-1 or MD5 (${weak.signatureAlgorithm}): OpenSSL-based clients (curl, the Node SDK, python3-grpcio) refuse it ("ca md too weak"), while Go accepts it because it trusts that certificate of ${caSlot.key} as an anchor. Reissue it with SHA-256`
            : `the CA ${narrow!.subject} has an extended key usage (${narrow!.extKeyUsage!.join(', ')}) without serverAuth: OpenSSL-based clients (curl, the Node SDK, python3-grpcio) check it and refuse the server ("unsuitable certificate purpose"), while Go stops at the intermediate in ${caSlot.key}. Reissue the CA without EKU or with serverAuth`;
  out.push(
    d(certSlot.range, Severity.Error, 'tls-chain-openssl', `The chain from ${certSlot.key} to ${caSlot.key} fails for OpenSSL: ${why}.`),
  );
}

/** Mutual TLS: the client certificates beside the server files must pass the server's check (Go, clientAuth). */
function checkClientCerts(
  certSlot: LoadedSlot,
  cas: CertInfo[],
  caSlot: LoadedSlot,
  group: SlotGroup,
  ctx: PipelineContext,
  out: Diagnostic[],
): void {
  const dir = path.dirname(certSlot.hostPath);
  for (const name of ctx.ws.list(dir)) {
    if (!/^client[\w.-]*\.(pem|crt|cer)$/i.test(name)) continue;
    const file = path.join(dir, name);
    if (file === certSlot.hostPath) continue;
    const loaded = loadPemFile(file, ctx.ws);
    const certs = loaded.contents ? goCertificates(loaded.contents.items) : [];
    const client = certs[0];
    if (!client) continue;
    const refused = clientCertRefusal(certs, cas, caSlot.key, ctx.now);
    if (!refused) continue;
    const { why, goError } = refused;
    out.push(
      d(
        caSlot.range,
        Severity.Error,
        'tls-client-cert-rejected',
        `The client certificate ${shownPath(file, ctx.ws.roots)} (${client.subject}) is refused by ${group.words.product} in mutual TLS: ${why}. Go's server fails the handshake with "${goError}" (the client sees "bad certificate"). Issue client certificates from ${caSlot.key} with EKU clientAuth.`,
      ),
    );
  }
}

/**
 * Why a Go server with `ClientAuth: tls.RequireAndVerifyClientCert` and `ClientCAs` = `cas` (the Milvus proxy in
 * tlsMode 2, a peer cluster of tls.clusters) refuses a client certificate (`certs[0]`, the rest sent as
 * intermediates), or undefined when it accepts it. Go's crypto/tls handshake_server.go processCertsFromClient
 * verifies with `KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}`, so an EKU without clientAuth fails.
 */
export function clientCertRefusal(
  certs: CertInfo[],
  cas: CertInfo[],
  caKey: string,
  at: Date,
): { why: string; goError: string } | undefined {
  const client = certs[0];
  if (!client) return undefined;
  const r = client.goRefuses
    ? ({ ok: false, failure: { cert: client, position: 'leaf', kind: 'parse', goError: client.goRefuses } } as const)
    : goVerify(client, certs.slice(1), cas, { now: at, usage: 'clientAuth' });
  if (r.ok) return undefined;
  const f = r.failure;
  const why =
    f.cert === client && f.kind === 'usage'
      ? `its extended key usage (${client.extKeyUsage?.join(', ')}) lacks clientAuth`
      : f.cert === client && f.kind === 'dates'
        ? now(f)
          ? `it is not valid until ${client.notBefore.toISOString().slice(0, 10)}`
          : `it expired on ${client.notAfter.toISOString().slice(0, 10)}`
        : f.kind === 'unknown-authority'
          ? `it is not issued by ${caKey} (issuer ${f.cert.issuer})`
          : `the ${POSITION_WORDS[f.position].replace('server certificate', 'client certificate')} ${f.cert.subject} fails: ${pathAdvice(f)}`;
  return { why, goError: f.goError };
}

function checkServerCert(leaf: CertInfo, slot: LoadedSlot, group: SlotGroup, ctx: PipelineContext, out: Diagnostic[]): void {
  const r = slot.range;
  const words = group.words;
  if (lacksSan(leaf)) {
    out.push(
      d(
        r,
        Severity.Error,
        'tls-cert-no-san',
        `No Subject Alternative Name in ${shown(slot, ctx)} (${leaf.subject}). ${words.product} and its Go clients refuse it: "x509: certificate relies on legacy Common Name field, use SANs instead"; BoringSSL-based clients (pymilvus: gRPC's own name check) and OpenSSL-based ones (curl, the Node SDK) fall back to the Common Name when a certificate has no SAN at all, and accept it. Reissue it with the DNS names and IPs clients dial as SANs ("TLS: Generate TLS certs" does).`,
        { kind: 'generate-certs', folder: path.dirname(slot.hostPath) },
      ),
    );
  }
  checkClientStacks(leaf, slot, ctx, out);
  if (!allowsServerAuth(leaf)) {
    out.push(
      d(
        r,
        Severity.Error,
        'tls-cert-eku',
        `Not a server certificate by its extended key usage: ${shown(slot, ctx)} has ${leaf.extKeyUsage!.join(', ')} without serverAuth; clients reject it as a server certificate ("x509: certificate specifies an incompatible key usage"). Reissue it with EKU serverAuth.`,
      ),
    );
  }
  if (isCa(leaf)) {
    out.push(
      d(
        r,
        Severity.Warning,
        'tls-cert-is-ca',
        `A CA certificate where the server certificate belongs: ${shown(slot, ctx)} is a CA (${leaf.subject}). ${slot.key} should be the leaf certificate issued for the server names.`,
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
        `Certificate expired on ${leaf.notAfter.toISOString().slice(0, 10)} (${wholeDays(now - leaf.notAfter.getTime())} days ago): ${shown(slot, ctx)}; every handshake fails with "x509: certificate has expired". Renew it.`,
      ),
    );
  } else if (dates?.code === 'tls-cert-not-yet-valid') {
    out.push(
      d(
        r,
        Severity.Error,
        dates.code,
        `Certificate not valid yet: ${shown(slot, ctx)} is not valid before ${leaf.notBefore.toISOString()}; handshakes fail until then. Check the clock of the machine that issued it.`,
      ),
    );
  } else if (dates?.code === 'tls-cert-expiring') {
    out.push(
      d(
        r,
        Severity.Warning,
        dates.code,
        `Certificate expires in ${wholeDays(leaf.notAfter.getTime() - now)} days (${leaf.notAfter.toISOString().slice(0, 10)}): ${shown(slot, ctx)}. Renew it before then.`,
      ),
    );
  }
}

/**
 * What the clients of a server certificate refuse where Go accepts (../shared/tls-stack-facts.md, measured by
 * handshakes): pymilvus and every gRPC C-core client run BoringSSL; curl, the Node SDK and Debian's
 * python3-grpcio run OpenSSL 3 at security level 2.
 */
function checkClientStacks(leaf: CertInfo, slot: LoadedSlot, ctx: PipelineContext, out: Diagnostic[]): void {
  const r = slot.range;
  if (leaf.keyUsage && !leaf.keyUsage.includes('digitalSignature')) {
    out.push(
      d(
        r,
        Severity.Error,
        'tls-cert-key-usage',
        `keyUsage lacks digitalSignature in ${shown(slot, ctx)} (${leaf.keyUsage.join(', ') || 'empty'}). pymilvus and other gRPC clients on BoringSSL refuse it (KEY_USAGE_BIT_INCORRECT: TLS 1.3 signs with the key); Go and OpenSSL accept it. Reissue it with \`keyUsage = critical, digitalSignature, keyEncipherment\`.`,
      ),
    );
  }
  if (leaf.extKeyUsage?.length && leaf.extKeyUsage.every((u) => u === 'anyExtendedKeyUsage')) {
    out.push(
      d(
        r,
        Severity.Error,
        'tls-cert-eku-any-only',
        `Only anyExtendedKeyUsage in ${shown(slot, ctx)}: BoringSSL and OpenSSL want serverAuth. pymilvus (BoringSSL) and OpenSSL-based clients (curl, Node SDK) refuse it as a server certificate ("unsupported certificate purpose"); Go accepts it. Reissue it with \`extendedKeyUsage = serverAuth\`.`,
      ),
    );
  }
  const k = leaf.publicKey;
  if (k.algorithm === 'Ed25519' || (k.algorithm === 'EC' && k.curve === 'P-521')) {
    out.push(
      d(
        r,
        Severity.Error,
        'tls-key-type-grpc',
        `${k.algorithm === 'Ed25519' ? 'An Ed25519' : 'A P-521'} key in ${shown(slot, ctx)}: gRPC clients cannot handshake with it. pymilvus and other gRPC clients on BoringSSL offer no signature scheme for it, so the handshake fails ("SSLV3_ALERT_HANDSHAKE_FAILURE"); Go and OpenSSL accept it. Use ECDSA P-256 or P-384, or RSA 2048+.`,
      ),
    );
  }
  if (k.algorithm === 'RSA' && k.size !== undefined && k.size < 2048) {
    out.push(
      d(
        r,
        Severity.Warning,
        'tls-rsa-weak-openssl',
        `A ${k.size}-bit RSA key in ${shown(slot, ctx)}: too small for the system OpenSSL. Clients on the system OpenSSL at security level 2 (curl, Debian's python3-grpcio, psql) refuse keys under 2048 bits ("ee key too small"); Go (Milvus, the Go SDK), pymilvus (BoringSSL) and Node (its bundled OpenSSL runs at level 1) accept it, and Go 1.24 refuses only keys under 1024 bits. Reissue it with RSA 2048+ or ECDSA P-256.`,
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
    code: 'tls-chain-invalid',
    severity: 'error',
    summary:
      "The path from the server certificate to the CA fails Go's checks (not a CA, pathLen, EKU nesting, SHA-1, dates, critical extension)",
  },
  {
    code: 'tls-chain-openssl',
    severity: 'error',
    summary:
      'A path Go accepts fails for OpenSSL clients (SHA-1 below a self-signed root, a CA EKU without serverAuth, pathLen, a CA that may not sign)',
  },
  { code: 'tls-cert-bom-hidden', severity: 'error', summary: "A UTF-8 BOM hides the first certificate (or the key) from Go's PEM reader" },
  { code: 'tls-cert-go-refuses', severity: 'error', summary: 'Go cannot parse the certificate (duplicate extensions, version > 3, …)' },
  { code: 'tls-ca-unreadable', severity: 'error', summary: 'The CA setting holds no certificate Go can read' },
  {
    code: 'tls-client-cert-rejected',
    severity: 'error',
    summary: 'Mutual TLS: a client certificate beside the server files fails the server check',
  },
  { code: 'tls-name-unlikely', severity: 'warning', summary: 'The server certificate covers none of the names clients usually dial' },
  {
    code: 'tls-cert-key-usage',
    severity: 'error',
    summary: 'Server keyUsage without digitalSignature: BoringSSL clients (pymilvus) refuse it',
  },
  { code: 'tls-cert-eku-any-only', severity: 'error', summary: 'Server EKU only anyExtendedKeyUsage: BoringSSL and OpenSSL refuse it' },
  {
    code: 'tls-rsa-weak-openssl',
    severity: 'warning',
    summary: 'Server RSA key under 2048 bits: clients on the system OpenSSL (curl, python3-grpcio) refuse it',
  },
  { code: 'tls-key-type-grpc', severity: 'error', summary: 'P-521 or Ed25519 server key: gRPC clients on BoringSSL cannot handshake' },
  {
    code: 'tls-name-not-in-san',
    severity: 'error',
    summary: 'The name clients dial (e.g. internaltls.sni) is not in the certificate SANs',
  },
];
