/**
 * A slot whose value is the PEM text itself (APISIX `cert: |`, nginx `data:…`,
 * Kubernetes `stringData`), not a path: decoded through pem/ like a file and
 * classified like pipeline.ts's loadSlot does for files, so the group checks
 * see the same LoadedSlot either way. Findings go on the value's range in the
 * document.
 */
import type { Diagnostic, Range } from 'vscode-languageserver-types';
import { diag, Severity } from '../types';
import { decodeFile } from '../pem/decode';
import { certificates, privateKeys, holds } from '../pem/files';
import type { FileContents } from '../pem/model';
import type { Settings } from '../types';
import type { LoadedSlot, Slot } from './slots';
import { lintPem } from './file-lint';

/** Whether a value is PEM text rather than a path or a reference. */
export function isInlinePem(value: string): boolean {
  return value.includes('-----BEGIN ');
}

/** Decoded once per distinct text: hover and validation of one document version share it. */
const cache = new Map<string, FileContents>();

export function decodeInline(text: string): FileContents {
  let c = cache.get(text);
  if (!c) {
    c = decodeFile(Buffer.from(text, 'utf8'));
    if (cache.size > 256) cache.clear();
    cache.set(text, c);
  }
  return c;
}

/**
 * The inline value as a loaded slot, or undefined (with a finding) when it
 * cannot take part. `where` names it in messages ("ssls[0].cert").
 */
export function loadInline(
  slot: Slot & { where: string; docPath: string },
  text: string,
  product: string,
  out: Diagnostic[],
): LoadedSlot | undefined {
  const wantCert = slot.role !== 'server-key' && slot.role !== 'client-key';
  const c = decodeInline(text);
  const certs = certificates(c.items);
  const keys = privateKeys(c.items);
  if ((wantCert && certs.length === 0) || (!wantCert && keys.length === 0)) {
    const swapped =
      wantCert && keys.length > 0
        ? ' It looks like the key and the certificate are swapped.'
        : !wantCert && certs.length > 0
          ? ' It looks like the certificate and the key are swapped.'
          : '';
    const broken = c.framing.problems.find((p) => p.severity === 1);
    out.push(
      diag(
        slot.range,
        Severity.Error,
        'tls-file-wrong-kind',
        `${slot.where} needs ${wantCert ? 'a PEM certificate' : 'a PEM private key'}, but holds ${holds(c)}${broken ? ` (${broken.message})` : ''}.${swapped}`,
      ),
    );
    return undefined;
  }
  if (!wantCert && keys[0].key.encrypted) {
    out.push(
      diag(
        slot.range,
        Severity.Error,
        'tls-key-encrypted',
        `${slot.where} is an encrypted private key (${keys[0].key.format}); ${product} cannot load it without the passphrase. Decrypt it: openssl pkey -in FILE -out FILE.unencrypted.`,
      ),
    );
    return undefined;
  }
  return { ...slot, hostPath: slot.docPath, items: c.items, inline: true };
}

/**
 * Where inline PEM sits in its document: a literal block scalar's value line i is document line
 * `firstLine + i`, shifted right by `indent` (so each lint lands on its exact line); any other
 * scalar (quoted, base64 once decoded) has no line mapping and its findings go on `range`.
 */
export interface InlinePlace {
  lineMap?: { firstLine: number; indent: number };
  range: Range;
}

/**
 * The PEM file lints of an inline value, placed in its document. No key-permission finding: the
 * text has no file mode of its own (a mounted Secret is 0644 unless defaultMode, the platform's choice).
 * `siblings` are the values beside it (a Secret's other keys), which tell a CA from a leaf.
 */
export function lintInline(
  text: string,
  place: InlinePlace,
  ctx: { settings: Settings; now: Date },
  siblings?: () => FileContents[],
): Diagnostic[] {
  return lintPem(text, { settings: ctx.settings, now: ctx.now, siblingFiles: siblings }).map((dg) => {
    const m = place.lineMap;
    if (!m) return { ...dg, range: place.range };
    return {
      ...dg,
      range: {
        start: { line: m.firstLine + dg.range.start.line, character: dg.range.start.character + m.indent },
        end: { line: m.firstLine + dg.range.end.line, character: dg.range.end.character + m.indent },
      },
    };
  });
}
