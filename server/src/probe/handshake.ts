/**
 * One live TLS handshake, the only place (with the rest of server/src/probe/)
 * that opens a socket, and only on an explicit user command. One TCP
 * connection, one handshake, one read: no retries. A connect timeout and an
 * overall deadline bound it; an AbortSignal cancels it.
 *
 * The server certificate is not rejected during the handshake
 * (rejectUnauthorized: false) so the presented chain can be shown; the
 * verdict on it is computed afterwards against the configured CA and name.
 * The private key is handed to Node's TLS for the client authentication only.
 */
import * as net from 'node:net';
import * as tls from 'node:tls';
import { Tap, readTranscript, type Transcript } from './records';

import type { ProbeProtocol } from './types';
export type { ProbeProtocol };

export interface HandshakeRequest {
  host: string;
  port: number;
  /** SNI and the name the certificate is verified for; default `host`. */
  serverName: string;
  /** PEM bytes; undefined = the system roots. */
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  alpn?: string[];
  protocol: ProbeProtocol;
  connectTimeoutMs: number;
  /** Overall deadline, from the first connect to the end of the post-handshake read. */
  timeoutMs: number;
  /** How long to wait after the handshake for the server's first word (TLS 1.3 rejects client certificates then). */
  settleMs?: number;
  signal?: AbortSignal;
}

export type Stage = 'connect' | 'sslrequest' | 'handshake' | 'after-handshake' | 'done';

export interface Handshake {
  /** How far we got. */
  stage: Stage;
  /** Address the socket connected to. */
  remoteAddress?: string;
  /** Node/OpenSSL error code (ECONNREFUSED, ERR_SSL_…) and our wording of it. */
  errorCode?: string;
  errorMessage?: string;
  /** A TLS alert from the server (description number, e.g. 42, 48, 116), when one arrived. */
  alert?: number;
  timedOut?: 'connect' | 'deadline';
  cancelled?: boolean;
  /** Postgres: the byte the server answered the SSLRequest with ('S', 'N', …). */
  sslResponse?: string;
  protocolVersion?: string;
  cipher?: string;
  alpn?: string | false;
  /** The presented chain as DER, leaf first. */
  chain: Buffer[];
  /** Node's verdict on the chain against the CA (undefined = verified). */
  authorizationError?: string;
  /** After the handshake: what the server did first. */
  after?: 'data' | 'ticket' | 'alert' | 'closed' | 'quiet';
  /** The first bytes the server sent, when they were not TLS (a plaintext port). */
  plaintextReply?: Buffer;
  transcript?: Transcript;
  elapsedMs: number;
}

const SSL_REQUEST = Buffer.from([0x00, 0x00, 0x00, 0x08, 0x04, 0xd2, 0x16, 0x2f]);
/** The HTTP/2 client preface and an empty SETTINGS frame: a gRPC server answers with its SETTINGS. */
const H2_PREFACE = Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'ascii'), Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0])]);

/** OpenSSL's alert names in Node's error codes → the alert description number. */
const ALERTS: Record<string, number> = {
  UNEXPECTED_MESSAGE: 10,
  BAD_RECORD_MAC: 20,
  HANDSHAKE_FAILURE: 40,
  BAD_CERTIFICATE: 42,
  UNSUPPORTED_CERTIFICATE: 43,
  CERTIFICATE_REVOKED: 44,
  CERTIFICATE_EXPIRED: 45,
  CERTIFICATE_UNKNOWN: 46,
  ILLEGAL_PARAMETER: 47,
  UNKNOWN_CA: 48,
  ACCESS_DENIED: 49,
  DECODE_ERROR: 50,
  DECRYPT_ERROR: 51,
  PROTOCOL_VERSION: 70,
  INSUFFICIENT_SECURITY: 71,
  INTERNAL_ERROR: 80,
  INAPPROPRIATE_FALLBACK: 86,
  USER_CANCELLED: 90,
  MISSING_EXTENSION: 109,
  UNSUPPORTED_EXTENSION: 110,
  UNRECOGNIZED_NAME: 112,
  CERTIFICATE_REQUIRED: 116,
  NO_APPLICATION_PROTOCOL: 120,
};

export function alertFromCode(code: string | undefined): number | undefined {
  const m = /^ERR_SSL_(?:SSLV3|TLSV1|TLSV13)_(?:ALERT_)?(.+)$/.exec(code ?? '');
  return m ? ALERTS[m[1]] : undefined;
}

