/** APISIX / API7 / ADC: SSL objects in standalone apisix.yaml, ADC files, JSON bodies and curl calls in scripts. */
import type { Target, TargetContext } from '../target';
import { fileKind, looksLikeApisix, parseApisix, type ApisixModel } from './model';
import { validateApisix, APISIX_DIAGNOSTIC_CODES, type ApisixContext } from './validate';
import { apisixHover, apisixCompletion } from './hover';
import { isApisixConfig, validateApisixConfig } from './config';
import { LineIndex } from '../../text';
import { apisixCodeActions } from './actions';

const MAX_SNIFF = 5 * 1024 * 1024;
const actx = (ctx: TargetContext): ApisixContext => ({ ws: ctx.ws, settings: ctx.settings, now: ctx.now });

export const apisixTarget: Target<ApisixModel> = {
  id: 'apisix',
  recognise(doc) {
    const kind = fileKind(doc.path);
    if (!kind || doc.text.length > MAX_SNIFF) return false;
    if (isApisixConfig(doc.path, doc.text)) return true;
    return looksLikeApisix(kind, doc.text);
  },
  parse: (doc) =>
    isApisixConfig(doc.path, doc.text)
      ? { kind: 'config', text: doc.text, lines: new LineIndex(doc.text), ssls: [], errors: [] }
      : parseApisix(doc.text, fileKind(doc.path) ?? 'yaml'),
  validate: (doc, model, ctx) =>
    model.kind === 'config'
      ? validateApisixConfig(model.text, doc.path, { ...actx(ctx), processEnv: ctx.processEnv })
      : validateApisix(model, doc.path, actx(ctx)),
  hover: (doc, model, pos, ctx) => apisixHover(model, pos, ctx.now),
  completion: (doc, model, pos) => apisixCompletion(model, pos),
  codeActions: (doc, diagnostics) => apisixCodeActions(doc.uri, doc.text, diagnostics),
  codes: [
    ...APISIX_DIAGNOSTIC_CODES,
    {
      code: 'apisix-path-not-mounted',
      severity: 'error',
      summary: 'conf/config.yaml: APISIX runs in compose and no volume covers the path.',
    },
  ],
};
