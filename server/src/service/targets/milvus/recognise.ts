/** Which documents the Milvus target reads: by name, by a compose mount's usual names, or by a Milvus-shaped TLS section. */
import * as path from 'node:path';
import type { Doc } from '../target';
import type { Settings } from '../../types';
import { matchesAny } from '../../glob';
import { extractTls, looksLikeMilvusConfig } from './extract';

/** Documents larger than this are not scanned for a Milvus-shaped TLS section when the name does not say. */
const SNIFF_LIMIT = 5 * 1024 * 1024;

function isMilvusName(file: string, globs: string[]): boolean {
  const base = path.basename(file);
  return (
    /^milvus.*\.ya?ml$/i.test(base) || (base === 'user.yaml' && path.basename(path.dirname(file)) === 'configs') || matchesAny(file, globs)
  );
}

export function recogniseMilvus(doc: Pick<Doc, 'path' | 'languageId' | 'text'>, settings: Settings): boolean {
  if (isMilvusName(doc.path, settings.milvusConfigGlobs)) return true;
  // A user.yaml / default.yaml that a compose volume places in /milvus/configs, wherever it lives on the host.
  if (/^(user|default)\.ya?ml$/i.test(path.basename(doc.path)) && /^(tls|internaltls|common|proxy)[\w.]*\s*:/im.test(doc.text)) return true;
  if (!/\.ya?ml$/i.test(path.basename(doc.path)) && doc.languageId !== 'yaml') return false;
  // Any YAML with a Milvus-shaped TLS section; the line scan is cheap.
  // extractTls keeps its last model, so the parse that follows a successful sniff costs nothing.
  return doc.text.length <= SNIFF_LIMIT && /^(tls|common)\s*:/m.test(doc.text) && looksLikeMilvusConfig(extractTls(doc.text));
}
