/**
 * Turns a handshake into a verdict and says why it failed in the user's terms,
 * combining what the server did with what we know of the configured files
 * (EKUs, issuers, dates, fingerprints) and of the config (tlsMode). No network here.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { checkServerIdentity } from 'node:tls';
import { isIP } from 'node:net';
import { decodeCertificate } from '../service/pem/certificate';
import { decodeFile } from '../service/pem/decode';
import { certificates } from '../service/pem/files';
import { children, expect, readTlv, whole } from '../service/pem/der';
import { formatName } from '../service/pem/names';
import type { CertInfo } from '../service/pem/model';
import type { Handshake } from './handshake';
import type { ChainEntry, ProbeFacts, ProbeFinding, ProbeProtocol, ProbeResult, ProbeSeverity } from './types';

/** A configured file: its path as the user wrote it, and its bytes when it could be read. */
export interface ProbeFile {
  path: string;
  bytes?: Uint8Array;
  /** Why it could not be read. */
  error?: string;
}

export interface ExplainInput {
  host: string;
  port: number;
  serverName: string;
  protocol: ProbeProtocol;
  alpn: string[];
  ca?: ProbeFile;
  cert?: ProbeFile;
  key?: ProbeFile;
  serverCert?: ProbeFile;
  facts?: ProbeFacts;
  timeoutMs: number;
  now?: Date;
}

const ALERT_NAMES: Record<number, string> = {
  10: 'unexpected_message',
  20: 'bad_record_mac',
  40: 'handshake_failure',
  42: 'bad_certificate',
  43: 'unsupported_certificate',
  44: 'certificate_revoked',
  45: 'certificate_expired',
  46: 'certificate_unknown',
  47: 'illegal_parameter',
  48: 'unknown_ca',
  49: 'access_denied',
  50: 'decode_error',
  51: 'decrypt_error',
  70: 'protocol_version',
  71: 'insufficient_security',
  80: 'internal_error',
  86: 'inappropriate_fallback',
  90: 'user_canceled',
  109: 'missing_extension',
  110: 'unsupported_extension',
  112: 'unrecognized_name',
  116: 'certificate_required',
  120: 'no_application_protocol',
};

/** Alerts a server sends about the client's certificate. */
const CLIENT_CERT_ALERTS = new Set([42, 43, 44, 45, 46, 48, 49, 116]);

const NO_LISTENER = new Set(['ECONNREFUSED']);
const UNREACHABLE = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

function certsOf(f: ProbeFile | undefined): CertInfo[] {
  if (!f?.bytes) return [];
  try {
    return certificates(decodeFile(f.bytes).items).map((c) => c.cert);
  } catch {
    return [];
  }
}

function sansOf(c: CertInfo): string[] {
  return c.sans.map((s) => (s.type === 'ip' ? `IP:${s.value}` : s.type === 'dns' ? `DNS:${s.value}` : `${s.type}:${s.value}`));
}

/** The issuer Name of a certificate as DER, to compare with the CA names of a CertificateRequest. */
function issuerDer(der: Uint8Array): Buffer | undefined {
  try {
    const cert = expect(readTlv(der, 0), 0x30);
    const tbs = children(der, expect(children(der, cert)[0], 0x30));
    const i = tbs[0]?.tag === 0xa0 ? 1 : 0;
    return Buffer.from(whole(der, tbs[i + 2]));
  } catch {
    return undefined;
  }
}

function isLocalAddress(addr: string | undefined): boolean | null {
  if (!addr) return null;
  const a = addr.replace(/^::ffff:/, '');
  if (a === '::1' || a.startsWith('127.')) return true;
  for (const list of Object.values(os.networkInterfaces())) for (const i of list ?? []) if (i.address === a) return true;
  return false;
}

function shown(f: ProbeFile | undefined): string {
  return f ? path.basename(f.path) : '';
}

