/** Quick fixes for the milvus.yaml findings whose remedy is clear; each reads the `data.fix` its diagnostic carries. */
import { URI } from 'vscode-uri';
import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver-types';
import { LineIndex, lspLines } from '../../text';
import type { Workspace } from '../../workspace';
import type { FixData } from './validate';
import { SERVER_COMMANDS } from '../../../protocol';
import { modelOf } from './extract';
import { formatKey } from './effective';
import { blockEndLine } from './validate';

const sameRange = (a: Range, b: Range) =>
  a.start.line === b.start.line &&
  a.start.character === b.start.character &&
  a.end.line === b.end.line &&
  a.end.character === b.end.character;

export const GENERATE_COMMAND = SERVER_COMMANDS.generateCerts;

function endOfLine(text: string, line: number): { line: number; character: number } {
  const idx = new LineIndex(text);
  const l = Math.min(line, idx.lineCount - 1);
  return { line: l, character: idx.lineText(l).length };
}

/** Indentation of the `- ` of an existing volume entry, so the new one lines up. */
function dashIndent(text: string, line: number): string {
  const l = new LineIndex(text).lineText(line);
  return /^\s*/.exec(l)![0];
}

export function milvusCodeActions(uri: string, text: string, diagnostics: Diagnostic[], ws: Workspace): CodeAction[] {
  const out: CodeAction[] = [];
  for (const dg of diagnostics) {
    const fix = (dg.data as { fix?: FixData } | undefined)?.fix;
    if (!fix) continue;
    const edit = (edits: TextEdit[], target = uri) => ({ changes: { [target]: edits } });
    switch (fix.kind) {
      case 'rename-key': {
        // The diagnostic may be older than the text: the right key can have been added since. A rename would then
        // make a duplicate key (YAML parsers differ on which one wins), so the fix removes the misspelled one instead.
        const model = modelOf(text);
        const e = model.entries.find((x) => sameRange(x.keyRange, dg.range));
        const taken = e && model.entries.some((x) => x !== e && x.section === e.section && formatKey(x.key) === formatKey(fix.to));
        if (e && taken) {
          const idx = new LineIndex(text);
          const fromLine = e.keyRange.start.line;
          const toLine = blockEndLine(model, fromLine);
          const to = toLine + 1 < idx.lineCount ? { line: toLine + 1, character: 0 } : endOfLine(text, toLine);
          out.push({
            title: `Remove the misspelled key ${e.key} (${fix.to} is already set)`,
            kind: CodeActionKind.QuickFix,
            diagnostics: [dg],
            isPreferred: true,
            edit: edit([{ range: { start: { line: fromLine, character: 0 }, end: to }, newText: '' }]),
          });
          break;
        }
        out.push({
          title: `Rename to ${fix.to}`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [dg],
          isPreferred: true,
          edit: edit([{ range: dg.range, newText: fix.to }]),
        });
        break;
      }
      case 'set-value':
        for (const v of fix.values)
          out.push({
            title: `Set to ${v}`,
            kind: CodeActionKind.QuickFix,
            diagnostics: [dg],
            isPreferred: fix.values.length === 1,
            edit: edit([{ range: dg.range, newText: v }]),
          });
        break;
      case 'use-container-path':
        out.push({
          title: `Use the container path ${fix.containerPath}`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [dg],
          isPreferred: true,
          edit: edit([{ range: dg.range, newText: fix.containerPath }]),
        });
        break;
      case 'add-key': {
        const at = endOfLine(text, fix.afterLine);
        out.push({
          title: `Add ${fix.section}.${fix.key}: ${fix.value}`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [dg],
          isPreferred: true,
          edit: edit([{ range: { start: at, end: at }, newText: `\n${' '.repeat(fix.indent)}${fix.key}: ${fix.value}` }]),
        });
        break;
      }
      case 'add-volume': {
        if (fix.afterLine === undefined) break;
        const r = ws.read(fix.composePath);
        if (!r.ok) break;
        const composeText = lspLines(Buffer.from(r.bytes).toString('utf8'));
        const at = endOfLine(composeText, fix.afterLine);
        const target = URI.file(fix.composePath).toString();
        out.push({
          title: `Add volume "${fix.entry}" to service ${fix.service}`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [dg],
          isPreferred: true,
          edit: edit(
            [{ range: { start: at, end: at }, newText: `\n${dashIndent(composeText, fix.entryLine ?? fix.afterLine)}- ${fix.entry}` }],
            target,
          ),
        });
        break;
      }
      case 'remove-lines': {
        const idx = new LineIndex(text);
        const from = { line: fix.fromLine, character: 0 };
        const to = fix.toLine + 1 < idx.lineCount ? { line: fix.toLine + 1, character: 0 } : endOfLine(text, fix.toLine);
        out.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [dg],
          isPreferred: true,
          edit: edit([{ range: { start: from, end: to }, newText: '' }]),
        });
        break;
      }
      case 'move-block': {
        const idx = new LineIndex(text);
        const lines: string[] = [];
        for (let i = fix.fromLine; i <= fix.toLine; i++) {
          const l = idx.lineText(i);
          lines.push(l.slice(0, fix.dedent).trim() === '' ? l.slice(fix.dedent) : l.trimStart());
        }
        const from = { line: fix.fromLine, character: 0 };
        const to = fix.toLine + 1 < idx.lineCount ? { line: fix.toLine + 1, character: 0 } : endOfLine(text, fix.toLine);
        const last = endOfLine(text, idx.lineCount - 1);
        const sep = idx.lineText(idx.lineCount - 1) === '' ? '' : '\n';
        out.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [dg],
          isPreferred: true,
          edit: edit([
            { range: { start: from, end: to }, newText: '' },
            { range: { start: last, end: last }, newText: `${sep}${lines.join('\n')}\n` },
          ]),
        });
        break;
      }
      case 'generate-certs':
        out.push({
          title: 'Generate TLS certs…',
          kind: CodeActionKind.QuickFix,
          diagnostics: [dg],
          command: { title: 'Generate TLS certs', command: GENERATE_COMMAND, arguments: [{ folder: fix.folder }] },
        });
        break;
    }
  }
  return out;
}
