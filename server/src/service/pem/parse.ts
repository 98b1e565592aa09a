/**
 * PEM framing: finds BEGIN/END blocks, their headers and bodies, with exact
 * LSP ranges, and describes every framing problem where it happens. The rules
 * follow what Go's encoding/pem and OpenSSL's PEM reader actually accept, so
 * a finding here predicts a failure in Milvus or its clients.
 */
import type { Range } from 'vscode-languageserver-types';
import { LineIndex } from '../text';
import type { PemBlock, PemFraming } from './model';
import { readTlv } from './der';

type Problem = PemFraming['problems'][number];

const BEGIN = /^-----BEGIN ([^-]*)-----$/;
const END = /^-----END ([^-]*)-----$/;
const BASE64_LINE = /^[A-Za-z0-9+/]*={0,2}$/;
/** openssl pkcs12 / `openssl x509 -subject` decorations that commonly precede blocks in bundles. */
const METADATA_FIRST = /^(Bag Attributes|Key Attributes|subject\s*=|issuer\s*=)/;
const METADATA_LINE = /^(Bag Attributes|Key Attributes|subject\s*=|issuer\s*=)|^\s+\S|^\s*<No Attributes>\s*$/;

export function decodeText(bytes: Uint8Array): string {
  // Lenient: invalid UTF-8 becomes U+FFFD, which binary detection then notices.
  return new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(bytes);
}

/** True when the bytes are exactly one DER SEQUENCE (a certificate, key or CSR in binary form). */
export function looksLikeDer(bytes: Uint8Array): boolean {
  if (bytes.length < 4 || bytes[0] !== 0x30) return false;
  try {
    return readTlv(bytes, 0).end === bytes.length;
  } catch {
    return false;
  }
}

function looksBinary(text: string): boolean {
  const n = Math.min(text.length, 4096);
  let odd = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return true;
    if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) odd++;
  }
  return n > 0 && odd / n > 0.05;
}

interface Open {
  label: string;
  line: number;
  headers: Record<string, string>;
  inHeaders: boolean;
  /** A malformed boundary inside the block was already reported; the body is unusable. */
  broken?: boolean;
  body: { line: number; text: string; range: Range }[];
}

const TEXT_DUMP_FIRST = /^(Certificate|Certificate Request|Certificate Revocation List \(CRL\)):\s*$/;

