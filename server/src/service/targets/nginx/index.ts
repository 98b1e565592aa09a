/** nginx: nginx.conf, conf.d/NAME.conf, sites-enabled/NAME, snippets; the TLS directives of http, stream and server blocks. */
import * as path from 'node:path';
import type { Target, TargetContext } from '../target';
import { parseNginx, type Parsed } from './tokenize';
import { buildModel, INCLUDED_DIRS, type NginxModel } from './model';
import { validateNginx, NGINX_DIAGNOSTIC_CODES, type NginxContext } from './validate';
import { nginxHover } from './hover';
import { nginxLinks } from './links';
import { nginxCompletion } from './completion';
import { nginxCodeActions } from './actions';
import { nginxConnectionTargets } from './connection';

/** Files whose name says nothing are sniffed only up to here. */
const SNIFF_CHARS = 256 * 1024;
/**
 * A line that only nginx writes: a block opener of nginx's or a directive that ends with ";".
 * `listen_addresses = '*'` (postgresql.conf) and `key = value` files never match.
 */
const NGINX_LINE =
  /^[ \t]*(?:(?:http|server|events|stream|upstream|location|map|geo|types|mail)\b[^=;\n]*\{[^\n]*|(?:ssl_certificate(?:_key)?|ssl_protocols|server_name|listen|proxy_pass|worker_processes|root|include|error_log|access_log|ssl_client_certificate)[ \t]+[^=\n]*;)[ \t]*(?:#.*)?$/m;

function looksLikeNginx(text: string): boolean {
  return NGINX_LINE.test(text.length > SNIFF_CHARS ? text.slice(0, SNIFF_CHARS) : text);
}

export function isNginxCandidate(file: string): boolean {
  const base = path.basename(file);
  if (base === 'nginx.conf' || /\.conf(\.template)?$/i.test(base)) return true;
  return INCLUDED_DIRS.has(path.basename(path.dirname(file))) && !base.startsWith('.');
}

const nctx = (ctx: TargetContext): NginxContext => ({ ws: ctx.ws, settings: ctx.settings, now: ctx.now });

/** The tokens are the per-version model; includes and the deploy context are looked up per request (they change on disk). */
const model = (parsed: Parsed, file: string, ctx: TargetContext): NginxModel => buildModel(parsed, file, ctx.ws, ctx.processEnv);

export const nginxTarget: Target<Parsed> = {
  id: 'nginx',
  recognise(doc) {
    if (doc.languageId === 'nginx') return true;
    if (path.basename(doc.path) === 'nginx.conf') return true;
    if (!isNginxCandidate(doc.path)) return false;
    return looksLikeNginx(doc.text);
  },
  parse: (doc) => parseNginx(doc.text),
  validate: (doc, parsed, ctx) => validateNginx(model(parsed, doc.path, ctx), doc.path, nctx(ctx)),
  hover: (doc, parsed, pos, ctx) => nginxHover(model(parsed, doc.path, ctx), pos, nctx(ctx)),
  links: (doc, parsed, ctx) => nginxLinks(model(parsed, doc.path, ctx), ctx.ws),
  completion: (doc, parsed, pos) => nginxCompletion(doc.text, pos),
  codeActions: (doc, diagnostics, ctx) => nginxCodeActions(diagnostics, ctx.ws),
  connectionTargets: (doc, parsed, ctx) => nginxConnectionTargets(model(parsed, doc.path, ctx), doc.path, ctx),
  codes: NGINX_DIAGNOSTIC_CODES,
};
