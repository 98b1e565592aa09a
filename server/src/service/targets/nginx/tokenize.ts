/**
 * nginx's configuration syntax, read the way ngx_conf_file.c (ngx_conf_read_token)
 * reads it: words separated by blanks, `;` ends a directive, `{ … }` is a block,
 * `#` starts a comment where a word could start, "…" and '…' quote with
 * backslash escapes, and `${name}` keeps its braces inside a word. Every word
 * keeps its exact range. Bad input gives errors, never an exception.
 */
import type { Range } from 'vscode-languageserver-types';
import { LineIndex } from '../../text';

export interface Word {
  /** The value nginx sees: quotes removed, escapes resolved. */
  value: string;
  range: Range;
  quoted: boolean;
}

export interface Directive {
  name: string;
  nameRange: Range;
  args: Word[];
  /** From the name to the `;` or the closing `}`. */
  range: Range;
  /** The statements inside `{ … }`, when the directive has a block. */
  block?: Directive[];
}

export interface SyntaxError {
  message: string;
  range: Range;
}

export interface Parsed {
  directives: Directive[];
  errors: SyntaxError[];
  lines: LineIndex;
}

/** Nesting deeper than this is not nginx anymore (its own parser has no limit, our stack does). */
const MAX_DEPTH = 64;
const MAX_ERRORS = 20;

export function parseNginx(text: string): Parsed {
  const lines = new LineIndex(text);
  const errors: SyntaxError[] = [];
  const root: Directive[] = [];
  const stack: { list: Directive[]; owner?: Directive }[] = [{ list: root }];
  let words: Word[] = [];
  let i = 0;
  const n = text.length;
  const at = (s: number, e: number) => lines.range(s, e);

  const finish = (end: number, block: boolean) => {
    const [name, ...args] = words;
    words = [];
    const d: Directive = { name: name.value, nameRange: name.range, args, range: { start: name.range.start, end: lines.positionAt(end) } };
    stack[stack.length - 1].list.push(d);
    if (block) {
      d.block = [];
      if (stack.length >= MAX_DEPTH) {
        errors.push({ message: 'blocks nested too deeply', range: d.nameRange });
        // Keep reading into a throwaway list so the rest of the file still parses.
        stack.push({ list: [], owner: d });
      } else stack.push({ list: d.block, owner: d });
    }
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    // blanks
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++;
      continue;
    }
    if (c === 35 /* # */) {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? n : nl;
      continue;
    }
    if (c === 59 /* ; */) {
      if (words.length === 0) errors.push({ message: 'unexpected ";"', range: at(i, i + 1) });
      else finish(i + 1, false);
      i++;
      continue;
    }
    if (c === 123 /* { */) {
      if (words.length === 0) {
        errors.push({ message: 'unexpected "{"', range: at(i, i + 1) });
        stack.push({ list: [] });
      } else finish(i + 1, true);
      i++;
      continue;
    }
    if (c === 125 /* } */) {
      if (words.length) {
        errors.push({ message: `unexpected "}": directive "${words[0].value}" is not terminated by ";"`, range: words[0].range });
        words = [];
      }
      if (stack.length === 1) errors.push({ message: 'unexpected "}"', range: at(i, i + 1) });
      else {
        const top = stack.pop()!;
        if (top.owner) top.owner.range = { start: top.owner.range.start, end: lines.positionAt(i + 1) };
      }
      i++;
      continue;
    }
    if (c === 34 || c === 39 /* " ' */) {
      const start = i;
      let value = '';
      i++;
      let closed = false;
      while (i < n) {
        const ch = text.charCodeAt(i);
        if (ch === 92 /* \ */ && i + 1 < n) {
          const next = text[i + 1];
          value +=
            next === 'n'
              ? '\n'
              : next === 't'
                ? '\t'
                : next === 'r'
                  ? '\r'
                  : next === '"' || next === "'" || next === '\\'
                    ? next
                    : '\\' + next;
          i += 2;
          continue;
        }
        if (ch === c) {
          closed = true;
          i++;
          break;
        }
        value += text[i];
        i++;
      }
      if (!closed) errors.push({ message: 'unexpected end of file, expecting a closing quote', range: at(start, Math.min(n, start + 1)) });
      words.push({ value, range: at(start, i), quoted: true });
      continue;
    }
    // a bare word
    const start = i;
    let value = '';
    while (i < n) {
      const ch = text.charCodeAt(i);
      if (ch === 32 || ch === 9 || ch === 10 || ch === 13 || ch === 59 || ch === 125) break;
      if (ch === 123 && !(value.endsWith('$') && i > start)) break;
      if (ch === 123) {
        // ${name}: the braces belong to the word.
        const close = text.indexOf('}', i);
        const stop = close === -1 ? n : close + 1;
        value += text.slice(i, stop);
        i = stop;
        continue;
      }
      if (ch === 92 && i + 1 < n) {
        value += text[i + 1];
        i += 2;
        continue;
      }
      value += text[i];
      i++;
    }
    words.push({ value, range: at(start, i), quoted: false });
  }
  if (words.length) errors.push({ message: `unexpected end of file, expecting ";" or "}"`, range: words[words.length - 1].range });
  if (stack.length > 1) {
    const owner = stack[stack.length - 1].owner;
    errors.push({ message: 'unexpected end of file, expecting "}"', range: owner?.nameRange ?? at(n, n) });
  }
  // nginx stops at its first error; a few more help, thousands (a fuzzed file) do not.
  return { directives: root, errors: errors.slice(0, MAX_ERRORS), lines };
}

/** Depth-first walk with the chain of enclosing blocks (outermost first). */
export function walk(list: Directive[], visit: (d: Directive, parents: Directive[]) => void, parents: Directive[] = []): void {
  for (const d of list) {
    visit(d, parents);
    if (d.block) walk(d.block, visit, [...parents, d]);
  }
}
