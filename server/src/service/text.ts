/** Offset ↔ position helpers over plain text (LSP positions are UTF-16 based, like JS strings). */
import type { Position, Range } from 'vscode-languageserver-types';

export class LineIndex {
  readonly starts: number[] = [0];
  constructor(readonly text: string) {
    // indexOf runs natively; a charCodeAt loop over a 50 KB config costs ~1 ms per keystroke.
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    // Never inside a line's \r\n: an offset there is the end of the line.
    return { line: lo, character: Math.min(o, this.lineEnd(lo)) - this.starts[lo] };
  }
  offsetAt(p: Position): number {
    if (p.line >= this.starts.length) return this.text.length;
    if (p.line < 0) return 0;
    return Math.min(this.starts[p.line] + Math.max(0, p.character), this.lineEnd(p.line));
  }
  /** Offset of the end of a line, before its \r\n or \n; lines outside the text end where it does (or starts). */
  lineEnd(line: number): number {
    if (line < 0) return 0;
    if (line >= this.starts.length) return this.text.length;
    const next = line + 1 < this.starts.length ? this.starts[line + 1] - 1 : this.text.length;
    return next > this.starts[line] && this.text.charCodeAt(next - 1) === 13 ? next - 1 : next;
  }
  /** A line's text without its line break; '' for a line outside the text (a client may ask past the end). */
  lineText(line: number): string {
    if (line < 0 || line >= this.starts.length) return '';
    return this.text.slice(this.starts[line], this.lineEnd(line));
  }
  get lineCount(): number {
    return this.starts.length;
  }
  range(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }
}

/**
 * LSP clients end a line at \n, \r\n or a lone \r; our line scans know only \n.
 * Turning each lone \r into \n keeps every offset (one character for one), so
 * positions computed on the result are the client's positions in the original.
 */
export function lspLines(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

export function contains(r: Range, p: Position): boolean {
  if (p.line < r.start.line || p.line > r.end.line) return false;
  if (p.line === r.start.line && p.character < r.start.character) return false;
  if (p.line === r.end.line && p.character > r.end.character) return false;
  return true;
}

/** Levenshtein distance (no transpositions); keys and names are short, so O(n·m) is nothing. */
export function editDistance(a: string, b: string, opts: { ignoreCase?: boolean } = {}): number {
  const x = opts.ignoreCase ? a.toLowerCase() : a;
  const y = opts.ignoreCase ? b.toLowerCase() : b;
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[y.length];
}
