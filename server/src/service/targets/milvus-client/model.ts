/**
 * One shape for a client that connects to Milvus, whether pymilvus or curl wrote it: where it
 * dials, whether it speaks TLS, which files it hands its TLS stack, and what the stack does with
 * them. How pymilvus turns its arguments into a gRPC channel is read from milvus-io/pymilvus
 * (`pymilvus/client/connection_manager.py` ConnectionConfig.from_uri, `pymilvus/orm/connections.py`
 * connect, `pymilvus/client/grpc_handler.py` _create_grpc_channel, 2026-08):
 *
 * - `uri` `https://…` sets secure=True; MilvusClient lets an explicit `secure=` win, connections.connect
 *   forces it. The default port is 443 for https and 19530 otherwise; a `uri` ending in `.db` is Milvus Lite.
 * - Not secure: `grpc.insecure_channel`, every TLS argument ignored.
 * - Secure: `server_name` becomes `grpc.ssl_target_name_override` (the name verified and sent as SNI;
 *   without it, the URI host). `server_pem_path` set: it is the only root and *no client certificate is
 *   sent*. Else `client_pem_path`, `client_key_path` and `ca_pem_path` all set: mutual TLS with `ca_pem_path`
 *   as the root. Else: the system roots, no client certificate.
 */
import type { Range } from 'vscode-languageserver-types';
import { LineIndex } from '../../text';
import { pymilvusCalls, type PyArg, type PyCall } from './python';
import { curlCommands, splitCertPassword, type CurlCommand, type ShellWord } from './curl';

export type FileArgRole = 'server-pem' | 'ca' | 'client-cert' | 'client-key';

/** A setting of the call as written: its value when literal, where it is. */
export interface ClientArg {
  /** As the user wrote it: `server_pem_path`, `--cacert`. */
  name: string;
  /** undefined: dynamic (a variable, an f-string, `$CA`). */
  value?: string | boolean;
  nameRange?: Range;
  valueRange: Range;
  /** The module-level name a pymilvus value came from, and its line. */
  via?: { name: string; line: number };
}

export interface ClientCall {
  kind: 'pymilvus' | 'curl';
  /** `MilvusClient`, `connections.connect`, `curl`. */
  callee: string;
  calleeRange: Range;
  range: Range;
  /** The URI / URL as written, or the default pymilvus uses. */
  uri?: ClientArg;
  scheme?: string;
  host?: string;
  port?: number;
  /** URL path (curl): `/v2/vectordb/...`. */
  path?: string;
  /** Whether the client speaks TLS; undefined when a dynamic value decides. */
  secure?: boolean;
  /** Where `secure` comes from, for messages. */
  secureFrom: string;
  secureArg?: ClientArg;
  files: Partial<Record<FileArgRole, ClientArg>>;
  serverName?: ClientArg;
  /** curl -k: no verification at all. */
  insecure?: ClientArg;
  /** curl --capath: a folder of hashed CA certificates (not read here), so the roots are not only the system's. */
  capath?: ClientArg;
  /** curl --pass, or --cert file:password. */
  passphrase?: boolean;
  /** curl --cert-type / --key-type other than PEM: the files are not read as PEM. */
  nonPem?: boolean;
  /** Arguments we cannot see (`**kwargs`): nothing is "missing". */
  open: boolean;
  /** Every TLS-related argument, for hovers. */
  args: ClientArg[];
}

export interface ClientModel {
  calls: ClientCall[];
  lines: LineIndex;
  markdown: boolean;
}

const PY_FILES: Record<string, FileArgRole> = {
  server_pem_path: 'server-pem',
  ca_pem_path: 'ca',
  client_pem_path: 'client-cert',
  client_key_path: 'client-key',
};

