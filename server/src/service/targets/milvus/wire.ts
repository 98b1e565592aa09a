/**
 * The edits that wire a generated set into milvus.yaml and the compose file,
 * as one WorkspaceEdit the client shows and applies (so Undo works).
 */
import { volumePrefix } from '../../deploy/compose/volume-prefix';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import type { Workspace } from '../../workspace';
import { LineIndex, lspLines } from '../../text';
import { extractTls, entry } from './extract';
import { flattenMilvus, formatKey, goParseBool } from './effective';
import { MILVUS_WORKDIR, findMilvusService, findMilvusConfigMount } from './deploy';
import { containerToHost, loadCompose } from '../../deploy/compose';

export interface WireRequest {
  /** Host folder holding ca.pem, server.pem, server.key. */
  certDir: string;
  mode: 1 | 2;
  milvusPath?: string;
  composePath?: string;
  /** Container folder the certs are mounted at. */
  containerDir?: string;
}

export interface WirePlan {
  edit: WorkspaceEdit;
  /** One line per change, for the confirmation the client shows. */
  summary: string[];
}

const CONTAINER_DIR = '/milvus/tls';

function read(ws: Workspace, file: string | undefined): string | undefined {
  if (!file) return undefined;
  const r = ws.read(file);
  return r.ok ? lspLines(Buffer.from(r.bytes).toString('utf8')) : undefined;
}

function eol(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

export function planWiring(req: WireRequest, ws: Workspace, env: Record<string, string | undefined> = process.env): WirePlan {
  const containerDir = req.containerDir ?? CONTAINER_DIR;
  const summary: string[] = [];
  const changes: WorkspaceEdit['documentChanges'] = [];
  const milvusPath =
    req.milvusPath ??
    (req.composePath ? path.join(path.dirname(req.composePath), 'milvus.yaml') : path.join(path.dirname(req.certDir), 'milvus.yaml'));
  const paths = {
    serverPemPath: `${containerDir}/server.pem`,
    serverKeyPath: `${containerDir}/server.key`,
    ...(req.mode === 2 ? { caPemPath: `${containerDir}/ca.pem` } : {}),
  };
  const text = read(ws, milvusPath);
  if (text === undefined) {
    const body = [
      'tls:',
      ...Object.entries(paths).map(([k, v]) => `  ${k}: ${v}`),
      '',
      'common:',
      '  security:',
      `    tlsMode: ${req.mode}`,
      '',
      // Milvus 2.6 refuses TLS when REST shares the gRPC port.
      `proxy.http.port: ${HTTP_PORT}`,
      '',
    ].join('\n');
    changes.push({ kind: 'create', uri: URI.file(milvusPath).toString(), options: { ignoreIfExists: true } });
    changes.push({
      textDocument: { uri: URI.file(milvusPath).toString(), version: null },
      edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: body }],
    });
    summary.push(`create ${milvusPath} with tls.* paths and common.security.tlsMode: ${req.mode}`);
  } else {
    const edits = milvusEdits(text, paths, req.mode, summary);
    if (edits.length) changes.push({ textDocument: { uri: URI.file(milvusPath).toString(), version: null }, edits });
  }
  const composeText = read(ws, req.composePath);
  if (req.composePath && composeText !== undefined) {
    const edits = composeEdits(req.composePath, composeText, req.certDir, containerDir, milvusPath, ws, env, summary);
    if (edits.length) changes.push({ textDocument: { uri: URI.file(req.composePath).toString(), version: null }, edits });
  }
  return { edit: { documentChanges: changes }, summary };
}

