/** Milvus: milvus.yaml / user.yaml TLS keys, their compose mounts, and the wiring of generated sets. */
import type { Target, TargetContext } from '../target';
import { extractTls, type MilvusTlsModel } from './extract';
import { recogniseMilvus } from './recognise';
import { validateMilvus, MILVUS_DIAGNOSTIC_CODES, type MilvusContext } from './validate';
import { milvusHover } from './hover';
import { milvusCompletion } from './completion';
import { milvusLinks } from './links';
import { milvusCodeActions } from './actions';
import { milvusComposeChecks, MILVUS_COMPOSE_CODES } from './compose-side';
import { GENERATE_COMMAND } from './actions';
import { milvusSlots } from './slots';
import { milvusConnectionTargets } from './connection';

const mctx = (ctx: TargetContext): MilvusContext => ({ ws: ctx.ws, settings: ctx.settings, now: ctx.now, processEnv: ctx.processEnv });

export const milvusTarget: Target<MilvusTlsModel> = {
  id: 'milvus',
  recognise: recogniseMilvus,
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
