/**
 * The certificate view's data: a PEM file (open text first, else the disk copy; DER too) as the
 * key-free report of targets/pem/report.ts with the file's own findings as its verdict.
 */
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { parsePem } from './service/pem/parse';
import { decodeBlock } from './service/pem/decode';
import { loadPemFile } from './service/pem/files';
import type { FileContents } from './service/pem/model';
import { certificateReport } from './service/targets/pem/report';
import { MAX_DOCUMENT_CHARS } from './service';
import type { CommandContext } from './commands';
import { SERVER_COMMANDS, type DescribeCertificatesParams, type DescribeCertificatesResult } from './protocol';

export function describeCertificates(a: DescribeCertificatesParams, ctx: CommandContext): DescribeCertificatesResult {
  if (typeof a?.uri !== 'string') throw new Error(`${SERVER_COMMANDS.describeCertificates} needs { uri: the PEM file's URI }.`);
  const u = URI.parse(a.uri);
  if (u.scheme !== 'file' && u.scheme !== 'untitled') throw new Error(`${a.uri} is neither a file nor an untitled document.`);
  // Untitled documents live at the path server.ts gives them.
  const file = u.scheme === 'file' ? u.fsPath : path.resolve('/untitled', u.path);
  let text = ctx.openText(file);
  let contents: FileContents;
  if (text !== undefined && text.length > MAX_DOCUMENT_CHARS) {
    throw new Error(`${path.basename(file)} is over ${MAX_DOCUMENT_CHARS / 1048576} MB; it is not described.`);
  } else if (text !== undefined) {
    const framing = parsePem(text);
    contents = { framing, items: framing.binary ? [] : framing.blocks.map(decodeBlock), der: false };
  } else {
    const l = loadPemFile(file, ctx.ws);
    if (!l.read.ok) throw new Error(l.read.message);
    if (!l.contents) throw new Error(`${path.basename(file)} holds no PEM block.`);
    contents = l.contents;
    text = Buffer.from(l.read.bytes).toString('utf8');
  }
  const diagnostics = ctx.service.validate({ path: file, uri: a.uri, text, languageId: 'pem' });
  const report = certificateReport(file, contents, diagnostics, {
    ws: ctx.ws,
    now: new Date(),
    expiryWarningDays: ctx.ws.settings.expiryWarningDays,
  });
  let focus = 0;
  if (typeof a.line === 'number') {
    const at = contents.items.findIndex((d) => d.block.range.start.line <= a.line! && a.line! <= d.block.range.end.line);
    const after = contents.items.findIndex((d) => d.block.range.start.line >= a.line!);
    focus = Math.max(0, at >= 0 ? at : after);
  }
  if (!a.quiet) {
    const item = report.items[focus];
    const facts = item?.kind === 'certificate' ? `${item.title}: ${item.validity}, SHA-256 ${item.sha256}. ` : '';
    ctx.editor?.showMessage(report.verdict.level === 'error' ? 'warning' : 'info', `${report.file}: ${facts}${report.verdict.summary}`);
  }
  return { ...report, uri: a.uri, focus };
}
