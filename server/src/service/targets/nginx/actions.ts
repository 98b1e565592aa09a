/** Quick fix for nginx: rewrite a chain file with the leaf first (what "key values mismatch" usually needs). */
import { URI } from 'vscode-uri';
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver-types';
import * as path from 'node:path';
import { LineIndex } from '../../text';
import type { Workspace } from '../../workspace';
import { parsePem } from '../../pem/parse';
import type { LeafFirstFix } from '../../tls/openssl';

/** The chain file's certificate blocks reordered: a reversed chain is reversed back; otherwise the leaf moves to the front. */
export function leafFirstText(text: string, fix: LeafFirstFix): string | undefined {
  const idx = new LineIndex(text);
  const blocks = parsePem(text).blocks;
  const certs = blocks.filter((b) => b.label === 'CERTIFICATE');
  if (certs.length !== fix.count || fix.leaf <= 0 || fix.leaf >= certs.length) return undefined;
  const body = (b: (typeof blocks)[number]) => text.slice(idx.offsetAt(b.range.start), idx.offsetAt(b.range.end)).trimEnd();
  const order = fix.leaf === certs.length - 1 ? [...certs].reverse() : [certs[fix.leaf], ...certs.filter((_, i) => i !== fix.leaf)];
  const rest = blocks.filter((b) => b.label !== 'CERTIFICATE');
  return [...order, ...rest].map(body).join('\n') + '\n';
}

export function nginxCodeActions(diagnostics: Diagnostic[], ws: Workspace): CodeAction[] {
  const out: CodeAction[] = [];
  for (const dg of diagnostics) {
    const fix = (dg.data as { fix?: LeafFirstFix } | undefined)?.fix;
    if (fix?.kind !== 'leaf-first') continue;
    const r = ws.read(fix.file);
    if (!r.ok) continue;
    const text = Buffer.from(r.bytes).toString('utf8');
    const next = leafFirstText(text, fix);
    if (!next) continue;
    const end = new LineIndex(text).positionAt(text.length);
    out.push({
      title: `Put the leaf certificate first in ${path.basename(fix.file)}`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [dg],
      isPreferred: true,
      edit: { changes: { [URI.file(fix.file).toString()]: [{ range: { start: { line: 0, character: 0 }, end }, newText: next }] } },
    });
  }
  return out;
}
