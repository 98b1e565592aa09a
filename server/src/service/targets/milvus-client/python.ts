/**
 * The pymilvus calls of a Python file and their keyword arguments, read by a small tokenizer.
 *
 * Why hand-rolled: the checks need only the argument list of `MilvusClient(...)`,
 * `AsyncMilvusClient(...)` and `connections.connect(...)` — names, string literals, True/False and
 * simple names bound to a literal at the top of the file. npm has Python parsers (`@lezer/python`,
 * CodeMirror's, well kept and small; `tree-sitter-python` with `web-tree-sitter`, a WASM runtime;
 * `filbert`, unmaintained since 2015), but none is a dependency of this project and helpers may not
 * add one; `@lezer/python` is the one to switch to if this grows beyond call arguments. The
 * tokenizer knows exactly what it must to find those calls without being fooled: comments, every
 * string form (prefixes, triple quotes, escapes), brackets. It evaluates nothing: an f-string,
 * a call (`os.getenv(...)`) or a name bound to anything but a literal is "dynamic", and a
 * dynamic value is never judged.
 */

export type PyTokenKind = 'name' | 'string' | 'number' | 'op' | 'newline';

export interface PyToken {
  kind: PyTokenKind;
  text: string;
  start: number;
  end: number;
  /** A string's value (escapes of plain strings decoded); undefined for an f-string or bytes with non-ASCII. */
  value?: string;
  /** f-strings and t-strings interpolate: their value is not known. */
  formatted?: boolean;
  /** Indentation (columns) of the logical line this token starts, for `newline` tokens of the next line. */
  depth?: number;
}

/** Character classes by code (a regular expression per character costs more than the whole rest of the scan). */
const isAlpha = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 0xc0;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isPrefix = (c: number) => 'rRbBuUfFtT'.includes(String.fromCharCode(c));
const STRING_PREFIX = /^(?:[rRbBuUfFtT]|[rR][bBfFtT]|[bBfFtT][rR])$/;

/** Python's escapes in a non-raw string (the few that matter for a path; others stay as written). */
function unescape(body: string): string {
  return body.replace(/\\(\r?\n|[\\'"abfnrtv0]|x[0-9a-fA-F]{2})/g, (m, e: string) => {
    if (e === '\n' || e === '\r\n') return '';
    if (e.startsWith('x')) return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ n: '\n', t: '\t', r: '\r', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v' } as Record<string, string>)[e] ?? e;
  });
}

/**
 * Tokens of a Python source: names, strings, numbers, operators, and a `newline` at the end of each
 * logical line (not inside brackets). Never throws; an unterminated string runs to the end of its
 * line (or of the text, when triple-quoted).
 */
export function tokenizePython(text: string): PyToken[] {
  const out: PyToken[] = [];
  let i = 0;
  let depth = 0;
  let lineStart = true;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '\n') {
      if (depth === 0 && out.length && out[out.length - 1].kind !== 'newline')
        out.push({ kind: 'newline', text: '\n', start: i, end: i + 1 });
      i++;
      lineStart = true;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f') {
      i++;
      continue;
    }
    if (c === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
      i += text[i + 1] === '\n' ? 2 : 3;
      continue;
    }
    if (c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl;
      continue;
    }
    if (lineStart && depth === 0 && out.length && out[out.length - 1].kind === 'newline') {
      let col = i;
      while (col > 0 && text[col - 1] !== '\n') col--;
      out[out.length - 1].depth = i - col;
    }
    lineStart = false;
    // A string, with its prefix.
    let p = i;
    while (p < n && p - i < 2 && isPrefix(text.charCodeAt(p))) p++;
    if (p < n && (text[p] === '"' || text[p] === "'") && (p === i || STRING_PREFIX.test(text.slice(i, p)))) {
      const prefix = text.slice(i, p).toLowerCase();
      const q = text[p];
      const triple = text.startsWith(q.repeat(3), p);
      const open = triple ? 3 : 1;
      let j = p + open;
      let closed = false;
      while (j < n) {
        const ch = text[j];
        if (ch === '\\') {
          j += 2;
          continue;
        }
        if (!triple && ch === '\n') break;
        if (ch === q && (!triple || text.startsWith(q.repeat(3), j))) {
          closed = true;
          break;
        }
        j++;
      }
      const end = closed ? j + open : Math.min(j, n);
      const body = text.slice(p + open, closed ? j : Math.min(j, n));
      const formatted = prefix.includes('f') || prefix.includes('t');
      out.push({
        kind: 'string',
        text: text.slice(i, end),
        start: i,
        end,
        value: formatted ? undefined : prefix.includes('r') ? body : unescape(body),
        formatted,
      });
      i = end;
      continue;
    }
    const code = text.charCodeAt(i);
    if (isAlpha(code)) {
      let j = i + 1;
      while (j < n && (isAlpha(text.charCodeAt(j)) || isDigit(text.charCodeAt(j)))) j++;
      out.push({ kind: 'name', text: text.slice(i, j), start: i, end: j });
      i = j;
      continue;
    }
    if (isDigit(code) || (c === '.' && isDigit(text.charCodeAt(i + 1)))) {
      let j = i + 1;
      while (j < n && (isAlpha(text.charCodeAt(j)) || isDigit(text.charCodeAt(j)) || text[j] === '.')) j++;
      out.push({ kind: 'number', text: text.slice(i, j), start: i, end: j });
      i = j;
      continue;
    }
    const three = text.slice(i, i + 3);
    const two = text.slice(i, i + 2);
    const op = ['**=', '//=', '>>=', '<<=', '...'].includes(three)
      ? three
      : ['**', '//', '==', '!=', '<=', '>=', ':=', '->', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '@=', '<<', '>>'].includes(two)
        ? two
        : c;
    if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
    out.push({ kind: 'op', text: op, start: i, end: i + op.length });
    i += op.length;
  }
  return out;
}

