/**
 * The edits that wire a Postgres-layout set (server.crt, server.key, root.crt, postgresql.crt/.key)
 * into a compose project, as one WorkspaceEdit the client previews and applies: the server service
 * gets the `-c ssl…` flags and a read-only mount of the folder, and the `.env` beside the compose
 * file gets (or has corrected) a libpq URI with sslmode=verify-full and the client's files.
 *
 * `command: -c ssl=on …` without `postgres` works because the official image's entrypoint
 * prepends `postgres` when the first argument starts with "-" (docker-library/postgres,
 * 17/bookworm/docker-entrypoint.sh, `_main`); POSTGRES_USER defaults to `postgres` and
 * POSTGRES_DB to POSTGRES_USER in the same file (`docker_setup_env`).
 */
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { parseDocument, isMap, isSeq, isScalar, isPair, type Node, type YAMLMap, type Scalar } from 'yaml';
import type { TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import type { Workspace } from '../../workspace';
import { LineIndex, lspLines } from '../../text';
import { isComposeFileName, loadCompose, containerToHost } from '../../deploy/compose';
import { parsePgCompose, isPostgresServer, serverUid, type PgComposeService } from './compose';
import { scanText } from './scan';
import type { ConnInfo } from './conninfo';

/** Where the server reads the set inside the container. */
export const PG_CONTAINER_DIR = '/etc/postgresql/tls';

export interface PgWireRequest {
  /** Host folder holding server.crt, server.key, root.crt (and postgresql.crt/.key when mutual). */
  certDir: string;
  mode: 1 | 2;
  composePath?: string;
  /** The .env the client reads; default: the one beside the compose file, else beside the certificate folder. */
  envPath?: string;
  /** The database user (the client certificate's CN for `cert` auth); default from POSTGRES_USER, else postgres. */
  dbUser?: string;
  db?: string;
  /** Host and port a client on this machine dials; default localhost and the published port of 5432. */
  host?: string;
  port?: number;
}

export interface PgWirePlan {
  edit: WorkspaceEdit;
  summary: string[];
  /** What the edit cannot do (file ownership), said once after applying. */
  todo: string[];
}

/** The compose project around a folder that runs a Postgres server, with what the client needs to reach it. */
export interface PgProject {
  composePath: string;
  service: string;
  dbUser: string;
  db: string;
  /** The host port published for 5432, when there is one. */
  hostPort?: number;
  /** uid the server runs as in the image (999 for the official Debian image), when known. */
  uid?: number;
}

/** The nearest compose file (the folder, then up to two above) with a Postgres server service. */
export function findPostgresProject(folder: string, ws: Workspace): PgProject | undefined {
  let dir = path.resolve(folder);
  for (let depth = 0; depth < 3; depth++) {
    for (const name of ws.list(dir).sort().filter(isComposeFileName)) {
      const file = path.join(dir, name);
      const text = readText(ws, file);
      const svc = text === undefined ? undefined : parsePgCompose(text).find(isPostgresServer);
      if (text !== undefined && svc) return projectOf(file, text, svc);
    }
    const parent = path.dirname(dir);
    if (parent === dir || (!ws.isInsideRoots(parent) && depth > 0)) break;
    dir = parent;
  }
  return undefined;
}

function projectOf(composePath: string, text: string, svc: PgComposeService): PgProject {
  const dbUser = plain(svc.environment.get('POSTGRES_USER')?.value) ?? 'postgres';
  const db = plain(svc.environment.get('POSTGRES_DB')?.value) ?? dbUser;
  return { composePath, service: svc.name, dbUser, db, hostPort: publishedPort(text, svc.name), uid: serverUid(svc) };
}

/** A value the wiring can use as is (not a ${VAR} the deployment fills in). */
function plain(v: string | undefined): string | undefined {
  return v && !/\$/.test(v) ? v : undefined;
}

function readText(ws: Workspace, file: string | undefined): string | undefined {
  if (!file) return undefined;
  const r = ws.read(file);
  return r.ok ? lspLines(Buffer.from(r.bytes).toString('utf8')) : undefined;
}

function serviceBody(text: string, name: string): YAMLMap | undefined {
  let doc;
  try {
    doc = parseDocument(text, { uniqueKeys: false, strict: false });
  } catch {
    return undefined;
  }
  const services = isMap(doc.contents) ? doc.contents.get('services', true) : undefined;
  if (!isMap(services)) return undefined;
  for (const p of services.items) if (isPair(p) && isScalar(p.key) && String(p.key.value) === name && isMap(p.value)) return p.value;
  return undefined;
}

/** The host port of `ports:` entries that publish 5432 ("5433:5432", "127.0.0.1:5433:5432/tcp", long syntax). */
function publishedPort(text: string, service: string): number | undefined {
  const body = serviceBody(text, service);
  const ports = body?.get('ports', true);
  if (!isSeq(ports)) return undefined;
  for (const item of ports.items) {
    if (isScalar(item)) {
      const m = /^(?:\[?[\w.:]*\]?:)?(\d+):5432(?:\/tcp)?$/.exec(String(item.value).trim());
      if (m) return Number(m[1]);
    } else if (isMap(item) && String(item.get('target')) === '5432' && /^\d+$/.test(String(item.get('published') ?? ''))) {
      return Number(item.get('published'));
    }
  }
  return undefined;
}

function rel(from: string, to: string): string {
  const r = path.relative(from, to).split(path.sep).join('/');
  return r === '' ? '.' : r.startsWith('..') || path.isAbsolute(r) ? to : r;
}

export function planPostgresWiring(req: PgWireRequest, ws: Workspace, env: Record<string, string | undefined> = process.env): PgWirePlan {
  const summary: string[] = [];
  const todo: string[] = [];
  const changes: NonNullable<WorkspaceEdit['documentChanges']> = [];
  const certDir = path.resolve(req.certDir);
  const mutual = req.mode === 2;
  const composeText = readText(ws, req.composePath);
  const svc = composeText === undefined ? undefined : parsePgCompose(composeText).find(isPostgresServer);
  const project = req.composePath && composeText !== undefined && svc ? projectOf(req.composePath, composeText, svc) : undefined;
  if (req.composePath && composeText !== undefined) {
    if (!svc) summary.push(`${path.basename(req.composePath)}: no PostgreSQL service found; add the ssl flags and the mount by hand`);
    else {
      const edits = composeEdits(req.composePath, composeText, svc, certDir, mutual, ws, env, summary);
      if (edits.length) changes.push({ textDocument: { uri: URI.file(req.composePath).toString(), version: null }, edits });
      const uid = project?.uid;
      todo.push(
        `${path.basename(certDir)}/server.key must be owned by the user PostgreSQL runs as${uid !== undefined ? ` (uid ${uid} in ${svc.image})` : ''}, or by root with mode 0640: run \`sudo chown ${uid ?? 999} ${rel(path.dirname(req.composePath), path.join(certDir, 'server.key'))}\``,
      );
    }
  }
  const envPath = req.envPath ?? path.join(req.composePath ? path.dirname(req.composePath) : path.dirname(certDir), '.env');
  const dbUser = req.dbUser ?? project?.dbUser ?? 'postgres';
  const want = {
    sslmode: 'verify-full',
    sslrootcert: `${rel(path.dirname(envPath), certDir)}/root.crt`,
    ...(mutual
      ? {
          sslcert: `${rel(path.dirname(envPath), certDir)}/postgresql.crt`,
          sslkey: `${rel(path.dirname(envPath), certDir)}/postgresql.key`,
        }
      : {}),
  };
  const envText = readText(ws, envPath);
  const envUri = URI.file(envPath).toString();
  const uriLine = () => {
    const host = req.host ?? 'localhost';
    const port = req.port ?? project?.hostPort ?? 5432;
    const q = Object.entries(want)
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    return `DATABASE_URL=postgresql://${encodeURIComponent(dbUser)}@${host}:${port}/${encodeURIComponent(req.db ?? project?.db ?? dbUser)}?${q}`;
  };
  if (envText === undefined) {
    changes.push({ kind: 'create', uri: envUri, options: { ignoreIfExists: true } });
    changes.push({ textDocument: { uri: envUri, version: null }, edits: [insertAt({ line: 0, character: 0 }, uriLine() + '\n')] });
    summary.push(`create ${path.basename(envPath)} with ${uriLine().split('?')[0]}?sslmode=verify-full…`);
  } else {
    const edits = envEdits(envText, want, uriLine, summary, path.basename(envPath));
    if (edits.length) changes.push({ textDocument: { uri: envUri, version: null }, edits });
  }
  return { edit: { documentChanges: changes }, summary, todo };
}

function insertAt(at: { line: number; character: number }, newText: string): TextEdit {
  return { range: { start: at, end: at }, newText };
}

/** The URI of the .env to correct: one that dials this machine, else the first. */
function pickUri(conns: ConnInfo[]): ConnInfo | undefined {
  const uris = conns.filter((c) => c.kind === 'uri');
  return uris.find((c) => c.hosts.some((h) => /^(localhost|127\.0\.0\.1|\[?::1\]?)$/.test(h.value))) ?? uris[0];
}

function envEdits(text: string, want: Record<string, string>, line: () => string, summary: string[], name: string): TextEdit[] {
  const lines = new LineIndex(text);
  const conn = pickUri(scanText(text).conns);
  if (!conn) {
    const end = lines.positionAt(text.length);
    const lead = text === '' || text.endsWith('\n') ? '' : '\n';
    summary.push(`${name}: add ${line().split('?')[0]}?sslmode=verify-full…`);
    return [insertAt(end, `${lead}${line()}\n`)];
  }
  const edits: TextEdit[] = [];
  const add: string[] = [];
  for (const [k, v] of Object.entries(want)) {
    const p = conn.params.get(k);
    if (!p) add.push(`${k}=${v}`);
    else if (p.value !== v) {
      edits.push({ range: lines.range(p.valueStart, p.valueEnd), newText: v });
      summary.push(`${name}: ${k}=${p.value} → ${v}`);
    }
  }
  if (add.length) {
    const raw = text.slice(conn.start, conn.end);
    const sep = raw.includes('?') ? (raw.endsWith('?') || raw.endsWith('&') ? '' : '&') : '?';
    edits.push(insertAt(lines.positionAt(conn.end), sep + add.join('&')));
    summary.push(`${name}: add ${add.join('&')} to the connection URI`);
  }
  return edits;
}

/** The `-c` flags the server needs, in the order written. */
function wantedFlags(mutual: boolean): [string, string][] {
  return [
    ['ssl', 'on'],
    ['ssl_cert_file', `${PG_CONTAINER_DIR}/server.crt`],
    ['ssl_key_file', `${PG_CONTAINER_DIR}/server.key`],
    ...(mutual ? ([['ssl_ca_file', `${PG_CONTAINER_DIR}/root.crt`]] as [string, string][]) : []),
  ];
}

function composeEdits(
  composePath: string,
  text: string,
  svc: PgComposeService,
  certDir: string,
  mutual: boolean,
  ws: Workspace,
  env: Record<string, string | undefined>,
  summary: string[],
): TextEdit[] {
  const lines = new LineIndex(text);
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const name = path.basename(composePath);
  const body = serviceBody(text, svc.name);
  if (!body || body.flow) {
    summary.push(`${name}: service ${svc.name} is not a block mapping; add the ssl flags and the mount by hand`);
    return [];
  }
  const keyLine = lines.positionAt(svc.start).line;
  const childIndent = ' '.repeat(body.range ? lines.positionAt(body.range[0]).character : lines.positionAt(svc.start).character + 2);
  // New keys go after the service's last line, so they read as the end of the service.
  const lastPair = body.items.at(-1);
  const lastNode = (lastPair?.value ?? lastPair?.key) as Node | undefined;
  let end = lastNode?.range ? lastNode.range[1] : svc.start;
  while (end > svc.start && /\s/.test(text[end - 1])) end--;
  const endLine = Math.max(keyLine, lines.positionAt(end).line);
  const serviceEnd = { line: endLine, character: lines.lineText(endLine).length };
  const edits: TextEdit[] = [];
  // New keys come after list items appended at the same point, or the items would join the new key's list.
  const newKeys: TextEdit[] = [];
  // Flags: values corrected in place, missing ones appended to the command.
  const missing: [string, string][] = [];
  for (const [k, v] of wantedFlags(mutual)) {
    const f = svc.flags.get(k);
    if (!f) missing.push([k, v]);
    else if (f.value.value !== v) {
      if (f.value.end - f.value.start === f.value.value.length) {
        edits.push({ range: lines.range(f.value.start, f.value.end), newText: v });
        summary.push(`${name}: service ${svc.name}: ${k}=${f.value.value} → ${v}`);
      } else summary.push(`${name}: service ${svc.name}: change ${k} to ${v} by hand`);
    }
  }
  if (missing.length) {
    const cmd = body.get('command', true) as Node | undefined;
    const words = missing.map(([k, v]) => ['-c', `${k}=${v}`]);
    const said = `${name}: service ${svc.name}: add ${missing.map(([k, v]) => `-c ${k}=${v}`).join(' ')} to command`;
    if (!cmd) {
      newKeys.push(insertAt(serviceEnd, `${nl}${childIndent}command: ${words.flat().join(' ')}`));
      summary.push(said);
    } else if (isScalar(cmd) && cmd.range && ((cmd as Scalar).type === 'PLAIN' || (cmd as Scalar).type?.startsWith('QUOTE'))) {
      const end = (cmd as Scalar).type === 'PLAIN' ? cmd.range[1] : cmd.range[1] - 1;
      edits.push(insertAt(lines.positionAt(end), ' ' + words.flat().join(' ')));
      summary.push(said);
    } else if (isSeq(cmd) && cmd.range && cmd.flow) {
      const close = text.lastIndexOf(']', cmd.range[1]);
      const before = text.slice(cmd.range[0], close).replace(/\s+$/, '');
      const items = words.flat().map((w) => JSON.stringify(w));
      edits.push(insertAt(lines.positionAt(cmd.range[0] + before.length), (before.endsWith('[') ? '' : ', ') + items.join(', ')));
      summary.push(said);
    } else if (isSeq(cmd) && cmd.items.length && (cmd.items.at(-1) as Node).range) {
      const last = lines.positionAt((cmd.items.at(-1) as Node).range![1]);
      const dash = /^\s*/.exec(lines.lineText(lines.positionAt((cmd.items[0] as Node).range![0]).line))![0];
      const at = { line: last.line, character: lines.lineText(last.line).length };
      const item = (w: string) => (/^[A-Za-z0-9_/.=:-]+$/.test(w) ? w : JSON.stringify(w));
      edits.push(
        insertAt(
          at,
          words
            .flat()
            .map((w) => `${nl}${dash}- ${item(w)}`)
            .join(''),
        ),
      );
      summary.push(said);
    } else
      summary.push(
        `${name}: service ${svc.name}: command is written in a form the wiring does not edit; ${said.split(': ').at(-1)} by hand`,
      );
  }
  // The mount: the folder, read-only, unless the container already sees it there.
  const model = loadCompose(composePath, ws, env);
  const mounts = model?.services.find((s) => s.name === svc.name)?.volumes ?? [];
  const probe = containerToHost(`${PG_CONTAINER_DIR}/server.crt`, mounts);
  if (probe.hostPath === undefined || path.dirname(probe.hostPath) !== certDir) {
    const r = rel(path.dirname(composePath), certDir);
    const entry = `${r.startsWith('/') ? r : './' + r}:${PG_CONTAINER_DIR}:ro`;
    summary.push(`${name}: service ${svc.name}: add volume ${entry}`);
    if (mounts.length) {
      const last = mounts[mounts.length - 1];
      const dash = /^\s*/.exec(lines.lineText(last.range.start.line))![0];
      edits.push(insertAt({ line: last.range.end.line, character: lines.lineText(last.range.end.line).length }, `${nl}${dash}- ${entry}`));
    } else {
      newKeys.push(insertAt(serviceEnd, `${nl}${childIndent}volumes:${nl}${childIndent}  - ${entry}`));
    }
  }
  return [...edits, ...newKeys];
}
