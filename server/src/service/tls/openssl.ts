/**
 * The group checks for slots that OpenSSL loads (nginx, and APISIX, which is
 * OpenResty: nginx + OpenSSL), in OpenSSL's own words. Same facts as
 * pipeline.ts's checkGroup (key pair, chain, names, usages, dates), worded for
 * what `nginx -t` and an OpenSSL client print. Kept apart from pipeline.ts so
 * the per-stack verdict work there can fold this in without a merge fight.
 *
 * Error texts are OpenSSL 3's (Debian's libssl3, which Debian's nginx links):
 * SSL_CTX_use_PrivateKey → X509_check_private_key "key values mismatch";
 * ssl_security_cert at security level 2 → "ee key too small";
 * X509_verify_cert → "certificate has expired", "unable to get local issuer certificate".
 */
import type { Diagnostic, Range } from 'vscode-languageserver-types';
import { diag, Severity } from '../types';
import type { DiagnosticCodeInfo } from '../targets/target';
import { certificates, privateKeys } from '../pem/files';
import type { CertInfo } from '../pem/model';
import { issues } from './chain';
import { judgeDates, wholeDays } from './dates';
import { coversName, lacksSan } from './names';
import { allowsServerAuth, isCa } from './usages';
import type { LoadedSlot, PipelineContext } from './slots';
import type { Workspace } from '../workspace';
import { matchingKeyBeside, type UseKeyFix } from './key-match';

const useKeyData = (fix: UseKeyFix | undefined) => (fix ? { fix } : undefined);

export interface OpensslWords {
  /** "nginx", "APISIX". */
  product: string;
  /** What the product prints when the key does not match the first certificate (nginx -t's line, APISIX's log line). */
  keyMismatch(certSlot: LoadedSlot, keySlot: LoadedSlot): string;
  /** Said after a date/name failure: who fails ("browsers and curl fail"). */
  clients: string;
}

export interface DialName {
  value: string;
  /** Where it is written: "server_name", "snis[1]". */
  setting: string;
  range: Range;
}

/** What the "put the leaf first" quick fix needs: the chain file and the position of the leaf in it. */
export interface LeafFirstFix {
  kind: 'leaf-first';
  file: string;
  leaf: number;
  count: number;
}

export const KEY_VALUES_MISMATCH = 'error:05800074:x509 certificate routines::key values mismatch';

export function leafOf(slot: LoadedSlot | undefined): CertInfo | undefined {
  return slot ? certificates(slot.items)[0]?.cert : undefined;
}

/** The key must match the first certificate of the cert slot; a match further down means the leaf is not first. */
export function checkPair(certSlot: LoadedSlot, keySlot: LoadedSlot, words: OpensslWords, out: Diagnostic[], ws?: Workspace): boolean {
  const certs = certificates(certSlot.items).map((c) => c.cert);
  const key = privateKeys(keySlot.items)[0]?.key;
  if (!key?.publicKey || certs.length === 0) return true;
  if (key.publicKey.spkiSha256 === certs[0].publicKey.spkiSha256) return true;
  const at = certs.findIndex((c) => c.publicKey.spkiSha256 === key.publicKey!.spkiSha256);
  if (at > 0) {
    // A file (not inline PEM) can be reordered by a quick fix: its data says which certificate is the leaf.
    const fix: LeafFirstFix | undefined = certSlot.hostPath.includes('#')
      ? undefined
      : { kind: 'leaf-first', file: certSlot.hostPath, leaf: at, count: certs.length };
    out.push(
      diag(
        certSlot.range,
        Severity.Error,
        'tls-chain-leaf-not-first',
        `The leaf certificate is not first in ${certSlot.where}: the key ${keySlot.where} belongs to certificate ${at + 1} (${certs[at].subject}), but ${words.product} pairs it with the first (${certs[0].subject}) and fails with ${words.keyMismatch(certSlot, keySlot)}. Put the server certificate first, then its intermediates (cat server.crt intermediate.crt > fullchain.pem).`,
        fix ? { fix } : undefined,
      ),
    );
  } else {
    out.push(
      diag(
        keySlot.range,
        Severity.Error,
        'tls-key-mismatch',
        `Private key does not match the certificate: ${keySlot.where} is not the key of ${certSlot.where} (${certs[0].subject}); ${words.product} fails with ${words.keyMismatch(certSlot, keySlot)}. Point ${keySlot.key} at the key the certificate was issued for.`,
        ws && !keySlot.hostPath.includes('#')
          ? useKeyData(matchingKeyBeside(keySlot.hostPath, certs[0], certSlot.hostPath, ws))
          : undefined,
      ),
    );
  }
  return false;
}

