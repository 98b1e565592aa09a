/**
 * A minimal, strict DER walker. Node's X509Certificate lacks extension detail
 * and @peculiar/x509 costs ~1.2 ms per certificate to construct and read,
 * which would blow the hover budget on a bundle; reading the handful of
 * extensions we need straight from the bytes is ~75x faster (figures in
 * decode.ts) and fully under our control.
 * Functions throw DerError on malformed input; decode.ts catches it.
 */

export class DerError extends Error {}

export interface Tlv {
  tag: number;
  /** Offset of the tag byte. */
  start: number;
  /** Offset of the first content byte. */
  body: number;
  /** Offset just past the content. */
  end: number;
}

export function readTlv(buf: Uint8Array, off: number, limit = buf.length): Tlv {
  if (off + 2 > limit) throw new DerError('truncated');
  const tag = buf[off];
  // Multi-byte tags never occur in the structures we read.
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag');
  let len = buf[off + 1];
  let p = off + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || p + n > limit) throw new DerError('bad length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p + i];
    p += n;
  }
  if (p + len > limit) throw new DerError('length beyond end');
  return { tag, start: off, body: p, end: p + len };
}

export function children(buf: Uint8Array, t: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let p = t.body;
  while (p < t.end) {
    const c = readTlv(buf, p, t.end);
    out.push(c);
    p = c.end;
  }
  return out;
}

export function expect(t: Tlv | undefined, tag: number): Tlv {
  if (!t || t.tag !== tag) throw new DerError(`expected tag ${tag}`);
  return t;
}

export function bytesOf(buf: Uint8Array, t: Tlv): Uint8Array {
  return buf.subarray(t.body, t.end);
}

export function whole(buf: Uint8Array, t: Tlv): Uint8Array {
  return buf.subarray(t.start, t.end);
}

export function hex(b: Uint8Array, sep = ''): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (i && sep ? sep : '') + b[i].toString(16).padStart(2, '0');
  return s;
}

export function oid(buf: Uint8Array, t: Tlv): string {
  expect(t, 0x06);
  const parts: number[] = [];
  let v = 0;
  for (let i = t.body; i < t.end; i++) {
    v = v * 128 + (buf[i] & 0x7f);
    if (!(buf[i] & 0x80)) {
      if (parts.length === 0) {
        const first = v < 80 ? Math.floor(v / 40) : 2;
        parts.push(first, v - first * 40);
      } else parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

export function integer(buf: Uint8Array, t: Tlv): number {
  expect(t, 0x02);
  let v = 0;
  for (let i = t.body; i < t.end; i++) v = v * 256 + buf[i];
  return v;
}

/** Decodes the string types that appear in names and SANs. */
export function str(buf: Uint8Array, t: Tlv): string {
  const b = bytesOf(buf, t);
  switch (t.tag) {
    case 0x1e: {
      // BMPString: UTF-16BE
      let s = '';
      for (let i = 0; i + 1 < b.length; i += 2) s += String.fromCharCode((b[i] << 8) | b[i + 1]);
      return s;
    }
    case 0x1c: {
      // UniversalString: UTF-32BE
      let s = '';
      for (let i = 0; i + 3 < b.length; i += 4)
        s += String.fromCodePoint(((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0);
      return s;
    }
    case 0x14:
      // T61String: treated as Latin-1, as OpenSSL does.
      return Buffer.from(b).toString('latin1');
    default:
      return Buffer.from(b).toString('utf8');
  }
}

/**
 * UTCTime / GeneralizedTime → Date. RFC 5280 wants seconds and Z; Go (cryptobyte's formats
 * "060102150405Z0700" and "20060102150405Z0700") and OpenSSL also read a +hhmm/-hhmm offset, and
 * UTCTime without seconds, so we do too rather than call such a certificate undecodable.
 */
export function time(buf: Uint8Array, t: Tlv): Date {
  const s = Buffer.from(bytesOf(buf, t)).toString('latin1');
  let m: RegExpMatchArray | null;
  let d: Date | undefined;
  let zone: string | undefined;
  if (t.tag === 0x17 && (m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?(Z|[+-]\d{4})$/.exec(s))) {
    const yy = Number(m[1]);
    d = new Date(Date.UTC(yy < 50 ? 2000 + yy : 1900 + yy, +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] ?? 0)));
    zone = m[7];
  } else if (t.tag === 0x18 && (m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?(?:\.\d+)?(Z|[+-]\d{4})$/.exec(s))) {
    d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] ?? 0)));
    // Date.UTC maps years 0-99 to 1900-1999; set the year on its own so year 1 stays year 1.
    if (+m[1] < 100) d.setUTCFullYear(+m[1]);
    zone = m[7];
  }
  if (!d || !zone) throw new DerError('bad time');
  if (zone !== 'Z') {
    const minutes = (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)));
    d = new Date(d.getTime() - minutes * 60_000);
  }
  return d;
}
