/** Path values become links to the host file they resolve to. */
import { URI } from 'vscode-uri';
import type { DocumentLink } from 'vscode-languageserver-types';
import { modelOf, type MilvusTlsModel } from './extract';
import { findKey, type SectionId } from './schema';
import { deployContext, resolvePath } from './resolve';
import type { MilvusContext } from './validate';

export function milvusLinks(src: string | MilvusTlsModel, file: string, ctx: MilvusContext): DocumentLink[] {
  const model = modelOf(src);
  const pathEntries = model.entries.filter(
    (e) => findKey(e.section as SectionId, e.key)?.type === 'path' && typeof e.value === 'string' && e.value.trim() !== '',
  );
  if (pathEntries.length === 0) return [];
  const deploy = deployContext(file, ctx.ws, ctx.processEnv);
  const out: DocumentLink[] = [];
  for (const e of pathEntries) {
    const r = resolvePath(String(e.value).trim(), deploy);
    if (r.ok && ctx.ws.kind(r.hostPath) === 'file')
      out.push({ range: e.valueRange, target: URI.file(r.hostPath).toString(), tooltip: `Open ${r.hostPath}` });
  }
  return out;
}