export function handshake(req: HandshakeRequest): Promise<Handshake> {
  const started = Date.now();
  // An already cancelled test connects nowhere.
  if (req.signal?.aborted) return Promise.resolve({ stage: 'connect', chain: [], elapsedMs: 0, cancelled: true, errorCode: 'CANCELLED' });
  return new Promise<Handshake>((resolve) => {
    const h: Handshake = { stage: 'connect', chain: [], elapsedMs: 0 };
    let secure: tls.TLSSocket | undefined;
    let tap: Tap | undefined;
    const keylog: string[] = [];
    let settled = false;
    const timers: NodeJS.Timeout[] = [];

    const finish = (patch: Partial<Handshake> = {}) => {
      if (settled) return;
      settled = true;
      Object.assign(h, patch);
      for (const t of timers) clearTimeout(t);
      req.signal?.removeEventListener('abort', onAbort);
      if (tap) {
        h.transcript = readTranscript(tap, { version: h.protocolVersion, suite: h.cipher, keylog });
        if (h.alert === undefined && h.transcript.alert) h.alert = h.transcript.alert.description;
        if (h.transcript.notTls && h.transcript.firstBytes.length) h.plaintextReply = h.transcript.firstBytes;
      }
      keylog.length = 0;
      secure?.destroy();
      raw.destroy();
      h.elapsedMs = Date.now() - started;
      resolve(h);
    };
    const fail = (e: NodeJS.ErrnoException) => {
      const alert = alertFromCode(e.code);
      finish({ errorCode: e.code ?? 'ERROR', errorMessage: e.message, ...(alert !== undefined ? { alert } : {}) });
    };
    const onAbort = () => finish({ cancelled: true, errorCode: 'CANCELLED', errorMessage: 'cancelled' });
    req.signal?.addEventListener('abort', onAbort, { once: true });
    timers.push(
      setTimeout(() => finish({ timedOut: 'deadline', errorCode: 'ETIMEDOUT', errorMessage: 'overall deadline reached' }), req.timeoutMs),
    );

    const raw = net.connect({ host: req.host, port: req.port });
    const connectTimer = setTimeout(
      () => finish({ timedOut: 'connect', errorCode: 'ETIMEDOUT', errorMessage: `no TCP connection within ${req.connectTimeoutMs} ms` }),
      Math.min(req.connectTimeoutMs, req.timeoutMs),
    );
    timers.push(connectTimer);
    raw.once('error', fail);
    raw.once('connect', () => {
      clearTimeout(connectTimer);
      h.remoteAddress = raw.remoteAddress;
      if (req.protocol === 'postgres') {
        h.stage = 'sslrequest';
        raw.write(SSL_REQUEST);
        raw.once('data', (d: Buffer) => {
          h.sslResponse = String.fromCharCode(d[0]);
          if (d[0] !== 0x53) return finish({ plaintextReply: d.subarray(0, 64) });
          // Bytes after 'S' would be read as TLS from an attacker in the middle (CVE-2021-23214): refuse them.
          if (d.length > 1)
            return finish({ errorCode: 'EXTRA_BYTES', errorMessage: 'the server sent data after accepting the SSLRequest' });
          startTls();
        });
        raw.once('end', () => finish({ errorCode: 'ECONNRESET', errorMessage: 'the server closed the connection after the SSLRequest' }));
      } else startTls();
    });

    function startTls() {
      h.stage = 'handshake';
      raw.removeAllListeners('data');
      raw.removeAllListeners('end');
      tap = new Tap(raw);
      secure = tls.connect({
        socket: tap,
        // SNI may not carry an IP address (RFC 6066); the identity check below still uses the name.
        servername: net.isIP(req.serverName) ? undefined : req.serverName,
        ca: req.ca,
        cert: req.cert,
        key: req.key,
        ALPNProtocols: req.alpn?.length ? req.alpn : undefined,
        rejectUnauthorized: false,
        // The name is checked afterwards (explain.ts), the way Go and gRPC do: SANs only.
        checkServerIdentity: () => undefined,
      });
      secure.on('keylog', (line: Buffer) => keylog.push(line.toString('ascii')));
      secure.on('error', fail);
      secure.once('end', () =>
        finish({
          after: h.stage === 'after-handshake' ? 'closed' : undefined,
          errorCode: h.stage === 'after-handshake' ? undefined : 'ECONNRESET',
          errorMessage: h.stage === 'after-handshake' ? undefined : 'the server closed the connection during the handshake',
        }),
      );
      secure.once('close', () =>
        finish(
          h.stage === 'after-handshake'
            ? { after: 'closed' }
            : { errorCode: h.errorCode ?? 'ECONNRESET', errorMessage: h.errorMessage ?? 'the connection closed during the handshake' },
        ),
      );
      secure.once('secureConnect', () => {
        const s = secure!;
        h.stage = 'after-handshake';
        h.protocolVersion = s.getProtocol() ?? undefined;
        h.cipher = s.getCipher()?.standardName;
        h.alpn = s.alpnProtocol ?? false;
        h.chain = chainOf(s.getPeerCertificate(true));
        if (!s.authorized) h.authorizationError = String(s.authorizationError ?? 'UNKNOWN');
        // Read once: TLS 1.3 servers judge our certificate after our handshake is done. In TLS 1.2,
        // or when the server asked for no certificate, there is no verdict left to wait for.
        const early = readTranscript(tap!, { version: h.protocolVersion, suite: h.cipher, keylog });
        if (h.protocolVersion !== 'TLSv1.3' || early.certificateRequested === false) {
          if (h.alpn !== 'h2') return finish({ stage: 'done', after: 'quiet' });
        }
        const settle = Math.max(50, Math.min(req.settleMs ?? 1500, req.timeoutMs - (Date.now() - started) - 50));
        timers.push(setTimeout(() => finish({ stage: 'done', after: 'quiet' }), settle));
        s.once('session', () => finish({ stage: 'done', after: 'ticket' }));
        s.once('data', () => finish({ stage: 'done', after: 'data' }));
        if (h.alpn === 'h2') s.write(H2_PREFACE);
      });
    }
  }).then((h) => {
    // An error after the handshake is the server's verdict on us, not a broken handshake.
    if (h.after === undefined && h.stage === 'after-handshake' && h.errorCode) h.after = h.alert !== undefined ? 'alert' : 'closed';
    return h;
  });
}

function chainOf(leaf: tls.DetailedPeerCertificate): Buffer[] {
  const out: Buffer[] = [];
  const seen = new Set<string>();
  for (let c: tls.DetailedPeerCertificate | undefined = leaf; c && c.raw && !seen.has(c.fingerprint256); c = c.issuerCertificate) {
    seen.add(c.fingerprint256);
    out.push(Buffer.from(c.raw));
  }
  return out;
}
