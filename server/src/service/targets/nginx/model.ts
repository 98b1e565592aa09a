/**
 * An nginx config as nginx builds it: the document's directives with every
 * `include` expanded in place (globs sorted, as ngx_conf_include does), relative
 * paths against the conf prefix, and where the document sits when it is itself
 * included (conf.d/, sites-enabled/: inside nginx.conf's http block).
 * Directives that come from another file keep the `include` line of this
 * document that brought them in, so a finding always lands in this document.
 */
import * as path from 'node:path';
import type { Range } from 'vscode-languageserver-types';
import type { Workspace } from '../../workspace';
import { serviceMounting, type ComposeService } from '../../deploy/compose';
import { resolveThrough, type Resolved } from '../../deploy/context';
import { globToRegExp } from '../../glob';
import { parseNginx, type Directive, type Parsed } from './tokenize';

/** The folders Debian's and the official image's nginx.conf include from. */
export const INCLUDED_DIRS = new Set(['conf.d', 'sites-available', 'sites-enabled', 'snippets', 'http.d', 'stream.d', 'modules-enabled']);
/** Where the official nginx image (and Debian) keep the config: the conf prefix inside a container. */
export const IMAGE_CONF_PREFIX = '/etc/nginx';

export interface Located extends Directive {
  /** The file it is written in, when not this document. */
  file?: string;
  /** The `include` directive of this document it came through. */
  via?: Directive;
  block?: Located[];
}

export interface NginxModel {
  parsed: Parsed;
  /** This document's directives with includes expanded. */
  directives: Located[];
  /** http-level directives of the nginx.conf that includes this file (inherited by its servers). */
  inherited: Located[];
  /** The context this document's top level is in: "main" for nginx.conf, "http" for conf.d/*.conf, "server" for a snippet. */
  topContext: 'main' | 'http' | 'server';
  deploy: NginxDeploy;
}

export interface NginxDeploy {
  /** Folder relative paths resolve against (nginx's conf prefix), as nginx sees it. */
  prefix: string;
  compose?: { composePath: string; service: ComposeService };
}

export function nginxDeploy(file: string, ws: Workspace, env: Record<string, string | undefined>): NginxDeploy {
  const abs = path.resolve(file);
  const mounted = serviceMounting(abs, ws, env);
  if (mounted) {
    const target = mounted.mount.target;
    const dir = path.posix.dirname(target);
    const prefix = INCLUDED_DIRS.has(path.posix.basename(dir))
      ? path.posix.dirname(dir)
      : target.startsWith(IMAGE_CONF_PREFIX + '/')
        ? IMAGE_CONF_PREFIX
        : dir;
    return { prefix, compose: { composePath: mounted.composePath, service: mounted.service } };
  }
  const dir = path.dirname(abs);
  return { prefix: INCLUDED_DIRS.has(path.basename(dir)) ? path.dirname(dir) : dir };
}

/** A path in the config → the host file (through the compose mounts when nginx runs in compose). */
export function resolveNginxPath(value: string, deploy: NginxDeploy): Resolved {
  if (!deploy.compose) return resolveThrough(value, { kind: 'host', hostBase: deploy.prefix });
  return resolveThrough(value, {
    kind: 'compose',
    composePath: deploy.compose.composePath,
    serviceName: deploy.compose.service.name,
    volumes: deploy.compose.service.volumes,
    workdir: deploy.prefix,
  });
}

const MAX_INCLUDE_DEPTH = 8;
const MAX_INCLUDED_FILES = 200;

