/**
 * What a config hover says about the file a path setting names, the same in every target: where the path
 * leads (container → host, workspace-relative), the verdict of the checks on that setting (the first finding on
 * its range, or ✓), short cards of the first items, and "Show certificate" for the full decode.
 */
import * as path from 'node:path';
import type { Diagnostic, Range } from 'vscode-languageserver-types';
import type { Workspace } from '../workspace';
import type { Settings } from '../types';
import type { Decoded } from '../pem/model';
import { loadPemFile } from '../pem/files';
import { describeItem } from '../pem/describe';
import { certificateCard, csrCard, keyCard, md, publicKeyCard } from '../pem/card';
import { shownPath } from '../shown-path';
import { certificateFor } from './pem/siblings';
import { showCertificateLink } from './show-certificate';

/** Cards beyond this many items (a CA bundle) are left to "Show certificate". */
const MAX_CARDS = 2;

export interface FileCardContext {
  ws: Workspace;
  settings: Settings;
  now: Date;
}

export interface FileCardOptions {
  /** Names clients dial, which the server certificate's SANs must cover. */
  names?: string[];
  /** The findings of the document; the first one on `range` becomes the verdict line. */
  findings?: Diagnostic[];
  range?: Range;
  /** How the path reached the host file ("Container `/milvus/tls/server.pem` → host"); default "File". */
  via?: string;
}

function overlaps(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) => p.line < q.line || (p.line === q.line && p.character <= q.character);
  return before(a.start, b.end) && before(b.start, a.end);
}

/** The verdict part of a message: up to its first colon or sentence end (messages lead with the verdict). */
export function headline(message: string): string {
  const m = /^(.{12,}?)(?::\s|;\s|\.\s|\.$)/.exec(message);
  const head = m ? m[1] : message;
  return head.length > 140 ? `${head.slice(0, 137)}…` : head;
}

/** The first finding on the setting's range, as the hover's first line. */
export function findingLine(findings: Diagnostic[] | undefined, range: Range | undefined): string | undefined {
  if (!findings || !range) return undefined;
  const on = findings
    .filter((d) => overlaps(d.range, range) && (d.severity ?? 1) <= 2)
    .sort((a, b) => (a.severity ?? 1) - (b.severity ?? 1));
  if (on.length === 0) return undefined;
  const more = on.length - 1;
  return `✗ **${md(headline(String(on[0].message)))}**${more ? ` · ${more} more problem${more === 1 ? '' : 's'}` : ''} (see Problems)`;
}

function itemCard(item: Decoded, file: string, ctx: FileCardContext, names: string[] | undefined, link: string): string {
  switch (item.kind) {
    case 'certificate':
      return certificateCard(item.cert, { now: ctx.now, expiryWarningDays: ctx.settings.expiryWarningDays, names, showLink: link });
    case 'privateKey': {
      // Inline PEM (file '') has no folder to look in.
      const spki = file ? item.key.publicKey?.spkiSha256 : undefined;
      const owner = spki ? certificateFor(file, spki, ctx.ws) : undefined;
      return keyCard(
        item.key,
        owner ? `✓ Belongs to ${md(owner)}` : spki ? '✗ **No certificate in its folder has this public key**' : undefined,
      );
    }
    case 'csr':
      return csrCard(item.csr);
    case 'publicKey':
      return publicKeyCard(item.publicKey);
    default:
      return md(describeItem(item, ctx.now));
  }
}

/** Markdown for the host file a setting names. */
export function fileCard(hostPath: string, ctx: FileCardContext, o: FileCardOptions = {}): string {
  const shown = shownPath(hostPath, ctx.ws.roots);
  const head = `${o.via ?? 'File'} \`${shown}\``;
  let verdict = findingLine(o.findings, o.range);
  const loaded = loadPemFile(hostPath, ctx.ws);
  if (!loaded.read.ok) {
    const why = loaded.read.message.split(path.resolve(hostPath)).join(shown);
    return [verdict, head, md(why)].filter(Boolean).join('\n\n');
  }
  const items = loaded.contents?.items ?? [];
  if (items.length === 0) return [verdict, head, 'No PEM block in this file.'].filter(Boolean).join('\n\n');
  const link = showCertificateLink({ path: path.resolve(hostPath) });
  const cards = items.slice(0, MAX_CARDS).map((item, i) => itemCard(item, hostPath, ctx, i === 0 ? o.names : undefined, ''));
  // Without a finding on the setting, the first item's own verdict is the hover's status line.
  const [first, ...body] = cards[0].split('\n\n');
  if (!verdict && /^[✓✗]/.test(first)) {
    verdict = first;
    cards[0] = body.join('\n\n');
  }
  const rest = items.length - MAX_CARDS;
  return [verdict, head, cards.join('\n\n---\n\n'), rest > 0 ? `… and ${rest} more block${rest === 1 ? '' : 's'}` : undefined, link]
    .filter(Boolean)
    .join('\n\n');
}

/** The same for PEM text written inline in a config (APISIX, nginx `data:`): no file to link to. */
export function inlineCard(items: Decoded[], ctx: FileCardContext, o: FileCardOptions = {}): string {
  if (items.length === 0) return 'No PEM block in this value.';
  const verdict = findingLine(o.findings, o.range);
  const cards = items.slice(0, MAX_CARDS).map((item, i) => itemCard(item, '', ctx, i === 0 ? o.names : undefined, ''));
  const rest = items.length - MAX_CARDS;
  return [verdict, cards.join('\n\n---\n\n'), rest > 0 ? `… and ${rest} more block${rest === 1 ? '' : 's'}` : undefined]
    .filter(Boolean)
    .join('\n\n');
}

/** Restricted mode: what a hover says instead of resolving a path it may not read. */
export function untrustedPathCard(value: string): string {
  return `Path \`${value}\`: not resolved or read, because the workspace is not trusted (Restricted Mode). Trust the folder to see which file it names and whether it is right.`;
}
