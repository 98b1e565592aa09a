/**
 * The name checks Go's crypto/x509 makes while parsing a certificate (src/crypto/x509/parser.go:
 * parseSANExtension, parseNameConstraintsExtension, isValidIPMask; verify.go: domainToReverseLabels).
 * A certificate that fails one is refused by x509.ParseCertificate, so Milvus's tls.LoadX509KeyPair
 * refuses a leaf with it and a Go client refuses a chain that carries it. OpenSSL reads the same
 * certificates, which is why our own decoder must not stop at them: it keeps the names and we say
 * what Go says, word for word (checked against Debian's Go in test/unit/tls-go-names.test.ts).
 */
import { bytesOf, children, expect, type Tlv } from './der';

/** Go's isIA5String: every rune of the bytes read as UTF-8 is ASCII (a byte ≥ 0x80 never is). */
function isIA5(b: Uint8Array): boolean {
  for (const x of b) if (x > 0x7f) return false;
  return true;
}

/** Go's domainToReverseLabels: no empty label (so no leading, trailing or double dot), printable ASCII only. */
function goDomainOk(domain: string): boolean {
  if (domain.length === 0) return true;
  for (const label of domain.split('.')) {
    if (label.length === 0) return false;
    for (let i = 0; i < label.length; i++) {
      const c = label.charCodeAt(i);
      if (c < 33 || c > 126) return false;
    }
  }
  return true;
}

/**
 * The parts of Go's url.Parse that can fail on a URI SAN, and the host it then checks. A subset
 * (control bytes, a leading colon, bad %-escapes, an unclosed IPv6 bracket, a non-numeric port):
 * the failures a mistyped SAN produces; anything else we let through, as silence is safer than a
 * refusal Go does not make.
 */
function goUriProblem(uri: string): string | undefined {
  if ([...uri].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f))
    return `x509: cannot parse URI ${goQuote(uri)}: parse ${goQuote(uri)}: net/url: invalid control character in URL`;
  if (uri.startsWith(':')) return `x509: cannot parse URI ${goQuote(uri)}: parse ${goQuote(uri)}: missing protocol scheme`;
  const bad = /%(?![0-9a-fA-F]{2})(.{0,2})/.exec(uri);
  if (bad) return `x509: cannot parse URI ${goQuote(uri)}: parse ${goQuote(uri)}: invalid URL escape ${goQuote('%' + bad[1])}`;
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:/.exec(uri);
  const rest = scheme ? uri.slice(scheme[0].length) : uri;
  if (!rest.startsWith('//')) return undefined;
  const authority = rest.slice(2).split(/[/?#]/, 1)[0];
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    if (close < 0) return `x509: cannot parse URI ${goQuote(uri)}: parse ${goQuote(uri)}: missing ']' in host`;
    const port = host.slice(close + 1);
    if (port && !/^:\d*$/.test(port))
      return `x509: cannot parse URI ${goQuote(uri)}: parse ${goQuote(uri)}: invalid port ${goQuote(port)} after host`;
  } else {
    const colon = host.lastIndexOf(':');
    if (colon >= 0 && !/^\d*$/.test(host.slice(colon + 1)))
      return `x509: cannot parse URI ${goQuote(uri)}: parse ${goQuote(uri)}: invalid port ${goQuote(host.slice(colon))} after host`;
  }
  if (host.length > 0 && !goDomainOk(host)) return `x509: cannot parse URI ${goQuote(uri)}: invalid domain`;
  return undefined;
}

/** Go's %q for the ASCII strings these messages quote. */
function goQuote(s: string): string {
  return JSON.stringify(s).replace(/\\u00([0-9a-f]{2})/g, '\\x$1');
}

/** What Go's parseSANExtension refuses in a SubjectAltName SEQUENCE, in its words; undefined when Go reads it. */
export function goSanRefusal(der: Uint8Array, seq: Tlv): string | undefined {
  for (const n of children(der, expect(seq, 0x30))) {
    const body = bytesOf(der, n);
    const text = Buffer.from(body).toString('latin1');
    switch (n.tag) {
      case 0x81:
        if (!isIA5(body)) return 'x509: SAN rfc822Name is malformed';
        break;
      case 0x82:
        if (!isIA5(body)) return 'x509: SAN dNSName is malformed';
        break;
      case 0x86: {
        if (!isIA5(body)) return 'x509: SAN uniformResourceIdentifier is malformed';
        const p = goUriProblem(text);
        if (p) return p;
        break;
      }
      case 0x87:
        if (body.length !== 4 && body.length !== 16) return `x509: cannot parse IP address of length ${body.length}`;
        break;
    }
  }
  return undefined;
}

/** Go's isValidIPMask: ones, then zeros, byte by byte. */
function validMask(mask: Uint8Array): boolean {
  let seenZero = false;
  for (const b of mask) {
    if (seenZero) {
      if (b !== 0) return false;
      continue;
    }
    if ([0x00, 0x80, 0xc0, 0xe0, 0xf0, 0xf8, 0xfc, 0xfe].includes(b)) seenZero = true;
    else if (b !== 0xff) return false;
  }
  return true;
}

const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** What Go's parseNameConstraintsExtension refuses in a NameConstraints value, in its words. */
export function goNameConstraintsRefusal(der: Uint8Array, value: Tlv): string | undefined {
  const parts = children(der, expect(value, 0x30));
  const subtreeLists = parts.filter((t) => t.tag === 0xa0 || t.tag === 0xa1);
  if (subtreeLists.length !== parts.length) return 'x509: invalid NameConstraints extension';
  if (subtreeLists.every((t) => t.end === t.body)) return 'x509: empty name constraints extension';
  for (const list of subtreeLists) {
    for (const subtree of children(der, list)) {
      if (subtree.tag !== 0x30) return 'x509: invalid NameConstraints extension';
      const base = children(der, subtree)[0];
      if (!base) return 'x509: invalid NameConstraints extension';
      const body = bytesOf(der, base);
      const text = Buffer.from(body).toString(isIA5(body) ? 'latin1' : 'utf8');
      const trimmed = text.startsWith('.') ? text.slice(1) : text;
      switch (base.tag) {
        case 0x82:
          if (!isIA5(body)) return `x509: invalid constraint value: x509: ${goQuote(text)} cannot be encoded as an IA5String`;
          if (!goDomainOk(trimmed)) return `x509: failed to parse dnsName constraint ${goQuote(text)}`;
          break;
        case 0x87: {
          if (body.length !== 8 && body.length !== 32) return `x509: IP constraint contained value of length ${body.length}`;
          const mask = body.slice(body.length / 2);
          if (!validMask(mask)) return `x509: IP constraint contained invalid mask ${hexOf(mask)}`;
          break;
        }
        case 0x81:
          if (!isIA5(body)) return `x509: invalid constraint value: x509: ${goQuote(text)} cannot be encoded as an IA5String`;
          if (!text.includes('@') && !goDomainOk(trimmed)) return `x509: failed to parse rfc822Name constraint ${goQuote(text)}`;
          break;
        case 0x86:
          if (!isIA5(body)) return `x509: invalid constraint value: x509: ${goQuote(text)} cannot be encoded as an IA5String`;
          if (/^(\d{1,3}\.){3}\d{1,3}$/.test(text) || (text.includes(':') && /^[0-9a-fA-F:.]+$/.test(text)))
            return `x509: failed to parse URI constraint ${goQuote(text)}: cannot be IP address`;
          if (!goDomainOk(trimmed)) return `x509: failed to parse URI constraint ${goQuote(text)}`;
          break;
      }
    }
  }
  return undefined;
}