const VERIFY_REASONS: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'it is not signed by the CA',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its issuer is not the CA',
  UNABLE_TO_GET_ISSUER_CERT: 'its issuer is not the CA',
  SELF_SIGNED_CERT_IN_CHAIN: 'the chain ends in a self-signed CA that is not the configured one',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it is self-signed and not the CA',
  CERT_HAS_EXPIRED: 'it has expired',
  CERT_NOT_YET_VALID: 'it is not valid yet',
  CERT_SIGNATURE_FAILURE: 'its signature does not verify',
  INVALID_PURPOSE: 'its key usage does not allow a TLS server',
};

export function explain(h: Handshake, input: ExplainInput): ProbeResult {
  const now = input.now ?? new Date();
  const findings: ProbeFinding[] = [];
  const add = (severity: ProbeSeverity, code: string, message: string) => findings.push({ severity, code, message });
  const facts = input.facts;
  const product = facts?.product;
  const mode = facts?.tlsMode;
  const where = `${input.host}:${input.port}`;

  const chainInfo: CertInfo[] = [];
  for (const der of h.chain) {
    try {
      chainInfo.push(decodeCertificate(der));
    } catch {
      /* a certificate we cannot read is left out of the listing */
    }
  }
  const chain: ChainEntry[] = chainInfo.map((c) => ({
    subject: c.subject,
    issuer: c.issuer,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    sans: sansOf(c),
    sha256: c.sha256,
  }));
  const leaf = chainInfo[0];
  const caCerts = certsOf(input.ca);
  const clientCerts = certsOf(input.cert);
  const clientLeaf = clientCerts[0];
  const configured = !!(input.cert && input.key);

  const result: ProbeResult = {
    ok: false,
    error: null,
    protocol: h.protocolVersion ?? null,
    cipher: h.cipher ?? null,
    alpn: typeof h.alpn === 'string' ? h.alpn : null,
    chain,
    findings,
    exitCode: 1,
    target: {
      host: input.host,
      port: input.port,
      serverName: input.serverName,
      protocol: input.protocol,
      alpnOffered: input.alpn,
      ca: input.ca?.path ?? null,
      cert: input.cert?.path ?? null,
      key: input.key?.path ?? null,
      remoteAddress: h.remoteAddress ?? null,
      local: isLocalAddress(h.remoteAddress),
    },
    verification: { chain: null, name: null, reason: null },
    clientCertificate: { configured, requested: null, sent: null, accepted: null },
    alert: h.alert !== undefined ? { code: h.alert, name: ALERT_NAMES[h.alert] ?? `alert ${h.alert}` } : null,
    openssl: opensslCommand(input),
    ...(facts ? { facts } : {}),
    elapsedMs: h.elapsedMs,
  };
  const fail = (code: string, message: string, exit: 1 | 2 = 1) => {
    add('error', code, message);
    if (!result.error) result.error = message;
    if (exit === 2) result.exitCode = 2;
  };

  if (result.target.local === false)
    add('info', 'probe-remote', `${where} (${h.remoteAddress}) is not on this machine: the result is what this machine sees of it.`);
  for (const [f, what] of [
    [input.ca, 'CA'],
    [input.cert, 'client certificate'],
    [input.key, 'client key'],
  ] as const)
    if (f?.error) add('warning', 'probe-file-unreadable', `The ${what} ${f.path} could not be read (${f.error}); the test ran without it.`);

  // --- before TLS -------------------------------------------------------------------
  if (h.cancelled) {
    fail('probe-cancelled', 'The test was cancelled.');
    return result;
  }
  if (h.stage === 'connect') {
    if (h.errorCode && NO_LISTENER.has(h.errorCode)) {
      fail(
        'probe-no-listener',
        `Nothing listens on ${where} (connection refused).${product ? ` Is ${product} running, and is the port published?` : ''}`,
        2,
      );
    } else if (h.timedOut) {
      fail(
        'probe-unreachable',
        `No TCP connection to ${where} within the connect timeout: a firewall drops the packets or the host is down.`,
        2,
      );
    } else if (h.errorCode && UNREACHABLE.has(h.errorCode)) {
      fail('probe-unreachable', `${input.host} cannot be reached (${h.errorCode}).`, 2);
    } else fail('probe-connect-failed', `The TCP connection to ${where} failed: ${h.errorMessage ?? h.errorCode}.`, 2);
    return result;
  }
  if (h.stage === 'sslrequest') {
    if (h.sslResponse === 'N')
      fail(
        'probe-postgres-ssl-off',
        `The PostgreSQL server at ${where} answered the SSLRequest with "N": it does not accept TLS (ssl = off in postgresql.conf, or no ssl_cert_file). A client with sslmode=require or stronger refuses it.`,
      );
    else if (h.sslResponse === 'E')
      fail(
        'probe-postgres-error',
        `The server at ${where} answered the SSLRequest with an error: it does not speak TLS through the PostgreSQL SSLRequest.`,
      );
    else if (h.errorCode === 'EXTRA_BYTES')
      fail('probe-postgres-extra-bytes', `The server sent bytes after accepting the SSLRequest; libpq refuses this (CVE-2021-23214).`);
    else if (h.plaintextReply?.length || h.sslResponse)
      fail(
        'probe-not-postgres',
        `${where} answered the PostgreSQL SSLRequest with ${describeBytes(h.plaintextReply)}: this port does not speak the PostgreSQL protocol.`,
      );
    else fail('probe-handshake-failed', `The server at ${where} closed the connection after the SSLRequest.`);
    return result;
  }

  // --- the handshake ----------------------------------------------------------------
  if (h.plaintextReply?.length) {
    const reply = describeBytes(h.plaintextReply);
    const because =
      product === 'Milvus' && mode === 0
        ? ` The port speaks plaintext: Milvus tlsMode is 0 in the effective config${facts?.configFile ? ` (${path.basename(facts.configFile)})` : ''}, so clients must connect without TLS, or set common.security.tlsMode to 1 or 2 and restart Milvus.`
        : product === 'Milvus' && (mode === 1 || mode === 2)
          ? ` The config says tlsMode ${mode}, but the running server speaks plaintext: it was not restarted with this config, or it reads another milvus.yaml.`
          : input.protocol === 'postgres-direct' && h.plaintextReply[0] === 0x45
            ? ' PostgreSQL before 17 answers a direct TLS ClientHello with an error: use the SSLRequest (sslnegotiation=postgres).'
            : '';
    fail('probe-plaintext', `${where} does not speak TLS: it answered our ClientHello with ${reply}.${because}`);
    return result;
  }
  if (h.stage === 'handshake') {
    const alert = h.alert;
    if (alert === 70)
      fail(
        'probe-protocol-version',
        `The server refused every TLS version we offer (alert protocol_version): it needs TLS 1.0/1.1 or something other than TLS.`,
      );
    else if (alert === 120)
      fail(
        'probe-alpn-refused',
        `The server refused the ALPN protocols we offered (${input.alpn.join(', ')}) with alert no_application_protocol.`,
      );
    else if (
      alert !== undefined &&
      (CLIENT_CERT_ALERTS.has(alert) || (alert === 40 && h.transcript?.certificateRequested && !h.transcript.clientCertificateSent))
    ) {
      // TLS 1.2: the server judges the client certificate inside the handshake.
      result.clientCertificate.requested = true;
      result.clientCertificate.sent = h.transcript?.clientCertificateSent ?? (configured ? true : false);
      result.clientCertificate.accepted = false;
      clientRejected(alert);
    } else if (h.timedOut)
      fail(
        'probe-timeout',
        `The TLS handshake with ${where} did not finish within ${input.timeoutMs} ms: the port accepts connections but does not answer TLS.`,
      );
    else if (h.errorCode === 'ECONNRESET' || !h.errorCode)
      fail(
        'probe-handshake-closed',
        `${where} closed the connection during the TLS handshake without an alert: it may speak plaintext (a plain gRPC/HTTP/2 or HTTP server drops a ClientHello), or it only accepts other TLS versions.${product === 'Milvus' && mode === 0 ? ' Milvus tlsMode is 0 in the effective config: this port speaks plaintext.' : ''}${input.protocol === 'postgres-direct' ? ' PostgreSQL before 17 closes the connection on a direct TLS ClientHello (sslnegotiation=direct): use the SSLRequest (--protocol postgres).' : ''}`,
      );
    else
      fail('probe-handshake-failed', `The TLS handshake with ${where} failed: ${tidy(h.errorMessage ?? h.errorCode ?? 'unknown error')}.`);
    if (h.transcript?.certificateRequested !== undefined) result.clientCertificate.requested = h.transcript.certificateRequested;
    return result;
  }

  // --- the handshake completed: the server certificate ------------------------------
  if (leaf) {
    result.verification.chain = !h.authorizationError;
    result.verification.reason = h.authorizationError ?? null;
    const nameErr = checkServerIdentity(input.serverName, { subject: {}, subjectaltname: leaf.x509.subjectAltName ?? '' } as never);
    // Go and gRPC ignore the CN; so do we (an empty subject above).
    result.verification.name = !nameErr;
    if (h.authorizationError) {
      const why = VERIFY_REASONS[h.authorizationError] ?? h.authorizationError;
      if (h.authorizationError === 'CERT_HAS_EXPIRED' || leaf.notAfter < now) {
        fail(
          'probe-server-cert-expired',
          `The server certificate ${leaf.subject} expired on ${leaf.notAfter.toISOString().slice(0, 10)}: every client refuses it. Renew it${facts?.serverCert ? ` (${path.basename(facts.serverCert)})` : ''} and restart the server.`,
        );
      } else if (h.authorizationError === 'CERT_NOT_YET_VALID') {
        fail(
          'probe-server-cert-not-yet-valid',
          `The server certificate is valid only from ${leaf.notBefore.toISOString()}: check the clock of this machine or of the CA.`,
        );
      } else {
        const caNames = caCerts.map((c) => c.subject);
        fail(
          'probe-server-cert-untrusted',
          input.ca
            ? `The server certificate does not verify against ${shown(input.ca)}: ${why}. It is issued by ${leaf.issuer}; ${shown(input.ca)} holds ${caNames.length ? caNames.join('; ') : 'no certificate'}. Use the CA that signed the server certificate, or re-issue the server certificate from this CA.`
            : `The server certificate does not verify against the system roots: ${why} (issuer ${leaf.issuer}). Give the CA that signed it (--ca).`,
        );
      }
    }
    if (nameErr) {
      const sans = sansOf(leaf);
      fail(
        'probe-name-mismatch',
        `The server certificate is not valid for "${input.serverName}": its SANs are ${sans.length ? sans.join(', ') : 'absent (CN-only; Go and gRPC ignore the CN)'}. Connect with one of those names (server_name / --servername), or re-issue the certificate with ${isIP(input.serverName) ? 'IP:' : 'DNS:'}${input.serverName} in its SANs.`,
      );
    }
    if (input.serverCert?.bytes) {
      const configuredLeaf = certsOf(input.serverCert)[0];
      if (configuredLeaf && configuredLeaf.sha256 !== leaf.sha256)
        add(
          'warning',
          'probe-server-cert-not-configured',
          `The certificate the server presents is not the one in ${displayPath(input.serverCert.path, facts)} (SHA-256 ${short(leaf.sha256)} presented, ${short(configuredLeaf.sha256)} in the file${configuredLeaf.notBefore > leaf.notBefore ? ', which is newer' : ''}): the server was not restarted since the file changed, or it reads other files (the container was not restarted?).`,
        );
    }
  } else fail('probe-no-certificate', 'The server completed the handshake without a certificate.');

  if (input.alpn.length && result.alpn === null)
    add(
      'warning',
      'probe-alpn-missing',
      `The server selected no ALPN protocol (we offered ${input.alpn.join(', ')}). gRPC clients (grpc-go 1.67+, pymilvus) require h2 and refuse the connection.`,
    );

  // --- after the handshake: the client certificate ----------------------------------
  const t = h.transcript;
  const cc = result.clientCertificate;
  if (t?.certificateRequested !== undefined) cc.requested = t.certificateRequested;
  if (t?.clientCertificateSent !== undefined) cc.sent = t.clientCertificateSent;
  if (h.after === 'alert' || (h.alert !== undefined && CLIENT_CERT_ALERTS.has(h.alert))) {
    cc.requested ??= true;
    cc.sent ??= h.alert === 116 ? false : configured;
    cc.accepted = false;
    if (h.alert !== undefined && CLIENT_CERT_ALERTS.has(h.alert)) clientRejected(h.alert);
    else
      fail(
        'probe-rejected-after-handshake',
        `The server ended the connection right after the handshake with ${tidy(h.errorMessage ?? 'an alert')}.`,
      );
  } else if (h.after === 'closed') {
    cc.accepted = cc.requested ? false : null;
    fail(
      'probe-closed-after-handshake',
      `The server closed the connection right after the handshake${cc.requested ? ', after asking for a client certificate: it rejected ours (or its absence) without saying why' : ''}.`,
    );
  } else {
    if (cc.requested) cc.accepted = true;
    if (cc.requested === false && configured)
      add(
        mode === 2 ? 'warning' : 'info',
        'probe-client-cert-not-requested',
        mode === 2
          ? `The config says tlsMode 2 (mutual TLS) but the server did not ask for a client certificate: it does not run this config (restart it?).`
          : `The server did not ask for a client certificate; ${shown(input.cert)} was not sent.`,
      );
    if (cc.requested && !cc.sent && cc.sent !== null) {
      if (input.facts?.clientCertRequired)
        fail(
          'probe-client-cert-required',
          `The server asked for a client certificate and none was sent: ${input.facts.clientCertRequired} Give the client certificate and key to test it.`,
        );
      else
        add(
          'info',
          'probe-client-cert-optional',
          'The server asked for a client certificate, accepted the connection without one, and would verify one if given.',
        );
    }
  }
  if (!result.error) {
    result.ok = true;
    result.exitCode = 0;
  }
  return result;

  function clientRejected(alert: number): void {
    const name = ALERT_NAMES[alert];
    if (alert === 116 || !configured || result.clientCertificate.sent === false) {
      fail(
        'probe-client-cert-required',
        `The server requires a client certificate (mutual TLS) and we had none to send (alert ${alert} ${name}).${product === 'Milvus' ? ' Milvus tlsMode 2 needs client.pem and client.key signed by caPemPath' : ' Give one with --cert and --key'}${input.cert?.error ? `; ${input.cert.path} could not be read` : ''}.`,
      );
      return;
    }
    const reasons: string[] = [];
    const c = clientLeaf;
    const cname = shown(input.cert);
    if (c) {
      const eku = c.extKeyUsage;
      if (eku && !eku.includes('clientAuth') && !eku.includes('anyExtendedKeyUsage'))
        reasons.push(`${cname} has EKU ${eku.join(', ')} only; a client certificate needs clientAuth`);
      if (c.notAfter < now) reasons.push(`${cname} expired on ${c.notAfter.toISOString().slice(0, 10)}`);
      if (c.notBefore > now) reasons.push(`${cname} is not valid before ${c.notBefore.toISOString()}`);
      const accepted = h.transcript?.acceptedCaNames ?? [];
      const der = Buffer.from(c.x509.raw);
      const iss = issuerDer(der);
      if (accepted.length && iss && !accepted.some((n) => n.equals(iss))) {
        reasons.push(
          `${cname} is issued by ${c.issuer}, but the server accepts client certificates from ${accepted.map(dnText).join('; ')} only`,
        );
      } else if (!accepted.length && caCerts.length && !caCerts.some((ca) => issuedBy(c.x509, ca.x509))) {
        reasons.push(
          `${cname} is issued by ${c.issuer}, not by ${shown(input.ca)} (${caCerts[0].subject}), the CA the server most likely verifies clients with`,
        );
      }
      if (input.key?.bytes && !keyMatches(c.x509, input.key.bytes)) reasons.push(`${shown(input.key)} is not the key of ${cname}`);
    } else reasons.push(`${cname} holds no certificate we could read`);
    const because = reasons.length ? `: ${reasons.join('; ')}` : '';
    fail(
      'probe-client-cert-rejected',
      `The server rejected the client certificate (alert ${alert} ${name})${because}.${alert === 48 && !because ? ' It does not chain to the CA the server verifies clients with.' : ''}`,
    );
  }
}