/** Host files an `include` names (a glob in the last part, as people write it). */
export function includeTargets(pattern: string, deploy: NginxDeploy, ws: Workspace): string[] {
  if (pattern.includes('$')) return [];
  const r = resolveNginxPath(pattern, deploy);
  if (!r.ok) return [];
  const host = r.hostPath;
  if (!/[*?[]/.test(host)) return ws.kind(host) === 'file' ? [host] : [];
  const dir = path.dirname(host);
  if (/[*?[]/.test(dir)) return [];
  const re = globToRegExp(path.basename(host));
  return ws
    .list(dir)
    .filter((n) => re.test(n))
    .sort()
    .map((n) => path.join(dir, n));
}

function readParsed(file: string, ws: Workspace): Parsed | undefined {
  const r = ws.read(file);
  if (!r.ok) return undefined;
  return ws.derive(file, 'nginx-parsed', (x) => (x.ok ? parseNginx(Buffer.from(x.bytes).toString('utf8')) : undefined));
}

function expand(
  list: Directive[],
  file: string | undefined,
  via: Directive | undefined,
  deploy: NginxDeploy,
  ws: Workspace,
  seen: Set<string>,
  budget: { files: number; targets: Map<string, string[]> },
  depth: number,
  atMain = false,
): Located[] {
  const out: Located[] = [];
  for (const d of list) {
    if (d.name === 'include' && d.args.length === 1 && !d.block) {
      if (depth >= MAX_INCLUDE_DEPTH) continue;
      let targets = budget.targets.get(d.args[0].value);
      if (!targets) budget.targets.set(d.args[0].value, (targets = includeTargets(d.args[0].value, deploy, ws)));
      for (const f of targets) {
        if (seen.has(f) || budget.files-- <= 0) continue;
        const p = readParsed(f, ws);
        if (!p) continue;
        // A main config (http/events at its top) included inside a block is an nginx error ("not allowed here"), and a cycle.
        if (!atMain && p.directives.some((x) => x.name === 'http' || x.name === 'events')) continue;
        seen.add(f);
        out.push(...expand(p.directives, f, via ?? d, deploy, ws, seen, budget, depth + 1, atMain));
        seen.delete(f);
      }
      continue;
    }
    const loc: Located = { ...d, file, via };
    if (d.block) loc.block = expand(d.block, file, via, deploy, ws, seen, budget, depth);
    out.push(loc);
  }
  return out;
}

export function buildModel(text: string | Parsed, file: string, ws: Workspace, env: Record<string, string | undefined>): NginxModel {
  const parsed = typeof text === 'string' ? parseNginx(text) : text;
  const deploy = nginxDeploy(file, ws, env);
  const abs = path.resolve(file);
  const budget = { files: MAX_INCLUDED_FILES, targets: new Map<string, string[]>() };
  const isMain = parsed.directives.some((d) => d.name === 'http' || d.name === 'events' || d.name === 'stream');
  const directives = expand(parsed.directives, undefined, undefined, deploy, ws, new Set([abs]), budget, 0, isMain);
  const dirName = path.basename(path.dirname(abs));
  const topContext = isMain
    ? 'main'
    : dirName === 'snippets' || !directives.some((d) => d.name === 'server')
      ? directives.some((d) => d.name === 'listen')
        ? 'server'
        : 'http'
      : 'http';
  let inherited: Located[] = [];
  if (!isMain) {
    // The nginx.conf that includes this file: its http-level ssl_* settings reach our servers.
    const main = path.join(path.dirname(INCLUDED_DIRS.has(dirName) ? path.dirname(abs) : abs), 'nginx.conf');
    if (main !== abs) {
      const p = readParsed(main, ws);
      const http = p?.directives.find((d) => d.name === 'http' && d.block);
      if (http?.block) inherited = http.block.filter((d) => d.name.startsWith('ssl_')).map((d) => ({ ...d, file: main }));
    }
  }
  return { parsed, directives, inherited, topContext, deploy };
}

/** Where a finding about a directive goes in this document: on it, or on the include that brought it. */
export function anchor(d: Located, r: Range = d.range): Range {
  return d.via ? d.via.range : r;
}

/** "in snippets/ssl.conf:3: " for a directive of another file, so the message says where. */
export function origin(d: Located, prefix: string): string {
  if (!d.file) return '';
  const rel = path.relative(prefix, d.file) || d.file;
  return `in ${rel.startsWith('..') ? d.file : rel}:${d.nameRange.start.line + 1}: `;
}