export function parsePem(text: string): PemFraming {
  const idx = new LineIndex(text);
  const problems: Problem[] = [];
  const blocks: PemBlock[] = [];
  const lineRange = (line: number): Range => trimmedRange(idx, line);

  if (text.charCodeAt(0) === 0xfeff) {
    problems.push({
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
      code: 'pem-bom',
      severity: 2,
      message:
        'The file starts with a UTF-8 byte order mark (BOM). OpenSSL-based readers (pymilvus/gRPC, curl) then miss the first BEGIN line. Save the file as UTF-8 without BOM.',
    });
  }

  if (!text.includes('-----BEGIN') && !text.includes('-----END')) {
    if (looksBinary(text)) {
      problems.push({
        range: lineRange(0),
        code: 'pem-binary',
        severity: 1,
        message:
          'This file is binary, not PEM text. Go (Milvus) reads only PEM. If it is a DER certificate, convert it with `openssl x509 -inform der -in FILE -out FILE.pem`; for a DER key use `openssl pkey -inform der`.',
      });
      return { blocks, problems, binary: true };
    }
    const lines: number[] = [];
    for (let l = 0; l < idx.lineCount; l++) if (idx.lineText(l).trim() !== '' && idx.lineText(l) !== '\ufeff') lines.push(l);
    if (lines.length) {
      const allBase64 = lines.every((l) =>
        BASE64_LINE.test(
          idx
            .lineText(l)
            .trim()
            .replace(/^\ufeff/, ''),
        ),
      );
      problems.push({
        range: spanRange(idx, lines[0], lines[lines.length - 1]),
        code: 'pem-no-blocks',
        severity: 1,
        message: allBase64
          ? 'This looks like base64 without the PEM armour lines. Add `-----BEGIN CERTIFICATE-----` (or the matching label) before it and `-----END CERTIFICATE-----` after it.'
          : 'No `-----BEGIN ...-----` line found: this is not a PEM file. Put the certificate or key here in PEM form (BEGIN line, base64 body, END line).',
      });
    }
    return { blocks, problems, binary: false };
  }

  let open: Open | undefined;
  // Non-blank lines outside any block, reported as one finding per gap between blocks.
  let outside: number[] = [];

  const flushOutside = () => {
    if (!outside.length) return;
    const first = outside[0];
    const last = outside[outside.length - 1];
    const metadata =
      METADATA_FIRST.test(idx.lineText(first).replace(/^\ufeff/, '')) && outside.every((l) => METADATA_LINE.test(idx.lineText(l)));
    // `openssl x509 -text` (the default output of `openssl ca`) puts its dump before the block, often under a title line.
    const dump = outside.some((l) => TEXT_DUMP_FIRST.test(idx.lineText(l).replace(/^\ufeff/, '')));
    problems.push(
      dump
        ? {
            range: spanRange(idx, first, last),
            code: 'pem-bundle-metadata',
            severity: 3,
            message:
              'The `openssl x509 -text` dump of the certificate (what `openssl ca` writes) before its PEM block. Go and OpenSSL skip it; remove it only if a strict tool complains.',
          }
        : metadata
          ? {
              range: spanRange(idx, first, last),
              code: 'pem-bundle-metadata',
              severity: 3,
              message:
                'OpenSSL attribute text (Bag Attributes / subject= / issuer=) outside the PEM blocks. Go and OpenSSL ignore it; strict tools may not. Remove it if a tool complains.',
            }
          : {
              range: spanRange(idx, first, last),
              code: 'pem-data-outside-blocks',
              severity: 2,
              message:
                'Text outside the BEGIN/END blocks. Go and OpenSSL skip it, but stricter parsers reject it and it often means a paste went wrong. Remove it, or check that no block lost its BEGIN/END line.',
            },
    );
    outside = [];
  };

  const close = (o: Open, endLine: number) => {
    const range = spanRange(idx, o.line, endLine);
    const block: PemBlock = { label: o.label, range, beginRange: lineRange(o.line), headers: o.headers };
    const der = decodeBody(o, problems, lineRange(o.line));
    if (der) block.der = der;
    blocks.push(block);
  };

  for (let line = 0; line < idx.lineCount; line++) {
    let raw = idx.lineText(line);
    if (line === 0) raw = raw.replace(/^\ufeff/, '');
    const trimmed = raw.trim();
    const begin = BEGIN.exec(trimmed);
    const end = begin ? null : END.exec(trimmed);

    if (begin || end) {
      if (/^\s/.test(raw)) {
        problems.push({
          range: lineRange(line),
          code: 'pem-indented',
          severity: 1,
          message: `The ${begin ? 'BEGIN' : 'END'} line is indented. Go and OpenSSL only recognise it at the very start of a line, so this block is invisible to them. Remove the leading whitespace.`,
        });
      }
    } else if (/^-----(BEGIN|END)\b/.test(trimmed)) {
      problems.push({
        range: lineRange(line),
        code: 'pem-bad-boundary',
        severity: 1,
        message:
          'Malformed BEGIN/END line: it must be exactly `-----BEGIN LABEL-----` alone on its line (the body starts on the next line). Line breaks were probably lost in a copy/paste; restore them.',
      });
      if (open) open.broken = true;
      continue;
    }

    if (begin) {
      flushOutside();
      if (open) {
        problems.push({
          range: lineRange(open.line),
          code: 'pem-begin-without-end',
          severity: 1,
          message: `\`BEGIN ${open.label}\` has no END line before the next BEGIN (line ${line + 1}), so Go and OpenSSL cannot read it. Add \`-----END ${open.label}-----\` after its body.`,
        });
      }
      open = { label: begin[1].trim(), line, headers: {}, inHeaders: true, body: [] };
      continue;
    }

    if (end) {
      const label = end[1].trim();
      if (!open) {
        const bodyBefore = outside.length > 0 && outside.every((l) => BASE64_LINE.test(idx.lineText(l).trim()));
        if (bodyBefore) outside = [];
        flushOutside();
        problems.push({
          range: lineRange(line),
          code: 'pem-end-without-begin',
          severity: 1,
          message: `\`END ${label}\` without a matching BEGIN line. ${bodyBefore ? 'The lines above look like its body: add' : 'Add'} \`-----BEGIN ${label}-----\` before the body, or remove this line.`,
        });
        continue;
      }
      if (label !== open.label) {
        problems.push({
          range: lineRange(line),
          code: 'pem-label-mismatch',
          severity: 1,
          message: `\`END ${label}\` does not match \`BEGIN ${open.label}\` (line ${open.line + 1}); Go and OpenSSL reject the block. Make both labels \`${open.label}\`.`,
        });
      }
      close(open, line);
      open = undefined;
      continue;
    }

    if (!open) {
      if (trimmed !== '') outside.push(line);
      continue;
    }

    if (open.inHeaders) {
      if (trimmed === '') {
        if (Object.keys(open.headers).length) open.inHeaders = false;
        continue;
      }
      const colon = trimmed.indexOf(':');
      if (colon > 0) {
        open.headers[trimmed.slice(0, colon).trim()] = trimmed.slice(colon + 1).trim();
        continue;
      }
      open.inHeaders = false;
    }
    if (trimmed !== '') open.body.push({ line, text: trimmed, range: lineRange(line) });
  }

  if (open) {
    problems.push({
      range: lineRange(open.line),
      code: 'pem-begin-without-end',
      severity: 1,
      message: `\`BEGIN ${open.label}\` has no END line, so Go and OpenSSL cannot read it. Add \`-----END ${open.label}-----\` after its body.`,
    });
  }
  flushOutside();
  // Reported in document order, whatever order the scan found them in.
  problems.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return { blocks, problems, binary: false };
}