/** A value as written: a literal, or a name we could follow to one; `dynamic` when we cannot know it. */
export type PyValue =
  | { kind: 'string'; value: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'none' }
  | { kind: 'number'; value: number }
  | { kind: 'dynamic'; text: string };

export interface PyArg {
  /** Keyword name; undefined for a positional argument. */
  name?: string;
  /** Position among the positional arguments. */
  index?: number;
  nameStart?: number;
  nameEnd?: number;
  value: PyValue;
  valueStart: number;
  valueEnd: number;
  /** "CA_PATH (line 4)": the module-level name the value was read from. */
  via?: { name: string; start: number };
}

export interface PyCall {
  /** `MilvusClient`, `AsyncMilvusClient`, `connections.connect`. */
  callee: string;
  calleeStart: number;
  calleeEnd: number;
  /** Offset just past the closing parenthesis (or the end of the text when it is missing). */
  end: number;
  args: PyArg[];
  /** `**kwargs` or `*args`: arguments we cannot see. */
  spread: boolean;
}

const CALLEES = new Set(['MilvusClient', 'AsyncMilvusClient']);

/** Top-level `NAME = <literal>` bindings, each with its offset (later ones shadow earlier ones). */
function literalBindings(tokens: PyToken[]): Map<string, { value: PyValue; start: number }[]> {
  const out = new Map<string, { value: PyValue; start: number }[]>();
  for (let k = 0; k + 2 < tokens.length; k++) {
    const t = tokens[k];
    const atLineStart = k === 0 || (tokens[k - 1].kind === 'newline' && !tokens[k - 1].depth);
    if (!atLineStart || t.kind !== 'name' || tokens[k + 1].text !== '=') continue;
    const { value, next } = literalAt(tokens, k + 2);
    const ends = next >= tokens.length || tokens[next].kind === 'newline';
    const list = out.get(t.text) ?? [];
    list.push({ value: ends ? value : { kind: 'dynamic', text: '' }, start: t.start });
    out.set(t.text, list);
  }
  return out;
}

/** The literal starting at token k (adjacent strings concatenate), and the index after it. */
function literalAt(tokens: PyToken[], k: number): { value: PyValue; next: number } {
  const t = tokens[k];
  if (!t) return { value: { kind: 'dynamic', text: '' }, next: k };
  if (t.kind === 'string') {
    let value = '';
    let known = true;
    let j = k;
    for (; j < tokens.length && tokens[j].kind === 'string'; j++) {
      if (tokens[j].value === undefined) known = false;
      else value += tokens[j].value;
    }
    return { value: known ? { kind: 'string', value } : { kind: 'dynamic', text: t.text }, next: j };
  }
  if (t.kind === 'name' && (t.text === 'True' || t.text === 'False'))
    return { value: { kind: 'bool', value: t.text === 'True' }, next: k + 1 };
  if (t.kind === 'name' && t.text === 'None') return { value: { kind: 'none' }, next: k + 1 };
  if (t.kind === 'number' && /^\d+$/.test(t.text)) return { value: { kind: 'number', value: Number(t.text) }, next: k + 1 };
  return { value: { kind: 'dynamic', text: t.text }, next: k + 1 };
}

