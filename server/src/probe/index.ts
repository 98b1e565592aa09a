/**
 * "Test TLS connection": the connection tester, the only module of the server
 * that talks to the network, run only on an explicit command (CLI `probe`, the
 * server command, the VS Code command). One connection, one handshake, one
 * read after it; the verdict explained with what the files say.
 */
import { handshake } from './handshake';
import { explain, type ProbeFile } from './explain';
import type { ProbeFacts, ProbeResult, ProbeTarget } from './types';

export type { ProbeFacts, ProbeResult, ProbeTarget, ProbeFinding, ChainEntry, ProbeProtocol } from './types';
export { formatText, formatMarkdown } from './format';
export { opensslCommand, describeBytes } from './explain';

export const DEFAULT_TIMEOUT_MS = 10_000;
export const CONNECT_TIMEOUT_MS = 5_000;
/** Longest deadline a caller may ask for. */
export const MAX_TIMEOUT_MS = 120_000;

export type ReadFile = (file: string) => { bytes: Uint8Array } | { error: string };

export interface ProbeOptions {
  readFile: ReadFile;
  facts?: ProbeFacts;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** How long to wait after the handshake for the server's first word. */
  settleMs?: number;
}

/** Why a target cannot be probed as given (a usage error); undefined when it can. */
export function targetProblem(t: Partial<ProbeTarget> | undefined): string | undefined {
  if (!t || typeof t !== 'object') return 'no target';
  if (typeof t.host !== 'string' || !t.host || /[\s/]/.test(t.host)) return `bad host ${JSON.stringify(t?.host)}`;
  if (!Number.isInteger(t.port) || t.port! < 1 || t.port! > 65535) return `bad port ${JSON.stringify(t.port)} (1–65535)`;
  if (t.protocol !== undefined && !['tls', 'postgres', 'postgres-direct'].includes(t.protocol))
    return `unknown protocol ${t.protocol} (tls, postgres or postgres-direct)`;
  if (!!t.cert !== !!t.key) return 'a client certificate needs its key, and a key its certificate (--cert with --key)';
  if (t.alpn !== undefined && (!Array.isArray(t.alpn) || t.alpn.some((a) => typeof a !== 'string' || !a || a.length > 255)))
    return 'bad ALPN list';
  return undefined;
}

export async function runProbe(t: ProbeTarget, o: ProbeOptions): Promise<ProbeResult> {
  const problem = targetProblem(t);
  if (problem) throw new Error(problem);
  const timeoutMs = Math.max(100, Math.min(o.timeoutMs ?? DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS));
  const protocol = t.protocol ?? 'tls';
  const alpn = t.alpn ?? (protocol === 'postgres-direct' ? ['postgresql'] : []);
  const load = (p: string | undefined): ProbeFile | undefined => {
    if (!p) return undefined;
    const r = o.readFile(p);
    return 'bytes' in r ? { path: p, bytes: r.bytes } : { path: p, error: r.error };
  };
  const ca = load(t.ca);
  const cert = load(t.cert);
  const key = load(t.key);
  const serverCert = load(o.facts?.serverCert);
  const serverName = t.serverName || t.host;
  const h = await handshake({
    host: t.host,
    port: t.port,
    serverName,
    ca: ca?.bytes ? Buffer.from(ca.bytes) : undefined,
    cert: cert?.bytes && key?.bytes ? Buffer.from(cert.bytes) : undefined,
    key: cert?.bytes && key?.bytes ? Buffer.from(key.bytes) : undefined,
    alpn,
    protocol,
    connectTimeoutMs: Math.min(CONNECT_TIMEOUT_MS, timeoutMs),
    timeoutMs,
    settleMs: o.settleMs,
    signal: o.signal,
  });
  return explain(h, { host: t.host, port: t.port, serverName, protocol, alpn, ca, cert, key, serverCert, facts: o.facts, timeoutMs });
}