/** Strict base64, as Go's decoder is: valid alphabet, padding only at the end, length a multiple of 4. */
function decodeBody(o: Open, problems: Problem[], beginRange: Range): Uint8Array | undefined {
  if (o.broken) return undefined;
  if (o.body.length === 0) {
    problems.push({
      range: beginRange,
      code: 'pem-bad-base64',
      severity: 1,
      message: `The ${o.label} block is empty. Paste the base64 body between the BEGIN and END lines.`,
    });
    return undefined;
  }
  let joined = '';
  for (let i = 0; i < o.body.length; i++) {
    const b = o.body[i];
    const last = i === o.body.length - 1;
    // Go strips spaces and tabs inside the body before decoding; so do we.
    const t = b.text.replace(/\s+/g, '');
    if (!BASE64_LINE.test(t) || (!last && t.includes('='))) {
      problems.push({
        range: b.range,
        code: 'pem-bad-base64',
        severity: 1,
        message:
          t.includes('=') && BASE64_LINE.test(t)
            ? 'Base64 padding (`=`) in the middle of the body: part of the block is missing or two blocks were merged. Copy the block again from its source.'
            : 'This line is not valid base64 (only A-Z, a-z, 0-9, +, / and trailing = are allowed), so the block cannot be decoded. Copy the block again from its source.',
      });
      return undefined;
    }
    joined += t;
  }
  if (joined.length % 4 !== 0) {
    const b = o.body[o.body.length - 1];
    problems.push({
      range: b.range,
      code: 'pem-bad-base64',
      severity: 1,
      message: 'The base64 body is truncated (its length is not a multiple of 4). Copy the whole block again from its source.',
    });
    return undefined;
  }
  return new Uint8Array(Buffer.from(joined, 'base64'));
}

function trimmedRange(idx: LineIndex, line: number): Range {
  const t = idx.lineText(line);
  let s = 0;
  while (s < t.length && (t.charCodeAt(s) <= 32 || t.charCodeAt(s) === 0xfeff)) s++;
  let e = t.length;
  while (e > s && t.charCodeAt(e - 1) <= 32) e--;
  return { start: { line, character: s }, end: { line, character: e } };
}

function spanRange(idx: LineIndex, first: number, last: number): Range {
  return { start: trimmedRange(idx, first).start, end: trimmedRange(idx, last).end };
}
