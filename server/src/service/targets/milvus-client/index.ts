/**
 * The client side of Milvus: pymilvus calls in Python files and curl commands in shell scripts and
 * READMEs, judged against the Milvus the workspace runs (targets/milvus). A file without such a
 * call costs one regular-expression test.
 */
import * as path from 'node:path';
import type { Target } from '../target';
import { parseClientDocument, type ClientModel } from './model';
import { validateClient, MILVUS_CLIENT_CODES } from './validate';
import { clientHover } from './hover';
import { clientConnectionTargets } from './connection';

/** Larger files are not scanned: a client script is a few KB. */
const SNIFF_LIMIT = 2 * 1024 * 1024;

export type ClientFileKind = 'python' | 'shell' | 'markdown';

export function clientFileKind(doc: { path: string; languageId?: string }): ClientFileKind | undefined {
  const base = path.basename(doc.path);
  if (doc.languageId === 'python' || /\.pyw?$/i.test(base)) return 'python';
  if (doc.languageId === 'shellscript' || /\.(sh|bash|zsh)$/i.test(base)) return 'shell';
  if (doc.languageId === 'markdown' || /\.(md|markdown)$/i.test(base)) return 'markdown';
  return undefined;
}

const PY_SIGN = /\bMilvusClient\s*\(|\bconnections\s*\.\s*connect\s*\(/;
const CURL_TLS_SIGN = /--cacert|--cert\b|--key\b|\s-E|\s-k\b|--insecure|http[s]:\/\/|\/v2\/vectordb|\/v1\/vector|:19530/;

/** A line with curl and a TLS option, an https URL or Milvus's REST paths (continued lines joined); linear in the text. */
function mentionsCurlTls(text: string): boolean {
  if (!text.includes('curl')) return false;
  for (const line of text.replace(/\\\r?\n/g, ' ').split('\n')) if (line.includes('curl') && CURL_TLS_SIGN.test(line)) return true;
  return false;
}

export const milvusClientTarget: Target<ClientModel> = {
  id: 'milvus-client',
  recognise(doc) {
    const kind = clientFileKind(doc);
    if (!kind || doc.text.length > SNIFF_LIMIT) return false;
    if (kind === 'python') return PY_SIGN.test(doc.text);
    return mentionsCurlTls(doc.text);
  },
  parse: (doc) => parseClientDocument(doc.text, clientFileKind(doc) ?? 'shell'),
  validate: (doc, model, ctx) => validateClient(doc, model, ctx),
  hover: (doc, model, pos, ctx) => clientHover(doc, model, pos, ctx),
  connectionTargets: (doc, model, ctx) => clientConnectionTargets(doc, model, ctx),
  codes: MILVUS_CLIENT_CODES,
};
