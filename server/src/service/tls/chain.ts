/**
 * Who issued whom: the one relation every rule uses (CA flags in a PEM file,
 * "signed by caPemPath" for a config's slots), so the two can never disagree.
 */
import type { CertInfo } from '../pem/model';

/** Signature checks cost ~0.3 ms; the answer for a pair of fingerprints never changes. */
const memo = new Map<string, boolean>();

/**
 * Whether `issuer` signed `subject`: the names chain, the key identifiers agree when both are
 * present, and the signature verifies with the issuer's key. A self-signed certificate issues
 * itself (copied as its own CA file it is a valid root for Go, BoringSSL and OpenSSL). A signature
 * node cannot check (an algorithm it does not implement) counts as issued: saying "not issued"
 * there would be a false alarm we cannot back.
 */
export function issues(issuer: CertInfo, subject: CertInfo): boolean {
  if (subject.issuer !== issuer.subject) return false;
  if (subject.authorityKeyId && issuer.subjectKeyId && subject.authorityKeyId !== issuer.subjectKeyId) return false;
  return signatureVerifies(issuer, subject);
}

/** Same certificate, whether or not it is the same decoded object (one file copied to two paths). */
export function sameCertificate(a: CertInfo, b: CertInfo): boolean {
  return a.sha256 === b.sha256;
}

/** Where the certificate that fails sits in the path Go tried. */
export type PathPosition = 'leaf' | 'intermediate' | 'root';

export interface PathFailure {
  /** The certificate Go blames. */
  cert: CertInfo;
  position: PathPosition;
  /** Go's own error text (crypto/x509 verify.go / x509.go). */
  goError: string;
  kind: 'unknown-authority' | 'not-ca' | 'path-length' | 'usage' | 'dates' | 'critical-extension' | 'signature' | 'parse';
}

export type PathResult = { ok: true; chain: CertInfo[] } | { ok: false; failure: PathFailure };

export interface VerifyOptions {
  now: Date;
  /** The EKU the verifier asks for: a client verifies a server for serverAuth, a server its clients for clientAuth. */
  usage: 'serverAuth' | 'clientAuth';
}

const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Go's Certificate.isValid (verify.go): the checks on each certificate as it joins a chain. */
function goIsValid(c: CertInfo, position: PathPosition, chain: CertInfo[], now: Date): PathFailure | undefined {
  if (c.extensions?.some((e) => e.critical && !e.goHandled))
    return { cert: c, position, kind: 'critical-extension', goError: 'x509: unhandled critical extension' };
  if (now < c.notBefore)
    return {
      cert: c,
      position,
      kind: 'dates',
      goError: `x509: certificate has expired or is not yet valid: current time ${rfc3339(now)} is before ${rfc3339(c.notBefore)}`,
    };
  if (now > c.notAfter)
    return {
      cert: c,
      position,
      kind: 'dates',
      goError: `x509: certificate has expired or is not yet valid: current time ${rfc3339(now)} is after ${rfc3339(c.notAfter)}`,
    };
  if (position === 'intermediate' && c.basicConstraints?.ca !== true)
    return { cert: c, position, kind: 'not-ca', goError: 'x509: certificate is not authorized to sign other certificates' };
  const maxPathLen = c.basicConstraints?.ca ? c.basicConstraints.pathLength : undefined;
  if (position !== 'leaf' && maxPathLen !== undefined && chain.length - 1 > maxPathLen)
    return { cert: c, position, kind: 'path-length', goError: 'x509: too many intermediates for path length constraint' };
  return undefined;
}

/** Go's name for a signature algorithm, as InsecureAlgorithmError prints it. */
function goAlgorithmName(sigAlg: string): string {
  if (/ecdsa/i.test(sigAlg)) return 'ECDSA-SHA1';
  if (/md5/i.test(sigAlg)) return 'MD5-RSA';
  if (/dsa/i.test(sigAlg)) return 'DSA-SHA1';
  return 'SHA1-RSA';
}

/** Go's CheckSignatureFrom (x509.go): the parent may sign, the algorithm is not SHA-1/MD5, the signature verifies. */
function goCheckSignatureFrom(child: CertInfo, parent: CertInfo): string | undefined {
  const v3 = (parent.version ?? 3) === 3;
  if ((v3 && !parent.basicConstraints) || (parent.basicConstraints && !parent.basicConstraints.ca))
    return 'x509: invalid signature: parent certificate cannot sign this kind of certificate';
  if (parent.keyUsage && parent.keyUsage.length > 0 && !parent.keyUsage.includes('keyCertSign'))
    return 'x509: invalid signature: parent certificate cannot sign this kind of certificate';
  if (/md5|md2/i.test(child.signatureAlgorithm))
    return `x509: cannot verify signature: insecure algorithm ${goAlgorithmName(child.signatureAlgorithm)}`;
  if (/sha1|SHA-1/i.test(child.signatureAlgorithm))
    return `x509: cannot verify signature: insecure algorithm ${goAlgorithmName(child.signatureAlgorithm)} (temporarily override with GODEBUG=x509sha1=1)`;
  if (!signatureVerifies(parent, child))
    return parent.publicKey.algorithm === 'RSA'
      ? 'crypto/rsa: verification error'
      : parent.publicKey.algorithm === 'Ed25519'
        ? 'x509: Ed25519 verification failure'
        : 'x509: ECDSA verification failure';
  return undefined;
}