/** Parsed URI parts, or undefined when it is not an http(s)/tcp URL. */
export function parseUri(uri: string): { scheme: string; host: string; port?: number; path: string } | undefined {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d{1,5}))?([^?#]*)/i.exec(uri.trim());
  if (!m) return undefined;
  return { scheme: m[1].toLowerCase(), host: m[2].replace(/^\[|\]$/g, ''), port: m[3] ? Number(m[3]) : undefined, path: m[4] };
}

function pyCall(call: PyCall, lines: LineIndex): ClientCall | undefined {
  const r = (a: number, b: number) => lines.range(a, b);
  const named = new Map<string, PyArg>();
  for (const a of call.args) if (a.name) named.set(a.name, a);
  // MilvusClient(uri, user, password, db_name, token, timeout); connections.connect(alias, user, password, db_name, token, **kwargs).
  const uriArg = named.get('uri') ?? (call.callee !== 'connections.connect' ? call.args.find((a) => a.index === 0) : undefined);
  const toArg = (name: string, a: PyArg): ClientArg => ({
    name,
    value: a.value.kind === 'string' ? a.value.value : a.value.kind === 'bool' ? a.value.value : undefined,
    nameRange: a.nameStart !== undefined ? r(a.nameStart, a.nameEnd!) : undefined,
    valueRange: r(a.valueStart, a.valueEnd),
    via: a.via ? { name: a.via.name, line: lines.positionAt(a.via.start).line } : undefined,
  });
  const out: ClientCall = {
    kind: 'pymilvus',
    callee: call.callee,
    calleeRange: r(call.calleeStart, call.calleeEnd),
    range: r(call.calleeStart, call.end),
    secureFrom: '',
    files: {},
    open: call.spread,
    args: [],
  };
  let uri: string | undefined = call.callee === 'connections.connect' ? undefined : 'http://localhost:19530';
  if (uriArg) {
    out.uri = toArg('uri', uriArg);
    uri = typeof out.uri.value === 'string' ? out.uri.value : undefined;
    if (uriArg.value.kind === 'none') uri = 'http://localhost:19530';
  }
  if (uri !== undefined) {
    if (/\.db$/i.test(uri.trim()) || uri.startsWith('unix:')) return undefined; // Milvus Lite, a Unix socket: no TLS
    const u = parseUri(uri);
    if (u) {
      out.scheme = u.scheme;
      out.host = u.host || 'localhost';
      out.port = u.port ?? (u.scheme === 'https' ? 443 : 19530);
    }
  } else if (!uriArg && call.callee === 'connections.connect') {
    const host = named.get('host');
    const port = named.get('port');
    const hv = host ? (host.value.kind === 'string' ? host.value.value : undefined) : 'localhost';
    const pv = port
      ? port.value.kind === 'string'
        ? Number(port.value.value)
        : port.value.kind === 'number'
          ? port.value.value
          : undefined
      : 19530;
    if (hv !== undefined && pv !== undefined && Number.isInteger(pv)) {
      out.scheme = 'tcp';
      out.host = hv;
      out.port = pv;
    }
    if (named.has('address')) out.host = out.port = undefined;
  }
  const secure = named.get('secure');
  if (secure) {
    out.secureArg = toArg('secure', secure);
    out.args.push(out.secureArg);
  }
  const explicit = secure?.value.kind === 'bool' ? secure.value.value : undefined;
  if (out.scheme === 'https' && (call.callee === 'connections.connect' || !secure)) {
    out.secure = true;
    out.secureFrom = 'the https:// URI';
  } else if (secure) {
    out.secure = explicit;
    out.secureFrom = `secure=${explicit ? 'True' : 'False'}`;
  } else if (uriArg && uri === undefined) out.secure = undefined;
  else {
    out.secure = false;
    out.secureFrom = out.scheme ? `the ${out.scheme}:// URI without secure=True` : 'no secure=True';
  }
  for (const [name, role] of Object.entries(PY_FILES)) {
    const a = named.get(name);
    if (!a) continue;
    const arg = toArg(name, a);
    out.args.push(arg);
    // pymilvus compares each with "": an empty string or None is "not given".
    if (a.value.kind === 'none' || arg.value === '') continue;
    out.files[role] = arg;
  }
  const sn = named.get('server_name');
  if (sn) {
    const arg = toArg('server_name', sn);
    out.args.push(arg);
    if (arg.value !== '' && sn.value.kind !== 'none') out.serverName = arg;
  }
  if (out.uri) out.args.push(out.uri);
  return out;
}

function word(name: string, w: ShellWord | undefined, lines: LineIndex, nameStart: number, nameEnd: number): ClientArg {
  return {
    name,
    value: w?.value,
    nameRange: lines.range(nameStart, nameEnd),
    valueRange: w ? lines.range(w.start, w.end) : lines.range(nameStart, nameEnd),
  };
}

function curlCall(cmd: CurlCommand, lines: LineIndex): ClientCall | undefined {
  if (!cmd.url) return undefined;
  const url = cmd.url.value;
  const u = url === undefined ? undefined : parseUri(url);
  const out: ClientCall = {
    kind: 'curl',
    callee: 'curl',
    calleeRange: lines.range(cmd.nameStart, cmd.nameEnd),
    range: lines.range(cmd.start, cmd.end),
    uri: { name: 'URL', value: url, valueRange: lines.range(cmd.url.start, cmd.url.end) },
    secureFrom: u ? `the ${u.scheme}:// URL` : 'the URL',
    files: {},
    open: url === undefined,
    args: [],
  };
  if (u) {
    out.scheme = u.scheme;
    out.host = u.host;
    out.port = u.port ?? (u.scheme === 'https' ? 443 : 80);
    out.path = u.path;
    out.secure = u.scheme === 'https';
  }
  out.args.push(out.uri!);
  for (const o of cmd.options) {
    const arg = word(o.name, o.value, lines, o.nameStart, o.nameEnd);
    arg.name = o.written;
    out.args.push(arg);
    if (o.name === '--insecure') out.insecure = arg;
    else if (o.name === '--pass') out.passphrase = true;
    else if (o.name === '--capath') out.capath = arg;
    else if (o.name === '--cert-type' || o.name === '--key-type') {
      if (typeof arg.value === 'string' && arg.value.toUpperCase() !== 'PEM') out.nonPem = true;
    } else if (o.name === '--cacert') out.files.ca = arg;
    else if (o.name === '--key') out.files['client-key'] = arg;
    else if (o.name === '--cert') {
      if (typeof arg.value === 'string') {
        const split = splitCertPassword(arg.value);
        if (split.password) out.passphrase = true;
        arg.value = split.file;
      }
      out.files['client-cert'] = arg;
    }
  }
  return out;
}

/** Whether a curl URL is Milvus's REST API (`/v2/vectordb/…`, 2.4+; `/v1/vector/…`, 2.3) or its default port. */
export function looksLikeMilvusRest(call: ClientCall): boolean {
  return /^\/v2\/vectordb(\/|$)|^\/v1\/vector(\/|$)/.test(call.path ?? '') || call.port === 19530;
}

export function parseClientDocument(text: string, kind: 'python' | 'shell' | 'markdown'): ClientModel {
  const lines = new LineIndex(text);
  const calls: ClientCall[] = [];
  if (kind === 'python') {
    for (const c of pymilvusCalls(text)) {
      const call = pyCall(c, lines);
      if (call) calls.push(call);
    }
  } else {
    for (const c of curlCommands(text, kind === 'markdown')) {
      const call = curlCall(c, lines);
      if (call) calls.push(call);
    }
  }
  return { calls, lines, markdown: kind === 'markdown' };
}
