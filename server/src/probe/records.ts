/**
 * Reads our own TLS connection's records, to learn what Node's TLS API does not
 * say: whether the server sent a CertificateRequest (and which CAs it names),
 * whether we answered with a certificate, and which alert the server sent.
 *
 * TLS 1.2 handshakes are plaintext. In TLS 1.3 everything after ServerHello is
 * encrypted with the handshake traffic secrets, which Node hands us through the
 * `keylog` event for this one connection; we decrypt only the handshake flights,
 * never application data, and the secrets are not kept or shown anywhere.
 */
import { createDecipheriv, createHmac } from 'node:crypto';
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';

export type Direction = 'in' | 'out';

/** A duplex stream in front of a socket that remembers every byte in both directions (bounded). */
export class Tap extends Duplex {
  readonly chunks: { dir: Direction; bytes: Buffer }[] = [];
  private kept = 0;
  private static readonly LIMIT = 256 * 1024;

  constructor(
    private readonly socket: Socket,
    prefix?: Buffer,
  ) {
    super();
    if (prefix?.length) this.record('in', prefix);
    socket.on('data', (d: Buffer) => {
      this.record('in', d);
      if (!this.push(d)) socket.pause();
    });
    socket.on('end', () => this.push(null));
    socket.on('error', (e) => this.destroy(e));
    socket.on('close', () => this.destroy());
    if (prefix?.length) this.push(prefix);
  }

  private record(dir: Direction, bytes: Buffer): void {
    if (this.kept >= Tap.LIMIT) return;
    this.kept += bytes.length;
    this.chunks.push({ dir, bytes: Buffer.from(bytes) });
  }

  bytes(dir: Direction): Buffer {
    return Buffer.concat(this.chunks.filter((c) => c.dir === dir).map((c) => c.bytes));
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    this.record('out', chunk);
    this.socket.write(chunk, done);
  }

  override _final(done: (e?: Error | null) => void): void {
    this.socket.end();
    done();
  }

  override _destroy(err: Error | null, done: (e?: Error | null) => void): void {
    this.socket.destroy();
    done(err);
  }
}

export interface TlsRecord {
  type: number;
  payload: Buffer;
  header: Buffer;
}

/** Splits a byte stream into TLS records; stops at the first thing that is not one. */
export function records(buf: Buffer): { records: TlsRecord[]; notTls: boolean } {
  const out: TlsRecord[] = [];
  let p = 0;
  while (p + 5 <= buf.length) {
    const type = buf[p];
    if (type < 20 || type > 24 || buf[p + 1] !== 3) return { records: out, notTls: out.length === 0 };
    const len = buf.readUInt16BE(p + 3);
    if (p + 5 + len > buf.length) break;
    out.push({ type, header: buf.subarray(p, p + 5), payload: buf.subarray(p + 5, p + 5 + len) });
    p += 5 + len;
  }
  return { records: out, notTls: out.length === 0 && buf.length >= 5 };
}

export interface HandshakeMessage {
  type: number;
  body: Buffer;
}

function messages(stream: Buffer): HandshakeMessage[] {
  const out: HandshakeMessage[] = [];
  let p = 0;
  while (p + 4 <= stream.length) {
    const len = stream.readUIntBE(p + 1, 3);
    if (p + 4 + len > stream.length) break;
    out.push({ type: stream[p], body: stream.subarray(p + 4, p + 4 + len) });
    p += 4 + len;
  }
  return out;
}

const SUITES: Record<string, { cipher: string; hash: string; keyLen: number }> = {
  TLS_AES_128_GCM_SHA256: { cipher: 'aes-128-gcm', hash: 'sha256', keyLen: 16 },
  TLS_AES_256_GCM_SHA384: { cipher: 'aes-256-gcm', hash: 'sha384', keyLen: 32 },
  TLS_CHACHA20_POLY1305_SHA256: { cipher: 'chacha20-poly1305', hash: 'sha256', keyLen: 32 },
};

/** HKDF-Expand-Label of RFC 8446 §7.1, for outputs no longer than one hash block. */
function expandLabel(hash: string, secret: Buffer, label: string, length: number): Buffer {
  const full = Buffer.from(`tls13 ${label}`, 'ascii');
  const info = Buffer.concat([Buffer.from([length >> 8, length & 0xff, full.length]), full, Buffer.from([0]), Buffer.from([1])]);
  return createHmac(hash, secret).update(info).digest().subarray(0, length);
}

/** The handshake messages in TLS 1.3 encrypted records, decrypted with one handshake traffic secret. */
function decryptHandshake(recs: TlsRecord[], suiteName: string, secret: Buffer): HandshakeMessage[] {
  const suite = SUITES[suiteName];
  if (!suite) return [];
  const key = expandLabel(suite.hash, secret, 'key', suite.keyLen);
  const iv = expandLabel(suite.hash, secret, 'iv', 12);
  let seq = 0;
  const plain: Buffer[] = [];
  for (const r of recs) {
    if (r.type !== 23) continue;
    if (r.payload.length < 17) return messages(Buffer.concat(plain));
    const nonce = Buffer.from(iv);
    for (let i = 0; i < 8; i++) nonce[11 - i] ^= Math.floor(seq / 2 ** (8 * i)) & 0xff;
    seq++;
    try {
      const d = createDecipheriv(suite.cipher as 'aes-128-gcm', key, nonce, { authTagLength: 16 });
      d.setAAD(r.header);
      d.setAuthTag(r.payload.subarray(r.payload.length - 16));
      const inner = Buffer.concat([d.update(r.payload.subarray(0, r.payload.length - 16)), d.final()]);
      let end = inner.length - 1;
      while (end >= 0 && inner[end] === 0) end--;
      if (end < 0 || inner[end] !== 22) break; // an alert or application data: the handshake flight is over
      plain.push(inner.subarray(0, end));
      // Finished (20) closes the flight; what follows uses the application secrets.
      if (messages(Buffer.concat(plain)).some((m) => m.type === 20)) break;
    } catch {
      break; // not under this key: the handshake flight is over
    }
  }
  return messages(Buffer.concat(plain));
}

