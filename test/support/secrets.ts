/**
 * What must never leave the server: every base64 line of a private key's body,
 * the whole key DER in base64 and hex, and the secret numbers themselves (EC d,
 * RSA d/p/q, Ed25519 d) in hex, colon-hex, base64 and base64url, since a
 * describer that prints fingerprints as colon-hex could print those too.
 */
import { createPrivateKey } from 'node:crypto';
import assert from 'node:assert/strict';

export interface Needle {
  what: string;
  text: string;
}

function forms(bytes: Buffer, what: string): Needle[] {
  const hex = bytes.toString('hex');
  const colon = (h: string) => h.match(/../g)!.join(':');
  return [
    { what: `${what} (hex)`, text: hex },
    { what: `${what} (HEX)`, text: hex.toUpperCase() },
    { what: `${what} (colon hex)`, text: colon(hex) },
    { what: `${what} (COLON HEX)`, text: colon(hex.toUpperCase()) },
    { what: `${what} (base64)`, text: bytes.toString('base64').replace(/=+$/, '') },
    { what: `${what} (base64url)`, text: bytes.toString('base64url') },
  ];
}

/** Needles for one private key PEM (unencrypted, or encrypted with `passphrase`). */
export function secretNeedles(text: string, label: string, passphrase?: string): Needle[] {
  const out: Needle[] = [];
  // Only the private key block(s): a certificate beside the key in the same file is public.
  const blocks = text.match(/-----BEGIN ([A-Z ]*PRIVATE KEY)-----[\s\S]*?-----END \1-----/g) ?? [];
  assert.ok(blocks.length > 0, `${label} holds no private key block`);
  const pem = blocks[0]!;
  for (const block of blocks) {
    const lines = block.split(/\r?\n/).map((x) => x.trim());
    // Every body line long enough not to occur by chance (a last line of "AQAB==" could).
    for (const l of lines)
      if (l && !l.startsWith('-----') && !l.includes(':') && l.length >= 16)
        out.push({ what: `${label}: a base64 line of the PEM body`, text: l });
    const body = lines.filter((l) => l && !l.startsWith('-----') && !l.includes(':')).join('');
    if (body.length >= 16) out.push({ what: `${label}: the whole base64 body`, text: body });
  }
  let key;
  try {
    key = createPrivateKey(passphrase ? { key: pem, passphrase } : pem);
  } catch {
    return out; // OpenSSH format: the body lines are what we have
  }
  const der = key.export({ type: 'pkcs8', format: 'der' });
  out.push(...forms(der, `${label}: PKCS#8 DER`).filter((n) => n.what.includes('hex') || n.what.includes('HEX')));
  const jwk = key.export({ format: 'jwk' }) as Record<string, string | undefined>;
  for (const field of ['d', 'p', 'q', 'dp', 'dq', 'qi']) {
    const v = jwk[field];
    if (v) out.push(...forms(Buffer.from(v, 'base64url'), `${label}: private ${field}`));
  }
  return out;
}

/** Fails naming the first needle found in `haystack` and where it was found. */
export function assertNoSecret(haystack: string, needles: Needle[], where: string): void {
  for (const n of needles) {
    const i = haystack.indexOf(n.text);
    if (i >= 0) assert.fail(`${n.what} appears in ${where}: …${haystack.slice(Math.max(0, i - 80), i + n.text.length + 20)}…`);
  }
}