/** What OpenSSL and its clients say of the server certificate itself: key size, usages, SANs, dates. */
export function checkServerLeaf(certSlot: LoadedSlot, ctx: PipelineContext, words: OpensslWords, out: Diagnostic[]): void {
  const leaf = leafOf(certSlot);
  if (!leaf) return;
  const r = certSlot.range;
  const where = certSlot.where;
  if (leaf.publicKey.algorithm === 'RSA' && leaf.publicKey.size !== undefined && leaf.publicKey.size < 2048)
    out.push(
      diag(
        r,
        Severity.Error,
        'tls-rsa-weak',
        `RSA key too small for OpenSSL 3: ${where} has a ${leaf.publicKey.size}-bit RSA key, which security level 2 refuses: ${words.product} fails with "SSL_CTX_use_certificate(…) failed (SSL: error:0A00018F:SSL routines::ee key too small)". Reissue it with RSA 2048+ or ECDSA P-256.`,
      ),
    );
  if (lacksSan(leaf) && !isCa(leaf) && !leaf.selfSigned)
    out.push(
      // A warning here, not an error: OpenSSL clients (curl, the gateway's own upstream checks) accept CN-only names.
      diag(
        r,
        Severity.Warning,
        'tls-cert-no-san',
        `No Subject Alternative Name in ${where} (${leaf.subject}): browsers and Go clients reject it ("x509: certificate relies on legacy Common Name field"); only OpenSSL clients fall back to the CN. Reissue it with the server names as DNS SANs.`,
      ),
    );
  if (!allowsServerAuth(leaf))
    out.push(
      diag(
        r,
        Severity.Error,
        'tls-cert-eku',
        `Not a server certificate by its extended key usage: ${where} has ${leaf.extKeyUsage!.join(', ')} without serverAuth; OpenSSL clients reject it ("unsupported certificate purpose"). Reissue it with EKU serverAuth.`,
      ),
    );
  if (isCa(leaf))
    out.push(
      diag(
        r,
        Severity.Warning,
        'tls-cert-is-ca',
        `The first certificate in ${where} is a CA (${leaf.subject}), not a server certificate. ${certSlot.key} should start with the leaf issued for the server names.`,
      ),
    );
  const now = ctx.now.getTime();
  const dates = judgeDates(leaf, ctx.now, ctx.settings.expiryWarningDays);
  if (dates?.code === 'tls-cert-expired')
    out.push(
      diag(
        r,
        Severity.Error,
        dates.code,
        `Certificate expired on ${leaf.notAfter.toISOString().slice(0, 10)} (${wholeDays(now - leaf.notAfter.getTime())} days ago): ${where}; ${words.product} still serves it and ${words.clients} fail with "certificate has expired". Renew it.`,
      ),
    );
  else if (dates?.code === 'tls-cert-not-yet-valid')
    out.push(
      diag(
        r,
        Severity.Error,
        dates.code,
        `Certificate not valid yet: ${where} is not valid before ${leaf.notBefore.toISOString()}; ${words.clients} fail with "certificate is not yet valid" until then. Check the clock of the machine that issued it.`,
      ),
    );
  else if (dates?.code === 'tls-cert-expiring')
    out.push(
      diag(
        r,
        Severity.Warning,
        dates.code,
        `Certificate expires in ${wholeDays(leaf.notAfter.getTime() - now)} days (${leaf.notAfter.toISOString().slice(0, 10)}): ${where}. Renew it before then.`,
      ),
    );
}

