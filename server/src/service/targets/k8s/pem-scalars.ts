/**
 * PEM written inside YAML scalars (a Secret's stringData / data, a chart's proxy.tls.crt): the PEM
 * file lints on the exact lines inside a literal block, the ways YAML loses a PEM's line breaks
 * (a plain or folded scalar: every newline becomes a space, and Go's pem.Decode then finds no
 * block), and base64 `data` that does not decode or decodes to base64 again.
 * A Secret mounted as files is mode 0644 unless defaultMode says otherwise, which is the
 * platform's choice, not the user's mistake: no key-permission finding here.
 */
import type { Diagnostic, Range } from 'vscode-languageserver-types';
import type { Scalar } from 'yaml';
import { diag, Severity, type Settings } from '../../types';
import type { ManifestFile } from '../../deploy/k8s/manifest';
import type { SecretEntry, SecretModel } from '../../deploy/k8s/secrets';
import { decodeInline, lintInline } from '../../tls/inline';
import { certificates, privateKeys } from '../../pem/files';
import type { FileContents } from '../../pem/model';

export interface PemFix {
  kind: 'k8s-pem-literal';
  /** The whole value, replaced by a literal block. */
  range: Range;
  newText: string;
}

/** A PEM whose line breaks YAML folded away: a plain scalar over several lines, a `>` block, a quoted string without \n. */
export function lostLineBreaks(s: Scalar | undefined, content: string): boolean {
  if (!s || !content.includes('-----BEGIN ')) return false;
  if (s.type === 'BLOCK_LITERAL') return false;
  return !/-----BEGIN [^\n]*-----\r?\n/.test(content);
}

/** The PEM as a literal block at `indent`: the source lines of a multi-line plain scalar, else the blocks re-wrapped at 64 columns. */
export function literalBlock(f: ManifestFile, s: Scalar, content: string, indent: number): string {
  const [a, b] = s.range ?? [0, 0];
  const src = f.text.slice(a, b);
  let lines: string[];
  const srcLines = src
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && l !== '>' && !/^>[-+]?\d*$/.test(l));
  if (s.type === 'PLAIN' && srcLines.length > 2 && /^-----BEGIN /.test(srcLines[0])) lines = srcLines;
  else {
    lines = [];
    const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
    for (let m = re.exec(content); m; m = re.exec(content)) {
      lines.push(`-----BEGIN ${m[1]}-----`);
      const body = m[2].trim();
      const b64 = body.replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/=]+$/.test(b64)) lines.push(body.replace(/\s+/g, ' '));
      else for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
      lines.push(`-----END ${m[1]}-----`);
    }
  }
  const pad = ' '.repeat(indent);
  return '|\n' + lines.map((l) => pad + l).join('\n');
}

/** Just after the `:` that ends a key, where a block scalar's header belongs. */
function afterColon(f: ManifestFile, keyRange: Range): Range['start'] {
  const line = f.lines.lineText(keyRange.end.line);
  const colon = line.indexOf(':', keyRange.end.character);
  return { line: keyRange.end.line, character: colon < 0 ? keyRange.end.character : colon + 1 };
}