function signatureVerifies(issuer: CertInfo, subject: CertInfo): boolean {
  const key = `${issuer.sha256}>${subject.sha256}`;
  let r = memo.get(key);
  if (r === undefined) {
    try {
      r = subject.x509.verify(issuer.x509.publicKey);
    } catch {
      r = true;
    }
    if (memo.size > 10000) memo.clear();
    memo.set(key, r);
  }
  return r;
}

/** Go's alreadyInChain, simplified to the same certificate or the same subject and key. */
function inChain(c: CertInfo, chain: CertInfo[]): boolean {
  return chain.some((x) => x.sha256 === c.sha256 || (x.subject === c.subject && x.publicKey.spkiSha256 === c.publicKey.spkiSha256));
}

/** Go's checkChainForKeyUsage: every certificate with an EKU must allow the usage (or any). */
function chainAllows(chain: CertInfo[], usage: string): boolean {
  return chain.every(
    (c) => !c.extKeyUsage || c.extKeyUsage.length === 0 || c.extKeyUsage.includes('anyExtendedKeyUsage') || c.extKeyUsage.includes(usage),
  );
}

function certLabel(c: CertInfo): string {
  return c.subjectCN ?? c.subject;
}

/**
 * Path validation as Go's crypto/x509 Certificate.Verify does it (verify.go, Go 1.19-1.24): the
 * leaf's own checks, then chains built from the leaf through `intermediates` (what the peer sends:
 * the certificates after the leaf in its file) to one of `roots` (the CA file; every certificate in
 * it is a trust anchor, intermediates included), each step checked with CheckSignatureFrom and
 * isValid, then the EKU nesting. The host name is checked by the caller (names.ts).
 */
export function goVerify(leaf: CertInfo, intermediates: CertInfo[], roots: CertInfo[], o: VerifyOptions): PathResult {
  if (leaf.goRefuses) return { ok: false, failure: { cert: leaf, position: 'leaf', kind: 'parse', goError: leaf.goRefuses } };
  const leafBad = goIsValid(leaf, 'leaf', [], o.now);
  if (leafBad) return { ok: false, failure: leafBad };
  let chains: CertInfo[][];
  let lastError: PathFailure | undefined;
  if (roots.some((r) => r.sha256 === leaf.sha256)) chains = [[leaf]];
  else {
    let checks = 0;
    const build = (chain: CertInfo[]): CertInfo[][] => {
      const c = chain[chain.length - 1];
      const found: CertInfo[][] = [];
      let hint: { error: string; cert: CertInfo } | undefined;
      const consider = (candidate: CertInfo, position: PathPosition) => {
        if (candidate.goRefuses || inChain(candidate, chain) || ++checks > 100) return;
        const sigError = goCheckSignatureFrom(c, candidate);
        if (sigError) {
          hint ??= { error: sigError, cert: candidate };
          return;
        }
        const bad = goIsValid(candidate, position, chain, o.now);
        if (bad) {
          lastError = bad;
          return;
        }
        if (position === 'root') found.push([...chain, candidate]);
        else found.push(...build([...chain, candidate]));
      };
      for (const r of roots) if (r.subject === c.issuer) consider(r, 'root');
      for (const i of intermediates) if (i.subject === c.issuer) consider(i, 'intermediate');
      if (found.length === 0 && !lastError) {
        lastError = {
          cert: c,
          position: c === leaf ? 'leaf' : 'intermediate',
          kind: hint ? 'signature' : 'unknown-authority',
          goError: hint
            ? `x509: certificate signed by unknown authority (possibly because of "${hint.error}" while trying to verify candidate authority certificate "${certLabel(hint.cert)}")`
            : 'x509: certificate signed by unknown authority',
        };
        if (hint) lastError.cert = hint.cert;
        if (hint) lastError.position = roots.includes(hint.cert) ? 'root' : 'intermediate';
      }
      return found;
    };
    chains = build([leaf]);
    if (chains.length === 0) return { ok: false, failure: lastError! };
  }
  const good = chains.find((ch) => chainAllows(ch, o.usage));
  if (!good) {
    const blame = chains[0].find((c) => !chainAllows([c], o.usage)) ?? leaf;
    return {
      ok: false,
      failure: {
        cert: blame,
        position: blame === leaf ? 'leaf' : roots.includes(blame) ? 'root' : 'intermediate',
        kind: 'usage',
        goError: 'x509: certificate specifies an incompatible key usage',
      },
    };
  }
  return { ok: true, chain: good };
}