function milvusEdits(text: string, paths: Record<string, string>, mode: 1 | 2, summary: string[]): TextEdit[] {
  const model = extractTls(text);
  const lines = model.lines;
  const nl = eol(text);
  const edits: TextEdit[] = [];
  const endOf = (line: number) => ({ line, character: lines.lineText(line).length });
  const tls = model.sections.find((s) => s.name === 'tls');
  const missing: string[] = [];
  for (const [k, v] of Object.entries(paths)) {
    const e = entry(model, 'tls', k);
    if (e && e.valueText !== '') {
      if (e.value !== v) {
        edits.push({ range: e.valueRange, newText: v });
        summary.push(`milvus.yaml: tls.${k}: ${e.valueText} → ${v}`);
      }
    } else if (e) {
      edits.push({ range: { start: e.keyRange.end, end: endOf(e.keyRange.end.line) }, newText: `: ${v}` });
      summary.push(`milvus.yaml: tls.${k}: ${v}`);
    } else missing.push(`${k}: ${v}`);
  }
  if (missing.length) {
    if (tls) {
      const ind = ' '.repeat(tls.childIndent ?? 2);
      edits.push({ range: { start: endOf(tls.lastLine), end: endOf(tls.lastLine) }, newText: missing.map((m) => nl + ind + m).join('') });
    } else {
      const end = endOf(lines.lineCount - 1);
      const lead = lines.lineText(lines.lineCount - 1) === '' ? '' : nl;
      edits.push({ range: { start: end, end }, newText: `${lead}tls:${missing.map((m) => nl + '  ' + m).join('')}${nl}` });
    }
    for (const m of missing) summary.push(`milvus.yaml: add tls.${m}`);
  }
  const modeEntry = entry(model, 'common.security', 'tlsMode');
  if (modeEntry) {
    if (modeEntry.value !== mode) {
      edits.push({
        range:
          modeEntry.valueText === '' ? { start: modeEntry.keyRange.end, end: endOf(modeEntry.keyRange.end.line) } : modeEntry.valueRange,
        newText: modeEntry.valueText === '' ? `: ${mode}` : String(mode),
      });
      summary.push(`milvus.yaml: common.security.tlsMode: ${modeEntry.valueText || 'empty'} → ${mode}`);
    }
  } else {
    const security = model.sections.find((s) => s.name === 'common.security');
    const common = model.sections.find((s) => s.name === 'common');
    if (security) {
      const ind = ' '.repeat(security.childIndent ?? security.keyRange.start.character + 2);
      edits.push({ range: { start: endOf(security.firstLine), end: endOf(security.firstLine) }, newText: `${nl}${ind}tlsMode: ${mode}` });
    } else if (common) {
      const ind = ' '.repeat(common.childIndent ?? 2);
      edits.push({
        range: { start: endOf(common.firstLine), end: endOf(common.firstLine) },
        newText: `${nl}${ind}security:${nl}${ind}  tlsMode: ${mode}`,
      });
    } else {
      const end = endOf(lines.lineCount - 1);
      const lead = lines.lineText(lines.lineCount - 1) === '' ? '' : nl;
      // Appended after any tls: block we add at the end too: both edits insert at the same point, in this order.
      edits.push({ range: { start: end, end }, newText: `${lead}common:${nl}  security:${nl}    tlsMode: ${mode}${nl}` });
    }
    summary.push(`milvus.yaml: set common.security.tlsMode: ${mode}`);
  }
  // Milvus 2.6 refuses TLS while REST shares the gRPC port (listener_manager.go): give REST its own port.
  const flat = flattenMilvus(text);
  const get = (k: string) => flat.filter((x) => x.norm === formatKey(k)).at(-1);
  const enabled = get('proxy.http.enabled');
  const httpPort = get('proxy.http.port');
  const grpcPort = get('proxy.port')?.value || '19530';
  if (!(enabled && goParseBool(enabled.value).ok && !goParseBool(enabled.value).value)) {
    if (httpPort && (httpPort.value === '' || httpPort.value === grpcPort)) {
      const at = httpPort.keyRange.end;
      edits.push(
        httpPort.valueText === ''
          ? { range: { start: at, end: { line: at.line, character: at.character + 1 } }, newText: `: ${HTTP_PORT}` }
          : { range: httpPort.valueRange, newText: HTTP_PORT },
      );
      summary.push(
        `milvus.yaml: proxy.http.port: ${httpPort.valueText || 'empty'} → ${HTTP_PORT} (Milvus 2.6 refuses TLS when REST shares the gRPC port)`,
      );
    } else if (!httpPort) {
      const end = endOf(lines.lineCount - 1);
      const lead = lines.lineText(lines.lineCount - 1) === '' ? '' : nl;
      edits.push({ range: { start: end, end }, newText: `${lead}proxy.http.port: ${HTTP_PORT}${nl}` });
      summary.push(`milvus.yaml: add proxy.http.port: ${HTTP_PORT} (Milvus 2.6 refuses TLS when REST shares the gRPC port)`);
    }
  }
  return edits;
}

/** The REST port the wiring gives Milvus (the Operator docs use 8080 for the same reason). */
const HTTP_PORT = '8080';

function relFromCompose(composePath: string, hostPath: string): string {
  const rel = path.relative(path.dirname(composePath), hostPath).split(path.sep).join('/');
  return rel.startsWith('..') || path.isAbsolute(rel) ? hostPath : './' + rel;
}

function composeEdits(
  composePath: string,
  text: string,
  certDir: string,
  containerDir: string,
  milvusPath: string,
  ws: Workspace,
  env: Record<string, string | undefined>,
  summary: string[],
): TextEdit[] {
  const model = loadCompose(composePath, ws, env);
  const svc = model && findMilvusService(model);
  if (!svc) {
    summary.push(`${path.basename(composePath)}: no Milvus service found; add the volumes by hand`);
    return [];
  }
  const want: string[] = [];
  const probe = containerToHost(`${containerDir}/server.pem`, svc.volumes);
  if (probe.hostPath === undefined || path.dirname(probe.hostPath) !== path.resolve(certDir))
    want.push(`${volumePrefix(svc.volumes, relFromCompose(composePath, certDir))}:${containerDir}:ro`);
  const cfg = findMilvusConfigMount(svc);
  if (!cfg) want.push(`${volumePrefix(svc.volumes, relFromCompose(composePath, milvusPath))}:${MILVUS_WORKDIR}/configs/milvus.yaml`);
  if (want.length === 0) return [];
  const lines = new LineIndex(text);
  const nl = eol(text);
  for (const w of want) summary.push(`${path.basename(composePath)}: service ${svc.name}: add volume ${w}`);
  if (svc.volumes.length > 0) {
    const last = svc.volumes[svc.volumes.length - 1];
    const dash = /^\s*/.exec(lines.lineText(last.range.start.line))![0];
    const at = { line: last.range.end.line, character: lines.lineText(last.range.end.line).length };
    return [{ range: { start: at, end: at }, newText: want.map((w) => `${nl}${dash}- ${w}`).join('') }];
  }
  const ind = ' '.repeat(svc.nameRange.start.character + 2);
  const at = { line: svc.nameRange.start.line, character: lines.lineText(svc.nameRange.start.line).length };
  return [{ range: { start: at, end: at }, newText: `${nl}${ind}volumes:${want.map((w) => `${nl}${ind}  - ${w}`).join('')}` }];
}
