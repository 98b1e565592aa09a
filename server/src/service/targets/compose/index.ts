/** docker compose files: volume checks for any image, hover on volume entries, the :ro fix. */
import * as path from 'node:path';
import type { Target } from '../target';
import { composeEnv, composeShape, isComposeFileName, loadCompose, parseComposeVolumes, type ComposeModel } from '../../deploy/compose';
import { validateComposeModel, COMPOSE_DIAGNOSTIC_CODES } from './validate';
import { composeModelHover } from './hover';
import { composeCodeActions } from './actions';

/** Larger YAML files are not scanned for compose's top-level keys. */
const COMPOSE_SNIFF_LIMIT = 5 * 1024 * 1024;

interface ComposeDoc {
  model?: ComposeModel;
  dotEnvPath?: string;
}

export const composeTarget: Target<ComposeDoc> = {
  id: 'compose',
  // By content, as docker compose reads a file: compose's top-level keys make a compose file, not its name
  // (docker compose's own CLI reference pages are called docker_compose_*.yaml). An empty file goes by its name.
  recognise(doc) {
    const yamlish = doc.languageId === 'dockercompose' || doc.languageId === 'yaml' || /\.ya?ml$/i.test(doc.path);
    if (!yamlish || doc.text.length > COMPOSE_SNIFF_LIMIT) return false;
    const shape = composeShape(doc.text);
    return shape === 'compose' || (shape === 'empty' && (doc.languageId === 'dockercompose' || isComposeFileName(path.basename(doc.path))));
  },
  parse(doc, ctx) {
    try {
      const { env, dotEnvPath } = composeEnv(doc.path, ctx.ws, ctx.processEnv);
      // The open document is the workspace's overlay: share the model the cross-file checks already cache for this version.
      const model =
        ctx.ws.overlayText(doc.path) === doc.text
          ? loadCompose(doc.path, ctx.ws, ctx.processEnv)
          : parseComposeVolumes(doc.text, doc.path, env);
      return { model, dotEnvPath };
    } catch {
      return {};
    }
  },
  validate(doc, c, ctx) {
    if (!c.model) return [];
    const model = c.model;
    // What each system expects of the service that runs it (Milvus: its config mount, its TLS paths covered).
    return [
      ...validateComposeModel(model, ctx.ws, { dotEnvPath: c.dotEnvPath }),
      ...ctx.targets.flatMap((t) => t.composeChecks?.(doc.path, model, ctx) ?? []),
    ];
  },
  hover: (_doc, c, pos, ctx) => (c.model ? composeModelHover(c.model, pos, ctx.ws, (p) => ctx.describeFile(p)) : null),
  codeActions: (doc, diagnostics, ctx) => composeCodeActions(doc.uri, diagnostics, ctx.ws),
  codes: COMPOSE_DIAGNOSTIC_CODES,
};
