/** The text format: `file:line:col: severity [code] message`, related places indented below, one summary line. */
import type { CheckResult, Finding } from './check';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function summaryLine(r: CheckResult): string {
  const count = (s: Finding['severity'][]) => r.findings.filter((f) => s.includes(f.severity)).length;
  const notes = count(['information', 'hint']);
  return `${plural(count(['error']), 'error')}, ${plural(count(['warning']), 'warning')}${notes ? ', ' + plural(notes, 'note') : ''} in ${plural(r.filesChecked, 'file')} checked`;
}

export function formatText(r: CheckResult): string {
  const at = (f: { file: string; range: Finding['range'] }) => `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
  const lines = r.findings.flatMap((f) => [
    `${at(f)}: ${f.severity} [${f.code}] ${f.message}`,
    ...(f.related ?? []).map((x) => `  ${at(x)}: related: ${x.message}`),
  ]);
  lines.push(summaryLine(r));
  return lines.join('\n');
}
