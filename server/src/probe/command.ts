/**
 * The server command `tlsConfig.server.testConnection`: derives the endpoint
 * from a document with the service (as the CLI's `probe --config`), reads the
 * files through the trust-aware workspace, runs one probe, and answers the
 * result with a Markdown rendering. Every LSP client can run it; VS Code shows
 * the Markdown in a preview.
 */
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { LanguageService } from '../service';
import type { Workspace } from '../service/workspace';
import type { TestConnectionParams, TestConnectionResult } from '../protocol';
import { runProbe, formatMarkdown, targetProblem, type ProbeTarget, type ProbeFacts } from './index';

export interface TestConnectionContext {
  ws: Workspace;
  service: LanguageService;
  openText: (file: string) => string | undefined;
  signal?: AbortSignal;
  say?: (kind: 'info' | 'warning' | 'error', text: string) => void;
}

export async function testConnection(a: TestConnectionParams, ctx: TestConnectionContext): Promise<TestConnectionResult> {
  const arg = (a && typeof a === 'object' ? a : {}) as TestConnectionParams;
  if (arg.quiet) ctx = { ...ctx, say: undefined };
  let target: Partial<ProbeTarget> = {};
  let facts: ProbeFacts | undefined;
  let label: string | undefined;
  if (typeof arg.uri === 'string') {
    const u = URI.parse(arg.uri);
    if (u.scheme !== 'file') throw new Error(`testConnection needs a file: URI, got ${arg.uri}`);
    const file = u.fsPath;
    let text = ctx.openText(file);
    if (text === undefined) {
      const r = ctx.ws.read(file);
      if (!r.ok) throw new Error(r.message);
      text = Buffer.from(r.bytes).toString('utf8');
    }
    const targets = ctx.service.connectionTargets({ path: file, uri: arg.uri, text });
    const t = targets[Number.isInteger(arg.index) ? arg.index! : 0];
    if (!t && !arg.target?.host) {
      const message = `${path.basename(file)} describes no endpoint to test (a milvus.yaml with a tls block, for now). Give host and port instead.`;
      ctx.say?.('warning', message);
      return { status: 'no-target', message };
    }
    if (t) {
      target = { ...t.target };
      facts = t.facts;
      label = t.label;
    }
  }
  for (const [k, v] of Object.entries(arg.target ?? {}))
    if (v !== undefined && v !== null && v !== '') (target as Record<string, unknown>)[k] = v;
  // Answers the user gave before fill only what the document and the explicit target leave open.
  for (const k of ['ca', 'cert', 'key', 'serverName'] as const) {
    const v = arg.fallback?.[k];
    if (typeof v === 'string' && v && !target[k]) target[k] = v;
  }
  if (typeof target.port === 'string') target.port = Number(target.port);
  const problem = targetProblem(target);
  if (problem) throw new Error(`testConnection: ${problem}`);
  const result = await runProbe(target as ProbeTarget, {
    readFile: (f) => {
      const r = ctx.ws.read(f);
      return r.ok ? { bytes: r.bytes } : { error: r.message };
    },
    facts,
    timeoutMs: typeof arg.timeoutMs === 'number' ? arg.timeoutMs : undefined,
    signal: ctx.signal,
  });
  const where = `${result.target.host}:${result.target.port}`;
  const message = result.ok
    ? `TLS connection to ${where} OK: ${result.protocol}${result.alpn ? `, ALPN ${result.alpn}` : ''}${result.clientCertificate.accepted ? ', client certificate accepted' : ''}.`
    : `TLS connection to ${where} failed: ${result.error}`;
  ctx.say?.(result.ok ? 'info' : 'error', message);
  return { ...result, status: 'tested', markdown: formatMarkdown(result), message, ...(label ? { label } : {}) };
}
