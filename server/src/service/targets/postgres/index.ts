/**
 * PostgreSQL and Amazon Aurora DSQL: libpq settings in .env files, YAML/JSON/properties configs,
 * JDBC URLs, pg_service.conf; the server's postgresql.conf; and, from the compose target, the
 * `-c ssl=on` flags and client environments of a compose file.
 */
import * as path from 'node:path';
import type { Target } from '../target';
import { mentionsPostgres } from './scan';
import { validateFile, validateCompose, fileKind, parsePgDocument, POSTGRES_DIAGNOSTIC_CODES, type PgModel } from './validate';
import { postgresHover } from './hover';
import { postgresCodeActions } from './actions';

/** Files larger than this are not scanned for connection strings unless their name says what they are. */
const SNIFF_LIMIT = 2 * 1024 * 1024;

const CONFIG_NAME = /(^\.env(\..+)?$|\.env$|\.(ya?ml|json|properties|toml|ini|conf|cfg)$)/i;

export const postgresTarget: Target<PgModel> = {
  id: 'postgres',
  recognise(doc) {
    const base = path.basename(doc.path);
    if (fileKind(doc.path) !== 'config') return true;
    if (!CONFIG_NAME.test(base) || doc.text.length > SNIFF_LIMIT) return false;
    return mentionsPostgres(doc.text);
  },
  parse: (doc) => parsePgDocument(doc.path, doc.text),
  validate: (doc, model, ctx) => validateFile(doc.path, doc.text, ctx, model),
  hover: (doc, model, pos, ctx) => postgresHover(doc.path, doc.text, model, pos, ctx),
  codeActions: (doc, diagnostics) => postgresCodeActions(doc.uri, diagnostics),
  composeChecks: (composePath, _model, ctx) => validateCompose(composePath, ctx),
  codes: POSTGRES_DIAGNOSTIC_CODES,
};