/**
 * Whether a certificate serves a name the way clients verify it. A wildcard name
 * (`*.a.com`, as server_name or APISIX sni) is served by a certificate with that
 * same wildcard SAN; every other name goes through X509_check_host's rules.
 */
export function certServes(leaf: CertInfo, name: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  if (n.startsWith('*.')) return leaf.sans.some((s) => s.type === 'dns' && s.value.toLowerCase() === n);
  return coversName(leaf, n);
}

/** Every name clients dial must be in the certificate's SANs. */
export function checkNames(certSlot: LoadedSlot, names: DialName[], words: OpensslWords, out: Diagnostic[]): void {
  const leaf = leafOf(certSlot);
  if (!leaf || lacksSan(leaf)) return;
  for (const n of names) {
    if (certServes(leaf, n.value)) continue;
    out.push(
      diag(
        n.range,
        Severity.Error,
        'tls-name-not-in-san',
        `${n.value} (${n.setting}) is not in the SANs of ${certSlot.where} (${leaf.sans.map((s) => s.value).join(', ')}); ${words.clients} fail with "hostname mismatch" (curl: "no alternative certificate subject name matches"). Add ${n.value} to the certificate's SANs or serve it with another certificate.`,
      ),
    );
  }
}

/**
 * Intermediates the server should send: the last certificate of the chain is not
 * a root, and its issuer is an intermediate sitting in another file beside it
 * (certbot's chain.pem next to cert.pem): clients that lack it fail.
 */
export function missingIntermediate(certSlot: LoadedSlot, beside: CertInfo[]): CertInfo | undefined {
  const certs = certificates(certSlot.items).map((c) => c.cert);
  const last = certs[certs.length - 1];
  if (!last || last.selfSigned) return undefined;
  return beside.find((c) => isCa(c) && !c.selfSigned && issues(c, last) && !certs.some((x) => x.sha256 === c.sha256));
}

/** A CA file for verifying peers (client certificates, upstreams): it must hold CA certificates. */
export function checkCaFile(caSlot: LoadedSlot, words: OpensslWords, out: Diagnostic[]): CertInfo[] {
  const cas = certificates(caSlot.items).map((c) => c.cert);
  if (cas.length && cas.every((c) => !isCa(c) && !c.selfSigned))
    out.push(
      diag(
        caSlot.range,
        Severity.Warning,
        'tls-ca-not-ca',
        `Not a CA certificate: ${caSlot.where} holds no CA certificate (${cas[0].subject} lacks basicConstraints CA:TRUE); OpenSSL cannot verify peers through it ("unable to get local issuer certificate"). Use the CA that issued the peer certificates.`,
      ),
    );
  return cas;
}

/**
 * How many certificates above a peer's leaf OpenSSL must walk for the deepest
 * chain this CA file can verify: 1 for a leaf issued by a root in the file, 2
 * when the file holds an intermediate under its root, and so on. OpenSSL's
 * verify depth counts the certificates above the leaf.
 */
export function depthNeeded(cas: CertInfo[]): number {
  let best = 0;
  for (const start of cas) {
    let depth = 1;
    let cur = start;
    const seen = new Set([cur.sha256]);
    while (!cur.selfSigned) {
      const up = cas.find((c) => !seen.has(c.sha256) && issues(c, cur));
      if (!up) break;
      seen.add(up.sha256);
      cur = up;
      depth++;
    }
    best = Math.max(best, depth);
  }
  return best;
}

export const TLS_OPENSSL_CODES: DiagnosticCodeInfo[] = [
  {
    code: 'tls-chain-leaf-not-first',
    severity: 'error',
    summary: 'The key matches a later certificate of the chain file: the leaf must come first (nginx: "key values mismatch").',
  },
];
