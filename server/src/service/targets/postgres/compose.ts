/**
 * What a compose file says about Postgres: which services run the server and with which `-c`
 * flags in `command:`, where each service's `environment:` lies (a client's PG* variables belong
 * to its service), and a `command:` written under `environment:` by mistake.
 */
import { parseDocument, isMap, isSeq, isScalar, isPair, type Node, type YAMLMap } from 'yaml';

export interface Span {
  value: string;
  start: number;
  end: number;
}

export interface PgComposeService {
  name: string;
  start: number;
  end: number;
  image?: string;
  user?: string;
  /** Names a client dials to reach it: the service name, hostname, container_name. */
  names: string[];
  /** `-c name=value` / `--name=value` flags of `command:`. */
  flags: Map<string, { name: Span; value: Span }>;
  commandStart?: number;
  commandEnd?: number;
  environment: Map<string, Span>;
  /** `command` as a key inside `environment:` (Postgres never sees it). */
  commandUnderEnv?: { start: number; end: number };
}

function str(n: unknown): string | undefined {
  return isScalar(n) && (typeof n.value === 'string' || typeof n.value === 'number') ? String(n.value) : undefined;
}

/** Offset of a scalar's value in the source (inside its quotes). */
function spanOf(text: string, n: Node): Span | undefined {
  if (!isScalar(n) || !n.range) return undefined;
  const [s, e] = n.range;
  const quoted = text[s] === '"' || text[s] === "'";
  const v = String(n.value ?? '');
  return { value: v, start: quoted ? s + 1 : s, end: quoted ? Math.max(s + 1, e - 1) : e };
}

/** Whitespace-separated words of a string command, with offsets (compose splits it like a shell). */
function words(sp: Span, raw: string): Span[] {
  const out: Span[] = [];
  // Offsets are exact only when the source holds the value as is (plain or simply quoted).
  const exact = raw === sp.value;
  for (const m of sp.value.matchAll(/(?:'[^']*'|"[^"]*"|[^\s'"])+/g)) {
    const w = m[0].replace(/^(['"])(.*)\1$/, '$2').replace(/=(['"])(.*)\1$/, '=$2');
    const s = exact ? sp.start + m.index! : sp.start;
    out.push({ value: w, start: s, end: exact ? s + m[0].length : sp.end });
  }
  return out;
}

function flagsOf(args: Span[]): Map<string, { name: Span; value: Span }> {
  const out = new Map<string, { name: Span; value: Span }>();
  for (let i = 0; i < args.length; i++) {
    let a = args[i];
    if (a.value === '-c' && args[i + 1]) a = args[++i];
    else if (a.value.startsWith('-c') && a.value.length > 2) a = { value: a.value.slice(2), start: a.start + 2, end: a.end };
    else if (a.value.startsWith('--') && a.value.includes('=')) a = { value: a.value.slice(2), start: a.start + 2, end: a.end };
    else continue;
    const eq = a.value.indexOf('=');
    if (eq <= 0) continue;
    const name = a.value.slice(0, eq).toLowerCase().replace(/-/g, '_');
    // A GUC name; anything else (a shell script after sh -c) is not a server flag.
    if (!/^[a-z_][a-z0-9_.]*$/.test(name)) continue;
    const exact = a.end - a.start === a.value.length;
    out.set(name, {
      name: { value: name, start: a.start, end: exact ? a.start + eq : a.end },
      value: { value: a.value.slice(eq + 1), start: exact ? a.start + eq + 1 : a.start, end: a.end },
    });
  }
  return out;
}

function get(map: YAMLMap, key: string): unknown {
  for (const p of map.items) if (isPair(p) && str(p.key) === key) return p.value;
  return undefined;
}

export function parsePgCompose(text: string): PgComposeService[] {
  const out: PgComposeService[] = [];
  let doc;
  try {
    doc = parseDocument(text, { uniqueKeys: false, strict: false });
  } catch {
    return out;
  }
  const root = doc.contents;
  if (!isMap(root)) return out;
  const services = get(root, 'services');
  if (!isMap(services)) return out;
  for (const p of services.items) {
    if (!isPair(p) || !isMap(p.value)) continue;
    const name = str(p.key);
    const body = p.value;
    if (!name || !body.range) continue;
    const svc: PgComposeService = {
      name,
      start: (p.key as Node).range?.[0] ?? body.range[0],
      end: body.range[2],
      image: str(get(body, 'image')),
      user: str(get(body, 'user')),
      names: [name, str(get(body, 'hostname')), str(get(body, 'container_name'))].filter((x): x is string => !!x),
      flags: new Map(),
      environment: new Map(),
    };
    const cmd = get(body, 'command') as Node | undefined;
    const entrypoint = get(body, 'entrypoint') as Node | undefined;
    const first = isScalar(entrypoint) ? String(entrypoint.value ?? '') : isSeq(entrypoint) ? String(str(entrypoint.items[0]) ?? '') : '';
    // With a shell as the entrypoint, command is a script: its -c is the shell's, not postgres's.
    const shell = /(^|\/)(ba|da|z)?sh(\s|$)/.test(first.trim());
    if (cmd && cmd.range && !shell) {
      svc.commandStart = cmd.range[0];
      svc.commandEnd = cmd.range[1];
      if (isScalar(cmd)) {
        const sp = spanOf(text, cmd);
        if (sp) svc.flags = flagsOf(words(sp, text.slice(sp.start, sp.end)));
      } else if (isSeq(cmd)) {
        const args = cmd.items.map((n) => spanOf(text, n as Node)).filter((x): x is Span => !!x);
        svc.flags = flagsOf(args);
      }
    }
    const env = get(body, 'environment');
    if (isMap(env)) {
      for (const e of env.items) {
        if (!isPair(e)) continue;
        const k = str(e.key);
        if (!k) continue;
        if (k === 'command' && (e.key as Node).range) {
          const kr = (e.key as Node).range!;
          svc.commandUnderEnv = { start: kr[0], end: kr[1] };
        }
        const sp = e.value ? spanOf(text, e.value as Node) : undefined;
        if (sp) svc.environment.set(k, sp);
      }
    } else if (isSeq(env)) {
      for (const e of env.items) {
        const sp = spanOf(text, e as Node);
        if (!sp) continue;
        const eq = sp.value.indexOf('=');
        if (eq > 0) svc.environment.set(sp.value.slice(0, eq), { value: sp.value.slice(eq + 1), start: sp.start + eq + 1, end: sp.end });
      }
    }
    out.push(svc);
  }
  return out;
}

/** Whether a service runs the Postgres server: by image, or by `-c ssl…` flags in its command. */
export function isPostgresServer(s: PgComposeService): boolean {
  const img = (s.image ?? '').toLowerCase();
  return /(^|\/)(postgres|postgis|timescaledb[^/:]*|pgvector)(:|@|$)/.test(img) || [...s.flags.keys()].some((k) => k.startsWith('ssl'));
}

/** The uid the server runs as in the image: 999 in the official Debian images, 70 in the Alpine ones. */
export function serverUid(s: PgComposeService): number | undefined {
  if (s.user && /^\d+/.test(s.user)) return Number(/^\d+/.exec(s.user)![0]);
  const img = (s.image ?? '').toLowerCase();
  if (!/(^|\/)(library\/)?(postgres|postgis\/postgis|pgvector\/pgvector)(:|@|$)/.test(img)) return undefined;
  return /alpine/.test(img) ? 70 : 999;
}
