/**
 * libpq connection strings as libpq reads them (postgres src/interfaces/libpq/fe-connect.c:
 * conninfo_parse for `key=value` strings, conninfo_uri_parse for `postgresql://` URIs), plus
 * pgjdbc's `jdbc:postgresql://` URLs, with the offset of every key and value in the document so
 * findings land on what the user wrote.
 */

/** One setting as written: the decoded value, and where its key and value sit in the document. */
export interface Param {
  key: string;
  value: string;
  keyStart: number;
  keyEnd: number;
  valueStart: number;
  valueEnd: number;
  /** Where it came from, for messages: "the URI", "PGSSLMODE", "service [prod] in pg_service.conf". */
  origin: string;
  /** The value holds a ${VAR} / $VAR the deployment fills in: its content cannot be judged. */
  placeholder?: boolean;
}

export interface ConnInfo {
  kind: 'uri' | 'jdbc' | 'kv' | 'env' | 'service';
  start: number;
  end: number;
  params: Map<string, Param>;
  /** Hosts of a URI (a list with several hosts), each with its range. */
  hosts: Param[];
}

/** Every keyword libpq knows (PQconndefaults of libpq 16/17), for "unknown keyword" checks and kv detection. */
export const LIBPQ_KEYWORDS = new Set([
  'service',
  'user',
  'password',
  'passfile',
  'channel_binding',
  'connect_timeout',
  'dbname',
  'host',
  'hostaddr',
  'port',
  'client_encoding',
  'options',
  'application_name',
  'fallback_application_name',
  'keepalives',
  'keepalives_idle',
  'keepalives_interval',
  'keepalives_count',
  'tcp_user_timeout',
  'sslmode',
  'sslnegotiation',
  'sslcompression',
  'sslcert',
  'sslkey',
  'sslcertmode',
  'sslpassword',
  'sslrootcert',
  'sslcrl',
  'sslcrldir',
  'sslsni',
  'requirepeer',
  'ssl_min_protocol_version',
  'ssl_max_protocol_version',
  'gssencmode',
  'krbsrvname',
  'gsslib',
  'gssdelegation',
  'replication',
  'target_session_attrs',
  'load_balance_hosts',
  'require_auth',
  'requiressl',
]);

/** Keys that make a `key=value` run a libpq connection string rather than any other assignment list. */
const KV_ANCHORS = /^(host|hostaddr|dbname|sslmode|sslrootcert|sslcert|sslkey|service)$/;

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';

