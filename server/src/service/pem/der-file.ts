/** Binary DER files: which structure they hold, and the finding that says to convert them to PEM. */
import { children, readTlv } from './der';
import { describeLabel } from './labels';
import type { PemBlock, PemFraming } from './model';

/** Frames a DER file as one block plus its `pem-der` finding; undefined for bytes that are no structure we know. */
export function derFraming(bytes: Uint8Array): PemFraming | undefined {
  const label = derLabel(bytes);
  if (!label) return undefined;
  const zero = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const block: PemBlock = { label, range: zero, beginRange: zero, headers: {}, der: bytes };
  const convert = label.endsWith('PRIVATE KEY')
    ? '`openssl pkey -inform der -in FILE -out FILE.pem`'
    : label === 'CERTIFICATE REQUEST'
      ? '`openssl req -inform der -in FILE -out FILE.pem`'
      : label === 'PUBLIC KEY'
        ? '`openssl pkey -pubin -inform der -in FILE -out FILE.pem`'
        : '`openssl x509 -inform der -in FILE -out FILE.pem`';
  return {
    blocks: [block],
    problems: [
      {
        range: zero,
        code: 'pem-der',
        severity: 1,
        message: `This file is binary DER (${describeLabel(label)}), not PEM. Go (Milvus) and most clients read only PEM. Convert it with ${convert}.`,
      },
    ],
    binary: true,
  };
}

/** Recognises the DER structures people actually drop into a TLS folder. */
function derLabel(bytes: Uint8Array): string | undefined {
  try {
    const parts = children(bytes, readTlv(bytes, 0));
    const tags = parts.map((p) => p.tag);
    if (tags[0] === 0x30 && tags[1] === 0x30 && tags[2] === 0x03) {
      const inner = children(bytes, parts[0]);
      // TBSCertificate starts with [0] version or the serial; CertificationRequestInfo with INTEGER 0 then a Name.
      if (inner[0].tag === 0xa0 || inner.length >= 6) return 'CERTIFICATE';
      return 'CERTIFICATE REQUEST';
    }
    if (tags.length === 2 && tags[0] === 0x30 && tags[1] === 0x04) return 'ENCRYPTED PRIVATE KEY';
    if (tags.length === 2 && tags[0] === 0x30 && tags[1] === 0x03) return 'PUBLIC KEY';
    if (tags[0] === 0x02 && tags[1] === 0x30 && tags[2] === 0x04) return 'PRIVATE KEY';
    if (tags[0] === 0x02 && tags[1] === 0x04) return 'EC PRIVATE KEY';
    if (tags.length >= 9 && tags.every((t) => t === 0x02)) return 'RSA PRIVATE KEY';
  } catch {
    return undefined;
  }
  return undefined;
}