/** The findings of one PEM-bearing value (`what` names it: "stringData server.pem of Secret certs"). */
export function checkPemValue(
  f: ManifestFile,
  e: SecretEntry,
  what: string,
  ctx: { settings: Settings; now: Date },
  out: Diagnostic[],
  siblings?: () => FileContents[],
): void {
  if (e.problem === 'not-base64') {
    out.push(
      diag(
        e.valueRange,
        Severity.Error,
        'k8s-secret-data-not-base64',
        / /.test(String(e.scalar?.value ?? '').trim()) && e.scalar?.type === 'PLAIN'
          ? `${what} is base64 spread over several lines without \`|\`: YAML joins the lines with spaces, which base64 does not allow (the API server rejects it: "illegal base64 data"). Write it on one line (base64 -w0 FILE) or as a literal block (\`${e.key}: |\`).`
          : `${what} is not base64, but Secret data values must be (the API server rejects it: "illegal base64 data"). Base64-encode it (base64 -w0 FILE), or move it to stringData as text.`,
      ),
    );
    return;
  }
  if (e.problem === 'double-base64') {
    out.push(
      diag(
        e.valueRange,
        Severity.Error,
        'k8s-secret-data-double-base64',
        `${what} is base64 of base64: it decodes to base64 text, not PEM, so the mounted file is not a certificate or key and Milvus fails to load it. Encode the PEM file once (base64 -w0 FILE), or put the PEM text under stringData.`,
      ),
    );
    return;
  }
  const content = e.content;
  if (content === undefined || !content.includes('-----BEGIN ')) return;
  if (e.from === 'stringData' && lostLineBreaks(e.scalar, content)) {
    const indent = e.keyRange.start.character + 2;
    out.push(
      diag(
        e.valueRange,
        Severity.Error,
        'k8s-pem-folded',
        `${what} is PEM written without \`|\`, so YAML folds its lines into one (${foldedShape(content)}) and Go's PEM reader finds no block in the mounted file. Write it as a literal block scalar: \`${e.key}: |\` with the PEM lines indented below.`,
        {
          fix: {
            kind: 'k8s-pem-literal',
            range: { start: afterColon(f, e.keyRange), end: e.valueRange.end },
            newText: ' ' + literalBlock(f, e.scalar!, content, indent),
          } satisfies PemFix,
        },
      ),
    );
    return;
  }
  out.push(...lintInline(content, { lineMap: e.lineMap, range: e.valueRange }, ctx, siblings));
}

/** A Secret's own findings: every PEM value, the keys a kubernetes.io/tls Secret needs, its pair. */
export function checkSecret(f: ManifestFile, s: SecretModel, ctx: { settings: Settings; now: Date }, out: Diagnostic[]): void {
  const siblings = (self: SecretEntry) => () =>
    s.entries.filter((x) => x !== self && x.content?.includes('-----BEGIN ')).map((x) => decodeInline(x.content!));
  for (const e of s.entries) checkPemValue(f, e, `${e.from} ${e.key} of Secret ${s.name}`, ctx, out, siblings(e));
  if (s.type !== 'kubernetes.io/tls') return;
  const missing = ['tls.crt', 'tls.key'].filter((k) => !s.byKey.has(k));
  if (missing.length)
    out.push(
      diag(
        s.typeRange ?? s.nameRange,
        Severity.Error,
        'k8s-tls-secret-incomplete',
        `A kubernetes.io/tls Secret needs tls.crt and tls.key; ${s.name} lacks ${missing.join(' and ')}, so the API server rejects it ("data[${missing[0]}]: Required value"). Add ${missing.join(' and ')}.`,
      ),
    );
  checkPair(s.byKey.get('tls.crt'), s.byKey.get('tls.key'), `Secret ${s.name}`, out);
}

/** tls.key must belong to the first certificate of tls.crt (the API server does not check; every server loading them fails). */
export function checkPair(crt: SecretEntry | undefined, key: SecretEntry | undefined, owner: string, out: Diagnostic[]): void {
  if (!crt?.content || !key?.content) return;
  const cert = certificates(decodeInline(crt.content).items)[0]?.cert;
  const k = privateKeys(decodeInline(key.content).items)[0]?.key;
  if (!cert || !k?.publicKey || k.publicKey.spkiSha256 === cert.publicKey.spkiSha256) return;
  out.push(
    diag(
      key.valueRange,
      Severity.Error,
      'tls-key-mismatch',
      `The private key in ${key.key} of ${owner} does not belong to the certificate in ${crt.key} (${cert.subject}); a server loading the pair fails with "tls: private key does not match public key". Put the key the certificate was issued for.`,
    ),
  );
}

/** What the folded value looks like, without a byte of what it holds: the BEGIN line and where the body went. */
function foldedShape(content: string): string {
  const begin = /-----BEGIN [A-Z0-9 ]+-----/.exec(content)?.[0] ?? '-----BEGIN …-----';
  return `"${begin} …" on one line`;
}