function hasPlaceholder(v: string): boolean {
  return /\$\{|\$[A-Za-z_]|\{\{|%\(|<[A-Za-z_-]+>/.test(v);
}

function decodePercent(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * A `postgresql://` / `postgres://` URI (or `jdbc:postgresql://`) starting at `base` in the document.
 * Never throws; a malformed URI yields what could be read.
 */
export function parseUri(uri: string, base: number, origin = 'the URI'): ConnInfo {
  const info: ConnInfo = {
    kind: uri.startsWith('jdbc:') ? 'jdbc' : 'uri',
    start: base,
    end: base + uri.length,
    params: new Map(),
    hosts: [],
  };
  const scheme = uri.indexOf('://');
  let i = scheme + 3;
  const q = uri.indexOf('?', i);
  const authEnd = (() => {
    const slash = uri.indexOf('/', i);
    const stop = [slash, q].filter((x) => x >= 0);
    return stop.length ? Math.min(...stop) : uri.length;
  })();
  const auth = uri.slice(i, authEnd);
  const at = auth.lastIndexOf('@');
  if (at >= 0) {
    const userinfo = auth.slice(0, at);
    const colon = userinfo.indexOf(':');
    const user = colon >= 0 ? userinfo.slice(0, colon) : userinfo;
    if (user)
      set(info, {
        key: 'user',
        value: decodePercent(user),
        keyStart: base + i,
        keyEnd: base + i,
        valueStart: base + i,
        valueEnd: base + i + user.length,
        origin,
      });
    i += at + 1;
  }
  // Host list: host[:port][,host[:port]]…, IPv6 in brackets.
  const hostPart = uri.slice(i, authEnd);
  let off = i;
  for (const h of hostPart.split(',')) {
    let name = h;
    let nameOff = off;
    if (h.startsWith('[')) {
      const close = h.indexOf(']');
      name = close > 0 ? h.slice(1, close) : h.slice(1);
      nameOff = off + 1;
    } else {
      const c = h.lastIndexOf(':');
      if (c >= 0) name = h.slice(0, c);
    }
    if (name) {
      info.hosts.push({
        key: 'host',
        value: decodePercent(name),
        keyStart: base + nameOff,
        keyEnd: base + nameOff,
        valueStart: base + nameOff,
        valueEnd: base + nameOff + name.length,
        origin,
        placeholder: hasPlaceholder(name) || undefined,
      });
    }
    off += h.length + 1;
  }
  if (info.hosts.length === 1) info.params.set('host', info.hosts[0]);
  else if (info.hosts.length > 1)
    info.params.set('host', { ...info.hosts[0], value: info.hosts.map((h) => h.value).join(','), valueEnd: info.hosts.at(-1)!.valueEnd });
  if (q >= 0) {
    let p = q + 1;
    for (const part of uri.slice(q + 1).split('&')) {
      const eq = part.indexOf('=');
      const rawKey = eq >= 0 ? part.slice(0, eq) : part;
      const rawValue = eq >= 0 ? part.slice(eq + 1) : '';
      if (rawKey) {
        const key = decodePercent(rawKey);
        let value = decodePercent(rawValue);
        const param: Param = {
          key,
          value,
          keyStart: base + p,
          keyEnd: base + p + rawKey.length,
          valueStart: base + p + (eq >= 0 ? eq + 1 : rawKey.length),
          valueEnd: base + p + part.length,
          origin,
          placeholder: hasPlaceholder(rawValue) || undefined,
        };
        // libpq (for JDBC compatibility) reads ssl=true as sslmode=require.
        if (key === 'ssl' && value === 'true' && info.kind === 'uri') {
          value = 'require';
          if (!info.params.has('sslmode')) set(info, { ...param, key: 'sslmode', value, origin: `${origin} (ssl=true)` });
        } else set(info, param);
      }
      p += part.length + 1;
    }
  }
  return info;
}

function set(info: ConnInfo, p: Param): void {
  info.params.set(p.key, p);
}

/**
 * A libpq `key=value` string: keys, optional spaces around `=`, values bare or single-quoted with
 * backslash escapes. Returns undefined when the text is not one (a bare word, an unterminated quote).
 */
export function parseKeywordValue(text: string, base: number, origin = 'the connection string'): ConnInfo | undefined {
  const info: ConnInfo = { kind: 'kv', start: base, end: base + text.length, params: new Map(), hosts: [] };
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && isSpace(text[i])) i++;
    if (i >= n) break;
    const ks = i;
    while (i < n && !isSpace(text[i]) && text[i] !== '=') i++;
    const key = text.slice(ks, i);
    while (i < n && isSpace(text[i])) i++;
    if (text[i] !== '=' || !/^[a-z_]+$/.test(key)) return undefined;
    i++;
    while (i < n && isSpace(text[i])) i++;
    const vs = i;
    let value = '';
    if (text[i] === "'") {
      i++;
      let closed = false;
      while (i < n) {
        if (text[i] === '\\' && i + 1 < n) {
          value += text[i + 1];
          i += 2;
        } else if (text[i] === "'") {
          i++;
          closed = true;
          break;
        } else value += text[i++];
      }
      if (!closed) return undefined;
    } else {
      while (i < n && !isSpace(text[i])) {
        if (text[i] === '\\' && i + 1 < n) {
          value += text[i + 1];
          i += 2;
        } else value += text[i++];
      }
    }
    set(info, {
      key,
      value,
      keyStart: base + ks,
      keyEnd: base + ks + key.length,
      valueStart: base + vs,
      valueEnd: base + i,
      origin,
      placeholder: hasPlaceholder(text.slice(vs, i)) || undefined,
    });
  }
  if (info.params.size === 0) return undefined;
  const h = info.params.get('host');
  if (h) info.hosts = [h];
  return info;
}

/** Whether a `key=value` run is a libpq connection string: libpq keywords only, at least two, one of them telling. */
export function looksLikeKeywordValue(info: ConnInfo): boolean {
  const keys = [...info.params.keys()];
  return keys.length >= 2 && keys.every((k) => LIBPQ_KEYWORDS.has(k)) && keys.some((k) => KV_ANCHORS.test(k));
}

/** The PG* environment variables libpq reads (fe-connect.c PQconninfoOptions envvar column), TLS and routing ones. */
export const ENV_KEYWORDS: Record<string, string> = {
  PGHOST: 'host',
  PGHOSTADDR: 'hostaddr',
  PGPORT: 'port',
  PGDATABASE: 'dbname',
  PGUSER: 'user',
  PGSERVICE: 'service',
  PGSSLMODE: 'sslmode',
  PGSSLROOTCERT: 'sslrootcert',
  PGSSLCERT: 'sslcert',
  PGSSLKEY: 'sslkey',
  PGSSLCRL: 'sslcrl',
  PGSSLPASSWORD: 'sslpassword',
  PGSSLNEGOTIATION: 'sslnegotiation',
  PGSSLSNI: 'sslsni',
  PGREQUIRESSL: 'requiressl',
};
