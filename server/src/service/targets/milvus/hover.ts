/** Hover on milvus.yaml TLS keys (what they mean) and path values (what the file holds). */
import * as path from 'node:path';
import type { Hover, Position } from 'vscode-languageserver-types';
import { contains } from '../../text';
import { entry, modelOf, type Entry, type MilvusTlsModel } from './extract';
import { findKey, KEYS, TLS_MODES, type SectionId } from './schema';
import { effectiveConfig, formatKey, describeSource } from './effective';
import { deployContext, resolvePath } from './resolve';
import { fileCard, untrustedPathCard } from '../file-card';
import { validateMilvus, type MilvusContext } from './validate';

export function milvusHover(src: string | MilvusTlsModel, file: string, pos: Position, ctx: MilvusContext): Hover | null {
  const model = modelOf(src);
  const e = model.entries.find((x) => contains(x.keyRange, pos) || (x.valueText !== '' && contains(x.valueRange, pos)));
  if (!e) return null;
  const spec = findKey(e.section as SectionId, e.key) ?? KEYS.find((k) => k.section === e.section && formatKey(k.key) === formatKey(e.key));
  if (!spec) return null;
  const onKey = contains(e.keyRange, pos);
  if (onKey || spec.type !== 'path') {
    const lines = [`**${e.section}.${spec.key}**`, '', spec.summary, '', spec.needed, '', `Default: \`${spec.default}\``];
    if (spec.key === 'tlsMode') lines.push('', ...TLS_MODES.map((m) => `- \`${m.value}\`: ${m.detail}`));
    lines.push('', ...layersMarkdown(`${spec.section}.${spec.key}`, file, model.text, ctx));
    return { contents: { kind: 'markdown', value: lines.join('\n') }, range: onKey ? e.keyRange : e.valueRange };
  }
  return { contents: { kind: 'markdown', value: pathHover(e, file, model, ctx) }, range: e.valueRange };
}

/** What Milvus runs with for a key, and what each layer says (milvus.yaml → default.yaml → user.yaml → environment). */
function layersMarkdown(key: string, file: string, text: string, ctx: MilvusContext): string[] {
  const deploy = deployContext(file, ctx.ws, ctx.processEnv);
  const cfg = effectiveConfig(file, text, deploy, ctx);
  const list = cfg.values.get(formatKey(key)) ?? [];
  const w = list.at(-1);
  if (!w) return [`Effective: not set in any layer Milvus reads.`];
  const show = (v: string | undefined) => (v === undefined ? '(a list or map)' : v === '' ? '(empty)' : `\`${v}\``);
  return [
    `Effective: ${show(w.value)}, from ${describeSource(w, path.dirname(file))}${w.layer === cfg.docLayer ? ' (this file)' : ''}`,
    '',
    ...list.map((v) => `- ${v === w ? '**wins**' : 'overridden'}: ${show(v.value)} (${v.layer.label})`),
  ];
}

function pathHover(e: Entry, file: string, model: MilvusTlsModel, ctx: MilvusContext): string {
  if (typeof e.value !== 'string' || e.value.trim() === '') return `**${e.section}.${e.key}** is empty.`;
  const title = `**${e.section}.${e.key}**`;
  if (!ctx.settings.trusted) return `${title}\n\n${untrustedPathCard(e.value.trim())}`;
  const deploy = deployContext(file, ctx.ws, ctx.processEnv);
  const r = resolvePath(e.value.trim(), deploy);
  if (!r.ok) {
    return `${title}\n\nContainer path \`${r.containerPath}\`: ${r.reason === 'named-volume' ? 'in a named volume, not visible from the host' : `no volume of service \`${deploy.service?.name}\` covers it`}.`;
  }
  const via = r.containerPath
    ? `Container \`${r.containerPath}\` (service \`${deploy.service?.name}\`, ${path.basename(deploy.composePath ?? '')}) → host`
    : 'Host file';
  const names =
    e.section === 'internaltls'
      ? [entry(model, 'internaltls', 'sni')?.value].filter((x): x is string => typeof x === 'string' && x !== '')
      : undefined;
  return `${title}\n\n${fileCard(r.hostPath, ctx, { via, findings: validateMilvus(model, file, ctx), range: e.valueRange, names: names?.length ? names : undefined })}`;
}