export interface Transcript {
  /** The server sent a CertificateRequest. Undefined when we could not see (TLS 1.3 without the secrets). */
  certificateRequested?: boolean;
  /** Distinguished names (DER) of the CAs the server accepts client certificates from, when it listed them. */
  acceptedCaNames: Buffer[];
  /** We answered with a non-empty Certificate message. */
  clientCertificateSent?: boolean;
  /** A plaintext alert the server sent: [level, description]. */
  alert?: { level: number; description: number };
  /** The server's first bytes did not look like TLS at all. */
  notTls: boolean;
  /** The first bytes the server sent, for "what does this port speak". */
  firstBytes: Buffer;
}

/** What the captured bytes say; `keylog` lines and the negotiated suite unlock TLS 1.3. */
export function readTranscript(tap: Tap, opts: { version?: string; suite?: string; keylog: string[] }): Transcript {
  const inBytes = tap.bytes('in');
  const outBytes = tap.bytes('out');
  const inRecs = records(inBytes);
  const outRecs = records(outBytes);
  const t: Transcript = { acceptedCaNames: [], notTls: inRecs.notTls, firstBytes: inBytes.subarray(0, 64) };
  // Plaintext alerts are two bytes; a longer one is encrypted (after ChangeCipherSpec).
  const alert = inRecs.records.find((r) => r.type === 21 && r.payload.length === 2);
  if (alert) t.alert = { level: alert.payload[0], description: alert.payload[1] };
  const plainIn = messages(beforeCcs(inRecs.records));
  const plainOut = messages(beforeCcs(outRecs.records));
  let serverMsgs = plainIn;
  let clientMsgs = plainOut.filter((m) => m.type !== 1);
  if (opts.version === 'TLSv1.3') {
    const secret = (label: string) => {
      const line = opts.keylog.find((l) => l.startsWith(label + ' '));
      return line ? Buffer.from(line.trim().split(/\s+/)[2] ?? '', 'hex') : undefined;
    };
    const s = secret('SERVER_HANDSHAKE_TRAFFIC_SECRET');
    const c = secret('CLIENT_HANDSHAKE_TRAFFIC_SECRET');
    if (!s || !opts.suite || !SUITES[opts.suite]) return t;
    serverMsgs = decryptHandshake(inRecs.records, opts.suite, s);
    clientMsgs = c ? decryptHandshake(outRecs.records, opts.suite, c) : [];
    if (!serverMsgs.some((m) => m.type === 20)) return t; // could not read the server's flight
  } else if (!plainIn.some((m) => m.type === 14)) {
    // TLS 1.2 without ServerHelloDone: the handshake did not get that far.
    return t;
  }
  const req = serverMsgs.find((m) => m.type === 13);
  t.certificateRequested = !!req;
  if (req) t.acceptedCaNames = caNames(req.body, opts.version === 'TLSv1.3');
  const cert = clientMsgs.find((m) => m.type === 11);
  if (req) t.clientCertificateSent = !!cert && certificateCount(cert.body, opts.version === 'TLSv1.3') > 0;
  return t;
}

/** The handshake bytes sent in the clear: every handshake record before the first ChangeCipherSpec. */
function beforeCcs(recs: TlsRecord[]): Buffer {
  const end = recs.findIndex((r) => r.type === 20);
  return Buffer.concat((end < 0 ? recs : recs.slice(0, end)).filter((r) => r.type === 22).map((r) => r.payload));
}

function caNames(body: Buffer, tls13: boolean): Buffer[] {
  try {
    let list: Buffer | undefined;
    if (tls13) {
      let p = 1 + body[0];
      const extEnd = p + 2 + body.readUInt16BE(p);
      p += 2;
      while (p + 4 <= extEnd) {
        const type = body.readUInt16BE(p);
        const len = body.readUInt16BE(p + 2);
        if (type === 47) list = body.subarray(p + 6, p + 4 + len);
        p += 4 + len;
      }
    } else {
      let p = 1 + body[0];
      p += 2 + body.readUInt16BE(p);
      list = body.subarray(p + 2, p + 2 + body.readUInt16BE(p));
    }
    const out: Buffer[] = [];
    for (let p = 0; list && p + 2 <= list.length;) {
      const len = list.readUInt16BE(p);
      out.push(list.subarray(p + 2, p + 2 + len));
      p += 2 + len;
    }
    return out;
  } catch {
    return [];
  }
}

function certificateCount(body: Buffer, tls13: boolean): number {
  try {
    const p = tls13 ? 1 + body[0] : 0;
    return body.readUIntBE(p, 3) > 0 ? 1 : 0;
  } catch {
    return 0;
  }
}
