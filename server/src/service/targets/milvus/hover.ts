/** Hover on milvus.yaml TLS keys (what they mean) and path values (what the file holds). */
import * as path from 'node:path';
import type { Hover, Position } from 'vscode-languageserver-types';
import { contains } from '../../text';
import { modelOf, type Entry, type MilvusTlsModel } from './extract';
import { findKey, KEYS, TLS_MODES, type SectionId } from './schema';
import { effectiveConfig, formatKey, describeSource } from './effective';
import { deployContext, resolvePath } from './resolve';
import { loadPemFile } from '../../pem/files';
import { certificateMarkdown, keyMarkdown } from '../../pem/hover';
import { describeItem } from '../../pem/describe';
import type { MilvusContext } from './validate';

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
  return { contents: { kind: 'markdown', value: pathHover(e, file, ctx) }, range: e.valueRange };
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

function pathHover(e: Entry, file: string, ctx: MilvusContext): string {
  if (typeof e.value !== 'string' || e.value.trim() === '') return `**${e.section}.${e.key}** is empty.`;
  const deploy = deployContext(file, ctx.ws, ctx.processEnv);
  const r = resolvePath(e.value.trim(), deploy);
  if (!r.ok) {
    return `Container path \`${r.containerPath}\`: ${r.reason === 'named-volume' ? 'in a named volume, not visible from the host' : `no volume of service \`${deploy.service?.name}\` covers it`}.`;
  }
  const head = r.containerPath
    ? `Container \`${r.containerPath}\` → host \`${r.hostPath}\` (service \`${deploy.service?.name}\`, ${path.basename(deploy.composePath ?? '')})`
    : `Host file \`${r.hostPath}\``;
  const loaded = loadPemFile(r.hostPath, ctx.ws);
  if (!loaded.read.ok) return `${head}\n\n${loaded.read.message}`;
  const parts = [head];
  for (const item of loaded.contents?.items ?? []) {
    if (item.kind === 'certificate') parts.push(certificateMarkdown(item.cert, ctx.now));
    else if (item.kind === 'privateKey') parts.push(keyMarkdown(item.key));
    else parts.push(describeItem(item));
  }
  if ((loaded.contents?.items.length ?? 0) === 0) parts.push('No PEM block in this file.');
  return parts.join('\n\n---\n\n');
}
