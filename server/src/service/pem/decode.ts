/**
 * Turns PEM blocks (or a DER file) into the plain data of model.ts: the entry
 * point; each kind of block has its own file.
 *
 * Certificates (certificate.ts): Node's X509Certificate gives OpenSSL-formatted
 * names, fingerprints, the public key and the EKU; serial, dates, CN and the
 * other extensions come from a hand-written walk over the DER (der.ts,
 * cert-extensions.ts). That walk is why a hover on a big bundle stays inside
 * its budget: measured ~75x faster than @peculiar/x509 for the same fields
 * (16 vs 1,250 µs per certificate) and ~6x for a whole decode with Node's part
 * included, on 1,000 certificates (the Debian CA bundle plus generated EC/RSA
 * leaves; scripts/measure-der-walk.ts, node 20, median of 5 rounds).
 * CSRs (csr.ts, rare) use @peculiar/x509, loaded only when one is seen.
 *
 * Whatever a decoder throws becomes an error item in our own words: crypto's
 * error texts are never passed on.
 */
import { createPublicKey } from 'node:crypto';
import { decodeCertificate } from './certificate';
import { decodeCsr } from './csr';
import { derFraming } from './der-file';
import { CERT_LABELS, CSR_LABELS, describeLabel, isPrivateKeyLabel } from './labels';
import type { Decoded, FileContents, PemBlock } from './model';
import { decodeText, looksLikeDer, parsePem } from './parse';
import { decodePrivateKey } from './private-key';
import { publicKeyInfo } from './public-key';

export { generalNames } from './general-names';
export { publicKeyInfo } from './public-key';

export function decodeBlock(block: PemBlock): Decoded {
  const der = block.der;
  if (!der) return { kind: 'error', block, message: `The ${block.label} block's base64 body could not be decoded.` };
  const label = block.label;
  try {
    if (CERT_LABELS.has(label)) return { kind: 'certificate', block, cert: decodeCertificate(der) };
    if (isPrivateKeyLabel(label)) return { kind: 'privateKey', block, key: decodePrivateKey(block, der) };
    if (CSR_LABELS.has(label)) return { kind: 'csr', block, csr: decodeCsr(der) };
    if (label === 'PUBLIC KEY' || label === 'RSA PUBLIC KEY') {
      const key = createPublicKey({ key: Buffer.from(der), format: 'der', type: label === 'PUBLIC KEY' ? 'spki' : 'pkcs1' });
      return { kind: 'publicKey', block, publicKey: publicKeyInfo(key) };
    }
    return { kind: 'other', block };
  } catch {
    // Our own words only: crypto's messages are not ours to forward.
    return { kind: 'error', block, message: `The ${label} block's content is not a valid ${describeLabel(label)}.` };
  }
}

const BOM = [0xef, 0xbb, 0xbf];

export function decodeFile(bytes: Uint8Array): FileContents {
  const hasBom = bytes.length >= 3 && BOM.every((b, i) => bytes[i] === b);
  if (!hasBom && looksLikeDer(bytes)) {
    const framing = derFraming(bytes);
    if (framing) {
      const item = decodeBlock(framing.blocks[0]);
      return { framing, items: item.kind === 'error' ? [] : [item], der: true };
    }
  }
  const text = decodeText(bytes);
  const framing = parsePem(text);
  if (hasBom && !framing.binary) {
    framing.problems.unshift({
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      code: 'pem-bom',
      severity: 2,
      message:
        'The file starts with a UTF-8 byte order mark (BOM). OpenSSL-based readers (pymilvus/gRPC, curl) then miss the first BEGIN line. Save the file as UTF-8 without BOM.',
    });
  }
  const items = framing.binary ? [] : framing.blocks.map(decodeBlock);
  return { framing, items, der: false };
}
