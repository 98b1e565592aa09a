/**
 * Where libpq settings are written: URIs and `key=value` strings anywhere in a text file (.env,
 * YAML, JSON, properties), PG* variables, pg_service.conf services, and the server's
 * postgresql.conf. Line scans only: a file with none of it costs one regex test.
 */
import { parseUri, parseKeywordValue, looksLikeKeywordValue, ENV_KEYWORDS, type ConnInfo, type Param } from './conninfo';

const URI_RE = /(?:jdbc:)?postgres(?:ql)?:\/\/[^\s"'`<>\\]*/g;
const KV_RUN_RE = /\b[a-z_]+\s*=\s*(?:'(?:[^'\\]|\\.)*'|[^\s'"=]+)(?:[ \t]+[a-z_]+\s*=\s*(?:'(?:[^'\\]|\\.)*'|[^\s'"=]+))+/g;
const ENV_LINE_RE = /^([ \t]*(?:-[ \t]*)?(?:export[ \t]+)?["']?)(PG[A-Z]+)(["']?[ \t]*[=:][ \t]*)(.*)$/gm;

/** Cheap test: could this text hold a libpq setting at all? */
export function mentionsPostgres(text: string): boolean {
  return /postgres(?:ql)?:\/\/|\bsslmode\b|\bPGSSL[A-Z]+\b|\bPGHOST\b|\bPGSERVICE\b|\bservice\s*=/.test(text);
}

/** The value of a `NAME=value` / `NAME: value` line: quotes removed, a trailing comment dropped. */
function lineValue(raw: string, at: number): { value: string; start: number; end: number } {
  const t = raw.replace(/\s+$/, '');
  const q = t[0];
  if ((q === '"' || q === "'") && t.length >= 2) {
    const close = t.indexOf(q, 1);
    if (close > 0) return { value: t.slice(1, close), start: at + 1, end: at + close };
  }
  const hash = t.search(/\s#/);
  const v = hash >= 0 ? t.slice(0, hash).replace(/\s+$/, '') : t;
  return { value: v, start: at, end: at + v.length };
}

export interface Scanned {
  conns: ConnInfo[];
  /** PG* variables, in document order. */
  env: Param[];
}

/** Every URI, keyword/value string and PG* variable in a text; `within` limits it to offsets [from, to). */
export function scanText(text: string, from = 0, to = text.length): Scanned {
  const conns: ConnInfo[] = [];
  const env: Param[] = [];
  const slice = text.slice(from, to);
  for (const m of slice.matchAll(URI_RE)) {
    const raw = m[0].replace(/[),;.]+$/, '');
    if (!/:\/\/./.test(raw) && !raw.includes('?')) continue;
    conns.push(parseUri(raw, from + m.index!, raw.startsWith('jdbc:') ? 'the JDBC URL' : 'the URI'));
  }
  for (const m of slice.matchAll(KV_RUN_RE)) {
    const info = parseKeywordValue(m[0], from + m.index!);
    if (info && looksLikeKeywordValue(info) && !conns.some((c) => c.start <= info.start && info.start < c.end)) conns.push(info);
  }
  for (const m of slice.matchAll(ENV_LINE_RE)) {
    const key = ENV_KEYWORDS[m[2]];
    if (!key) continue;
    const keyStart = from + m.index! + m[1].length;
    const vStart = keyStart + m[2].length + m[3].length;
    const v = lineValue(m[4], vStart);
    env.push({
      key,
      value: v.value,
      keyStart,
      keyEnd: keyStart + m[2].length,
      valueStart: v.start,
      valueEnd: v.end,
      origin: m[2],
      placeholder: /\$\{|\$[A-Za-z_]/.test(v.value) || undefined,
    });
  }
  conns.sort((a, b) => a.start - b.start);
  return { conns, env };
}

/** The environment variables as one connection (libpq reads them when the string does not say). */
export function envConn(env: Param[]): ConnInfo | undefined {
  if (env.length === 0) return undefined;
  const params = new Map<string, Param>();
  for (const p of env) params.set(p.key, p);
  const h = params.get('host');
  return { kind: 'env', start: env[0].keyStart, end: env.at(-1)!.valueEnd, params, hosts: h ? [h] : [] };
}

export interface ServiceSection {
  name: string;
  nameStart: number;
  nameEnd: number;
  conn: ConnInfo;
  /** Lines libpq rejects: "syntax error in service file". */
  bad: { start: number; end: number; line: string }[];
}

/** pg_service.conf (libpq parseServiceFile): `[name]` sections of `key=value` lines, `#` comments. */
export function parseServiceFile(text: string): ServiceSection[] {
  const out: ServiceSection[] = [];
  let cur: ServiceSection | undefined;
  let off = 0;
  for (const line of text.split('\n')) {
    const start = off;
    off += line.length + 1;
    const lead = line.length - line.trimStart().length;
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    if (t.startsWith('[')) {
      const close = t.indexOf(']');
      const name = t.slice(1, close > 0 ? close : undefined);
      cur = {
        name,
        nameStart: start + lead + 1,
        nameEnd: start + lead + 1 + name.length,
        conn: { kind: 'service', start: start + lead, end: start + lead + t.length, params: new Map(), hosts: [] },
        bad: [],
      };
      out.push(cur);
      continue;
    }
    if (!cur) continue;
    const eq = t.indexOf('=');
    if (eq <= 0) {
      cur.bad.push({ start: start + lead, end: start + lead + t.length, line: t });
      continue;
    }
    const key = t.slice(0, eq);
    const value = t.slice(eq + 1);
    cur.conn.params.set(key, {
      key,
      value,
      keyStart: start + lead,
      keyEnd: start + lead + key.length,
      valueStart: start + lead + eq + 1,
      valueEnd: start + lead + t.length,
      origin: `service [${cur.name}]`,
    });
    cur.conn.end = start + lead + t.length;
    const h = cur.conn.params.get('host');
    cur.conn.hosts = h ? [h] : [];
  }
  return out;
}

export interface ConfSetting {
  name: string;
  value: string;
  keyStart: number;
  keyEnd: number;
  valueStart: number;
  valueEnd: number;
}

/** postgresql.conf (guc-file.l): `name [=] value [# comment]`, values bare or single-quoted ('' for a quote). Later lines win. */
export function parsePostgresqlConf(text: string): Map<string, ConfSetting> {
  const out = new Map<string, ConfSetting>();
  let off = 0;
  for (const line of text.split('\n')) {
    const start = off;
    off += line.length + 1;
    const m = /^(\s*)([A-Za-z_][A-Za-z0-9_.]*)(\s*=\s*|\s+)(.*)$/.exec(line);
    if (!m) continue;
    const name = m[2].toLowerCase();
    const rest = m[4];
    const vs = start + m[1].length + m[2].length + m[3].length;
    let value: string;
    let len: number;
    if (rest.startsWith("'")) {
      let i = 1;
      value = '';
      while (i < rest.length) {
        if (rest[i] === "'" && rest[i + 1] === "'") {
          value += "'";
          i += 2;
        } else if (rest[i] === '\\' && i + 1 < rest.length) {
          value += rest[i + 1];
          i += 2;
        } else if (rest[i] === "'") {
          i++;
          break;
        } else value += rest[i++];
      }
      len = i;
    } else {
      const v = /^[^\s#]*/.exec(rest)![0];
      value = v;
      len = v.length;
    }
    out.set(name, {
      name,
      value,
      keyStart: start + m[1].length,
      keyEnd: start + m[1].length + m[2].length,
      valueStart: vs,
      valueEnd: vs + len,
    });
  }
  return out;
}

/** Boolean GUC values as PostgreSQL parses them (parse_bool): on/off, true/false, yes/no, 1/0 and unique prefixes. */
export function gucBool(v: string): boolean | undefined {
  const s = v.trim().toLowerCase();
  if (s === '') return undefined;
  if (s === 'on' || s === '1' || (s.length >= 1 && 'true'.startsWith(s)) || (s.length >= 1 && 'yes'.startsWith(s))) return true;
  if (s === 'off' || s === 'of' || s === '0' || (s.length >= 1 && 'false'.startsWith(s)) || (s.length >= 1 && 'no'.startsWith(s)))
    return false;
  return undefined;
}
