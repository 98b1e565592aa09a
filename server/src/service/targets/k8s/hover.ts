/**
 * Hovers: a PEM value in a Secret or in proxy.tls decoded (certificate card, key type and public
 * half only — never key material), and a tls path of a Milvus fragment followed to the Secret key
 * the container reads, with that certificate's card.
 */
import { MarkupKind, type Hover, type Position, type Range } from 'vscode-languageserver-types';
import { contains } from '../../text';
import { pemHover } from '../../pem/hover';
import { certificateCard, keyCard } from '../../pem/card';
import { decodeInline } from '../../tls/inline';
import { certificates, privateKeys } from '../../pem/files';
import { describeItem } from '../../pem/describe';
import { findSecret } from '../../deploy/k8s/secrets';
import { formatKey, type EffectiveValue } from '../milvus/effective';
import type { SecretEntry } from '../../deploy/k8s/secrets';
import type { TargetContext } from '../target';
import type { K8sModel } from './model';
import { crFragment, crPod, isMilvusCr } from './operator';
import { helmPod } from './helm';
import { resolveSecretFile, secretWhere, type ChainContext } from './chain';
import { shiftRange, type Fragment } from './fragment';
import type { K8sContainerContext } from '../../deploy/k8s/volumes';

function entryHover(e: SecretEntry, pos: Position, now: Date): Hover | null {
  const content = e.content;
  if (!content?.includes('-----BEGIN ')) return null;
  if (e.lineMap) {
    const local = { line: pos.line - e.lineMap.firstLine, character: Math.max(0, pos.character - e.lineMap.indent) };
    const h = pemHover(content, local, { now });
    if (!h) return null;
    const r = h.range!;
    return {
      contents: h.contents,
      range: {
        start: { line: r.start.line + e.lineMap.firstLine, character: r.start.character + e.lineMap.indent },
        end: { line: r.end.line + e.lineMap.firstLine, character: r.end.character + e.lineMap.indent },
      },
    };
  }
  // One line (base64, a quoted string): the first block describes the value.
  const first = content.split('\n').findIndex((l) => l.includes('-----BEGIN '));
  const h = pemHover(content.replace(/\r/g, ''), { line: Math.max(0, first), character: 0 }, { now });
  return h ? { contents: h.contents, range: e.valueRange } : null;
}

const PATH_KEYS = new Set(
  ['serverpempath', 'serverkeypath', 'capempath'].flatMap((k) => [formatKey('tls.' + k), formatKey('internaltls.' + k)]),
);

function pathHover(fr: Fragment, pod: K8sContainerContext, pos: Position, cc: ChainContext): Hover | null {
  for (const [norm, list] of fr.cfg.values) {
    if (!PATH_KEYS.has(norm)) continue;
    const v = list.find((x: EffectiveValue) => x.layer === fr.cfg.docLayer && x.setting);
    if (!v?.setting || !v.value) continue;
    const at: Range = shiftRange(v.setting.valueRange, fr);
    if (!contains(at, pos)) continue;
    const containerPath = v.value.startsWith('/') ? v.value : `/milvus/${v.value}`;
    const scratch: never[] = [];
    const file = resolveSecretFile(containerPath, at, v.key, pod, cc, scratch);
    if (!file)
      return {
        contents: {
          kind: MarkupKind.Markdown,
          value: `\`${containerPath}\` in ${pod.label}: not resolved to a Secret key in the workspace (see the finding on this line).`,
        },
        range: at,
      };
    const items = file.entry.content ? decodeInline(file.entry.content).items : [];
    const cert = certificates(items)[0]?.cert;
    const key = privateKeys(items)[0]?.key;
    const head = `\`${containerPath}\` in ${pod.label} → ${secretWhere(file.secret, file.entry.key, cc.ws)}`;
    const card = cert ? certificateCard(cert, { now: cc.now }) : key ? keyCard(key, undefined) : 'No certificate or key in it.';
    return { contents: { kind: MarkupKind.Markdown, value: `${head}\n\n${card}` }, range: at };
  }
  return null;
}

/** A `secretName:` value: where the Secret is and what each key holds (one line each, no key material). */
function secretNameHover(m: K8sModel, file: string, pos: Position, cc: ChainContext): Hover | null {
  const line = m.file.lines.lineText(pos.line);
  const hit = /^(\s*(?:-\s*)?secretName:\s*)(["']?)([\w.-]+)\2\s*(#.*)?$/.exec(line);
  if (!hit || pos.character < hit[1].length) return null;
  const offset = m.file.lines.offsetAt(pos);
  const owner = m.file.objects.find((o) => o.root.range && o.root.range[0] <= offset && offset <= o.root.range[2]);
  const helmRendered = m.helm?.rendered ? [m.helm.rendered] : [];
  const found = findSecret(hit[3], owner?.namespace, file, [...helmRendered, ...cc.local], cc.ws);
  const range: Range = {
    start: { line: pos.line, character: hit[1].length },
    end: { line: pos.line, character: hit[1].length + hit[2].length * 2 + hit[3].length },
  };
  if (!found.secret)
    return {
      contents: { kind: MarkupKind.Markdown, value: `Secret \`${hit[3]}\`: not in the workspace; its keys cannot be checked.` },
      range,
    };
  const s = found.secret;
  const rows = [...s.byKey.values()].map((e) => {
    const items = e.content?.includes('-----BEGIN ') ? decodeInline(e.content).items : [];
    const what = items.length ? items.map((d) => describeItem(d, cc.now)).join('; ') : e.problem ? e.problem.replace(/-/g, ' ') : 'not PEM';
    return `- \`${e.key}\` (${e.from}): ${what}`;
  });
  const where = secretWhere(s, undefined, cc.ws);
  return { contents: { kind: MarkupKind.Markdown, value: `**${where}**${s.type ? ` · ${s.type}` : ''}\n\n${rows.join('\n')}` }, range };
}

export function k8sHover(m: K8sModel, file: string, pos: Position, ctx: TargetContext): Hover | null {
  for (const s of m.secrets) for (const e of s.entries) if (contains(e.valueRange, pos)) return entryHover(e, pos, ctx.now);
  for (const e of m.helm?.rendered?.entries ?? []) if (contains(e.valueRange, pos)) return entryHover(e, pos, ctx.now);
  const cc: ChainContext = { ws: ctx.ws, settings: ctx.settings, now: ctx.now, local: m.secrets };
  const named = secretNameHover(m, file, pos, cc);
  if (named) return named;
  for (const o of m.file.objects) {
    if (!isMilvusCr(o)) continue;
    const fr = crFragment(m.file, o);
    if (fr && pos.line >= fr.firstLine && pos.line <= fr.lastLine) return pathHover(fr, crPod(m.file, o, file), pos, cc);
  }
  const fr = m.helm?.fragment;
  if (fr && pos.line >= fr.firstLine && pos.line <= fr.lastLine)
    return pathHover(fr, helmPod(m.file, file), pos, { ...cc, local: m.helm?.rendered ? [m.helm.rendered, ...cc.local] : cc.local });
  return null;
}
