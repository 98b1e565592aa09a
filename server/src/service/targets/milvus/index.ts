/** Milvus: milvus.yaml / user.yaml TLS keys, their compose mounts, and the wiring of generated sets. */
import * as path from 'node:path';
import type { Target, TargetContext } from '../target';
import { matchesAny } from '../../glob';
import { extractTls, looksLikeMilvusConfig, type MilvusTlsModel } from './extract';
import { validateMilvus, MILVUS_DIAGNOSTIC_CODES, type MilvusContext } from './validate';
import { milvusHover } from './hover';
import { milvusCompletion } from './completion';
import { milvusLinks } from './links';
import { milvusCodeActions } from './actions';
import { milvusComposeChecks, MILVUS_COMPOSE_CODES } from './compose-side';
import { GENERATE_COMMAND } from './actions';
import { milvusSlots } from './slots';
import { milvusConnectionTargets } from './connection';

/** Documents larger than this are not scanned for a Milvus-shaped TLS section when the name does not say. */
const SNIFF_LIMIT = 5 * 1024 * 1024;

function isMilvusName(file: string, globs: string[]): boolean {
  const base = path.basename(file);
  return (
    /^milvus.*\.ya?ml$/i.test(base) || (base === 'user.yaml' && path.basename(path.dirname(file)) === 'configs') || matchesAny(file, globs)
  );
}

const mctx = (ctx: TargetContext): MilvusContext => ({ ws: ctx.ws, settings: ctx.settings, now: ctx.now, processEnv: ctx.processEnv });

export const milvusTarget: Target<MilvusTlsModel> = {
  id: 'milvus',
  recognise(doc, settings) {
    if (isMilvusName(doc.path, settings.milvusConfigGlobs)) return true;
    // A user.yaml / default.yaml that a compose volume places in /milvus/configs, wherever it lives on the host.
    if (/^(user|default)\.ya?ml$/i.test(path.basename(doc.path)) && /^(tls|internaltls|common|proxy)[\w.]*\s*:/im.test(doc.text))
      return true;
    if (!/\.ya?ml$/i.test(path.basename(doc.path)) && doc.languageId !== 'yaml') return false;
    // Any YAML with a Milvus-shaped TLS section; the line scan is cheap.
    // extractTls keeps its last model, so the parse that follows a successful sniff costs nothing.
    return doc.text.length <= SNIFF_LIMIT && /^(tls|common)\s*:/m.test(doc.text) && looksLikeMilvusConfig(extractTls(doc.text));
  },
  parse: (doc) => extractTls(doc.text),
  validate: (doc, model, ctx) => validateMilvus(model, doc.path, mctx(ctx)),
  hover: (doc, model, pos, ctx) => milvusHover(model, doc.path, pos, mctx(ctx)),
  completion: (doc, model, pos, ctx) => milvusCompletion(model, doc.path, pos, mctx(ctx)),
  links: (doc, model, ctx) => milvusLinks(model, doc.path, mctx(ctx)),
  slots: (_doc, model) => milvusSlots(model),
  codeActions: (doc, diagnostics, ctx) => milvusCodeActions(doc.uri, doc.text, diagnostics, ctx.ws),
  composeChecks: (composePath, model, ctx) => milvusComposeChecks(composePath, model, mctx(ctx)),
  connectionTargets: (doc, model, ctx) => milvusConnectionTargets(model, doc.path, ctx),
  commands: [GENERATE_COMMAND],
  codes: [...MILVUS_DIAGNOSTIC_CODES, ...MILVUS_COMPOSE_CODES],
};
