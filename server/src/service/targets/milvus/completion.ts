/** Completion for TLS keys, tlsMode values, and container paths the compose mounts make available. */
import * as path from 'node:path';
import { CompletionItemKind, type CompletionItem, type Position } from 'vscode-languageserver-types';
import { modelOf, type MilvusTlsModel } from './extract';
import { keysOf, findKey, TLS_MODES, type SectionId, type FileKind } from './schema';
import { deployContext } from './resolve';
import { loadPemFile, certificates, privateKeys } from '../../pem/files';
import type { MilvusContext } from './validate';

function sectionAt(model: MilvusTlsModel, line: number, indent: number): SectionId | undefined {
  let best: { name: string; firstLine: number } | undefined;
  for (const s of model.sections) {
    if (s.firstLine < line && line <= s.lastLine + 1 && (s.childIndent ?? 2) === indent && (!best || s.firstLine > best.firstLine))
      best = s;
  }
  return best && (best.name === 'tls' || best.name === 'internaltls' || best.name === 'common.security') ? best.name : undefined;
}

export function milvusCompletion(src: string | MilvusTlsModel, file: string, pos: Position, ctx: MilvusContext): CompletionItem[] {
  const model = modelOf(src);
  const lineText = model.lines.lineText(pos.line).slice(0, pos.character);
  const keyMatch = /^(\s*)([\w]*)$/.exec(lineText);
  if (keyMatch) {
    const section = sectionAt(model, pos.line, keyMatch[1].length);
    if (!section) return [];
    const present = new Set(model.entries.filter((e) => e.section === section && e.keyRange.start.line !== pos.line).map((e) => e.key));
    return keysOf(section)
      .filter((k) => !present.has(k.key))
      .map((k) => ({
        label: k.key,
        kind: CompletionItemKind.Property,
        detail: `${section}.${k.key}`,
        documentation: { kind: 'markdown', value: `${k.summary}\n\n${k.needed}` },
        insertText: `${k.key}: `,
      }));
  }
  const valueMatch = /^(\s*)(\w+)\s*:\s*(\S*)$/.exec(lineText);
  if (!valueMatch) return [];
  const section = sectionAt(model, pos.line, valueMatch[1].length);
  if (!section) return [];
  const spec = findKey(section, valueMatch[2]);
  if (!spec) return [];
  if (spec.key === 'tlsMode') return TLS_MODES.map((m) => ({ label: m.label, kind: CompletionItemKind.EnumMember, detail: m.detail }));
  if (spec.key === 'internaltlsEnabled') return ['true', 'false'].map((v) => ({ label: v, kind: CompletionItemKind.Value }));
  if (spec.type !== 'path' || !spec.file) return [];
  return pathItems(file, spec.file, ctx);
}

function fits(kind: FileKind, hostFile: string, ctx: MilvusContext): boolean {
  const l = loadPemFile(hostFile, ctx.ws);
  if (!l.contents) return false;
  return kind === 'privateKey' ? privateKeys(l.contents.items).length > 0 : certificates(l.contents.items).length > 0;
}

function pathItems(file: string, kind: FileKind, ctx: MilvusContext): CompletionItem[] {
  const deploy = deployContext(file, ctx.ws, ctx.processEnv);
  const items: CompletionItem[] = [];
  const add = (containerPath: string, hostPath: string) => {
    if (items.length < 200 && fits(kind, hostPath, ctx))
      items.push({ label: containerPath, kind: CompletionItemKind.File, detail: `host: ${hostPath}` });
  };
  if (deploy.kind === 'compose' && deploy.service) {
    for (const m of deploy.service.volumes) {
      if (m.type !== 'bind' || !m.hostPath) continue;
      const k = ctx.ws.kind(m.hostPath);
      if (k === 'file') add(m.target, m.hostPath);
      else if (k === 'directory')
        for (const name of ctx.ws.list(m.hostPath).sort())
          if (/\.(pem|crt|cer|key)$/i.test(name)) add(path.posix.join(m.target, name), path.join(m.hostPath, name));
    }
  } else {
    for (const name of ctx.ws.list(deploy.hostBase).sort())
      if (/\.(pem|crt|cer|key)$/i.test(name)) add(name, path.join(deploy.hostBase, name));
  }
  return items;
}