/** For each opening bracket, the index of the token that closes it (tokens.length when none does): one pass, so nested unclosed calls stay linear. */
function matchBrackets(tokens: PyToken[]): Int32Array {
  const close = new Int32Array(tokens.length).fill(tokens.length);
  const stack: number[] = [];
  for (let j = 0; j < tokens.length; j++) {
    const t = tokens[j];
    if (t.kind !== 'op') continue;
    if (t.text === '(' || t.text === '[' || t.text === '{') stack.push(j);
    else if ((t.text === ')' || t.text === ']' || t.text === '}') && stack.length) close[stack.pop()!] = j;
  }
  return close;
}

/** Every MilvusClient / AsyncMilvusClient / connections.connect call, with its arguments. */
export function pymilvusCalls(text: string): PyCall[] {
  const tokens = tokenizePython(text);
  let bindings: ReturnType<typeof literalBindings> | undefined;
  let brackets: Int32Array | undefined;
  const out: PyCall[] = [];
  for (let k = 0; k + 1 < tokens.length; k++) {
    const t = tokens[k];
    if (t.kind !== 'name') continue;
    let callee: string | undefined;
    let open = -1;
    let start = t.start;
    if (CALLEES.has(t.text) && tokens[k + 1].text === '(' && tokens[k - 1]?.text !== 'def' && tokens[k - 1]?.text !== 'class') {
      callee = t.text;
      open = k + 1;
      if (tokens[k - 1]?.text === '.' && tokens[k - 2]?.kind === 'name') start = tokens[k - 2].start;
    } else if (t.text === 'connections' && tokens[k + 1].text === '.' && tokens[k + 2]?.text === 'connect' && tokens[k + 3]?.text === '(') {
      callee = 'connections.connect';
      open = k + 3;
    }
    if (!callee) continue;
    brackets ??= matchBrackets(tokens);
    const close = brackets[open];
    const call: PyCall = {
      callee,
      calleeStart: start,
      calleeEnd: tokens[open - 1].end,
      end: close < tokens.length ? tokens[close].end : text.length,
      args: [],
      spread: false,
    };
    // Split the argument list at depth-0 commas.
    let j = open + 1;
    let positional = 0;
    while (j < close) {
      let argEnd = j;
      let depth = 0;
      for (; argEnd < close; argEnd++) {
        const x = tokens[argEnd];
        if (x.kind !== 'op') continue;
        if (x.text === '(' || x.text === '[' || x.text === '{') depth++;
        else if (x.text === ')' || x.text === ']' || x.text === '}') depth--;
        else if (x.text === ',' && depth === 0) break;
      }
      const first = tokens[j];
      if (argEnd > j) {
        if (first.text === '*' || first.text === '**') call.spread = true;
        else {
          const keyword = first.kind === 'name' && tokens[j + 1]?.text === '=' && j + 1 < argEnd;
          const vs = keyword ? j + 2 : j;
          const single = argEnd - vs === 1 || tokens.slice(vs, argEnd).every((x) => x.kind === 'string');
          let value: PyValue = single
            ? literalAt(tokens, vs).value
            : { kind: 'dynamic', text: text.slice(tokens[vs]?.start ?? 0, tokens[argEnd - 1].end) };
          let via: PyArg['via'];
          if (single && tokens[vs].kind === 'name' && value.kind === 'dynamic') {
            bindings ??= literalBindings(tokens);
            const bound = bindings
              .get(tokens[vs].text)
              ?.filter((b) => b.start < t.start)
              .at(-1);
            if (bound) {
              value = bound.value;
              via = { name: tokens[vs].text, start: bound.start };
            }
          }
          const arg: PyArg = {
            value,
            valueStart: tokens[vs]?.start ?? first.start,
            valueEnd: tokens[argEnd - 1].end,
            via,
          };
          if (keyword) {
            arg.name = first.text;
            arg.nameStart = first.start;
            arg.nameEnd = first.end;
          } else arg.index = positional++;
          call.args.push(arg);
        }
      }
      j = argEnd + 1;
    }
    out.push(call);
    // A call inside the arguments (MilvusClient(MilvusClient(...))) is not a connection of its own: continue after this one.
    k = Math.max(k, close);
  }
  return out;
}
