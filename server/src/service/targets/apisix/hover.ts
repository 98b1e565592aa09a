/** Hover on APISIX SSL objects: inline PEM decoded; an SNI shows the certificate that serves it. */
import type { CompletionItem, Hover, Position } from 'vscode-languageserver-types';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { contains, LineIndex } from '../../text';
import { certificates } from '../../pem/files';
import { inlineCard } from '../file-card';
import { Workspace } from '../../workspace';
import { DEFAULT_SETTINGS } from '../../types';
import { decodeInline, isInlinePem } from '../../tls/inline';
import { certServes } from '../../tls/openssl';
import { get, rangeOf, type ApisixModel } from './model';
import { sniMatches } from './validate';

/** Inline PEM needs no file: a workspace without folders or trust reads nothing. */
const NO_FILES = new Workspace([], { ...DEFAULT_SETTINGS, trusted: false });

function pemMarkdown(text: string, now: Date): string {
  return inlineCard(decodeInline(text).items, { ws: NO_FILES, settings: DEFAULT_SETTINGS, now });
}

export function apisixHover(model: ApisixModel, pos: Position, now: Date): Hover | null {
  for (const o of model.ssls) {
    const whole = rangeOf(model, o, o.map);
    if (!contains(whole, pos)) continue;
    // Any PEM string under the object (cert, key, certs[i], keys[i], certificates[i].*, client.ca).
    let found: Hover | null = null;
    const visit = (n: unknown, field: string) => {
      if (found) return;
      if (isScalar(n) && typeof n.value === 'string') {
        const r = rangeOf(model, o, n as Node);
        if (contains(r, pos) && isInlinePem(n.value))
          found = { contents: { kind: 'markdown', value: `**${field}**\n\n${pemMarkdown(n.value, now)}` }, range: r };
      } else if (isMap(n)) for (const p of n.items) visit(p.value, isScalar(p.key) ? String(p.key.value) : field);
      else if (isSeq(n)) for (const x of n.items) visit(x, field);
    };
    visit(o.map, 'ssl');
    if (found) return found;
    const sniNodes = [get(o.map, 'sni'), ...(isSeq(get(o.map, 'snis')) ? (get(o.map, 'snis') as { items: Node[] }).items : [])];
    for (const n of sniNodes) {
      if (!isScalar(n) || typeof n.value !== 'string') continue;
      const r = rangeOf(model, o, n);
      if (!contains(r, pos)) continue;
      const cert =
        get(o.map, 'cert') ??
        (() => {
          const c = get(o.map, 'certificates');
          return isSeq(c) && isMap(c.items[0]) ? get(c.items[0], 'certificate') : undefined;
        })();
      const text = isScalar(cert) && typeof cert.value === 'string' && isInlinePem(cert.value) ? cert.value : undefined;
      const leaf = text ? certificates(decodeInline(text).items)[0]?.cert : undefined;
      const sni = n.value;
      const base = sni.slice(2);
      const rule =
        sni === '*'
          ? 'serves every SNI'
          : sni.startsWith('*.')
            ? `serves exactly one more label (x.${base}${sniMatches(sni, base) ? '' : `, not ${base}`}${sniMatches(sni, 'y.x.' + base) ? '' : ` nor y.x.${base}`})`
            : 'serves exactly this name';
      const lines = [`**SNI ${sni}** (${o.where}): APISIX's router ${rule}.`];
      if (leaf)
        lines.push(
          `Served with ${leaf.subject}, SANs ${leaf.sans.map((s) => s.value).join(', ') || 'none'}: ${sni === '*' ? 'clients verify the name they dial' : certServes(leaf, sni) ? 'covers it' : '**does not cover it**'}.`,
        );
      return { contents: { kind: 'markdown', value: lines.join('\n\n') }, range: r };
    }
  }
  return null;
}

const KEYS: [string, string][] = [
  ['cert', 'PEM certificate: the leaf first, then intermediates'],
  ['key', 'PEM private key of cert'],
  ['snis', 'names this certificate serves ("*.a.com" = one more label)'],
  ['sni', 'one name (or use snis, not both)'],
  ['certs', 'extra certificates (e.g. ECDSA beside RSA), same count as keys'],
  ['keys', 'keys of certs, same order'],
  ['client', '{ca, depth}: mutual TLS'],
  ['type', 'server (default) or client'],
  ['ssl_protocols', 'TLSv1.2, TLSv1.3'],
];

export function apisixCompletion(model: ApisixModel, pos: Position): CompletionItem[] {
  if (model.ssls.length === 0 || model.kind === 'shell') return [];
  const line = new LineIndex(model.text).lineText(pos.line).slice(0, pos.character);
  const m = /^\s*(?:-\s+)?"?([a-z_]*)$/.exec(line);
  if (!m) return [];
  const json = model.kind === 'json';
  return KEYS.filter(([k]) => k.startsWith(m[1])).map(([label, detail]) => ({
    label,
    detail,
    kind: 10 as const,
    insertText: json ? label : label + ': ',
  }));
}
