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

/** Documents larger than this are not scanned for a Milvus-shaped TLS section when the name does not say. */
const SNIFF_LIMIT = 5 * 1024 * 1024;

function isMilvusName(file: string, globs: string[]): boolean {
  const base = path.basename(file);
  return (
    /^milvus.*\.ya?ml$/i.test(base) || (base === 'user.yaml' && path.basename(path.dirname(file)) === 'configs') || matchesAny(file, globs)
  );
}

/** The sniff of an unnamed YAML file already parsed its TLS blocks; parse reuses that model for the same text. */
let sniffed: { text: string; model: MilvusTlsModel } | undefined;

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
    if (doc.text.length > SNIFF_LIMIT || !/^(tls|common)\s*:/m.test(doc.text)) return false;
    sniffed = { text: doc.text, model: extractTls(doc.text) };
    return looksLikeMilvusConfig(sniffed.model);
  },
  parse(doc) {
    const model = sniffed?.text === doc.text ? sniffed.model : extractTls(doc.text);
    sniffed = undefined;
    return model;
  },
  validate: (doc, model, ctx) => validateMilvus(model, doc.path, mctx(ctx)),
  hover: (doc, model, pos, ctx) => milvusHover(model, doc.path, pos, mctx(ctx)),
  completion: (doc, model, pos, ctx) => milvusCompletion(model, doc.path, pos, mctx(ctx)),
  links: (doc, model, ctx) => milvusLinks(model, doc.path, mctx(ctx)),
  codeActions: (doc, diagnostics, ctx) => milvusCodeActions(doc.uri, doc.text, diagnostics, ctx.ws),
  composeChecks: (composePath, model, ctx) => milvusComposeChecks(composePath, model, mctx(ctx)),
  commands: [GENERATE_COMMAND],
  codes: [...MILVUS_DIAGNOSTIC_CODES, ...MILVUS_COMPOSE_CODES],
};