function issuedBy(cert: X509Certificate, ca: X509Certificate): boolean {
  try {
    return cert.checkIssued(ca) && cert.verify(ca.publicKey);
  } catch {
    return false;
  }
}

function keyMatches(cert: X509Certificate, keyPem: Uint8Array): boolean {
  try {
    return cert.checkPrivateKey(createPrivateKey(Buffer.from(keyPem)));
  } catch {
    return true; // an encrypted or unreadable key: TLS already said what it thinks of it
  }
}

function dnText(der: Buffer): string {
  try {
    return formatName(der, readTlv(der, 0));
  } catch {
    return der.toString('hex');
  }
}

function short(fp: string): string {
  return fp.slice(0, 23) + '…';
}

function displayPath(p: string, facts: ProbeFacts | undefined): string {
  if (facts?.configFile) {
    const rel = path.relative(path.dirname(facts.configFile), p);
    if (!rel.startsWith('..')) return rel;
  }
  return p;
}

function tidy(message: string): string {
  return message.replace(/^[0-9A-F]+:error:[0-9A-F]+:/i, '').replace(/\.$/, '');
}

/** A few words about the bytes a non-TLS port sent. */
export function describeBytes(b: Buffer | undefined): string {
  if (!b?.length) return 'nothing';
  if (b.length >= 9 && b[3] === 0x04 && b.readUIntBE(0, 3) % 6 === 0 && b[4] === 0)
    return 'an HTTP/2 SETTINGS frame (a plaintext gRPC / HTTP/2 server)';
  const text = b.toString('latin1');
  if (/^HTTP\/\d/.test(text)) return `an HTTP response ("${text.split('\r\n')[0].slice(0, 60)}"): a plaintext HTTP server`;
  if (b[0] === 0x45 && b.length >= 5) return 'a PostgreSQL ErrorResponse';
  if (b[0] === 0x4e && b.length === 1) return 'the PostgreSQL "N" (no TLS)';
  const printable = /^[\x20-\x7e\r\n\t]+$/.test(text);
  return printable
    ? `the text "${text
        .slice(0, 60)
        .replace(/[\r\n]+/g, ' ')
        .trim()}"`
    : `${b.length} bytes that are not TLS (${b.subarray(0, 8).toString('hex')}…)`;
}

export function opensslCommand(
  i: Pick<ExplainInput, 'host' | 'port' | 'serverName' | 'ca' | 'cert' | 'key' | 'alpn' | 'protocol'>,
): string {
  const q = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  const host = isIP(i.host) === 6 ? `[${i.host}]` : i.host;
  const args = ['openssl', 's_client', '-connect', q(`${host}:${i.port}`)];
  if (!isIP(i.serverName)) args.push('-servername', q(i.serverName), '-verify_hostname', q(i.serverName));
  else args.push('-verify_ip', q(i.serverName));
  if (i.ca) args.push('-CAfile', q(i.ca.path));
  if (i.cert) args.push('-cert', q(i.cert.path));
  if (i.key) args.push('-key', q(i.key.path));
  if (i.alpn.length) args.push('-alpn', q(i.alpn.join(',')));
  if (i.protocol === 'postgres') args.push('-starttls', 'postgres');
  args.push('-verify_return_error', '-brief', '</dev/null');
  return args.join(' ');
}
