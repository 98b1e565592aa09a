/**
 * `curl` commands in shell scripts and in the fenced code blocks of Markdown files: the URL and the
 * TLS options, as shell words with their offsets. Words are split the way a POSIX shell splits
 * them (quotes, backslashes, `\` line continuations); a word with an unquoted or double-quoted `$`
 * is dynamic and never judged. curl's own option syntax (curl(1)): long options take their value
 * as the next word (`--cacert=x` is not an option curl knows), short options may glue it on
 * (`-Eclient.pem`), and `--cert file:password` carries a pass phrase after an unescaped colon.
 */

export interface ShellWord {
  /** The word after quote removal; undefined when it holds a variable or command substitution. */
  value?: string;
  raw: string;
  start: number;
  end: number;
}

export interface CurlOption {
  /** The option as curl knows it: `--cacert`, `--cert`, `--key`, `--capath`, `--insecure`, `--pass`, `--cert-type`, `--key-type`. */
  name: string;
  written: string;
  nameStart: number;
  nameEnd: number;
  value?: ShellWord;
}

export interface CurlCommand {
  start: number;
  end: number;
  /** The `curl` word. */
  nameStart: number;
  nameEnd: number;
  url?: ShellWord;
  options: CurlOption[];
}

/** Options whose value is the next word, so that word is not the URL. */
const TAKES_VALUE = new Set([
  '-H',
  '--header',
  '-d',
  '--data',
  '--data-raw',
  '--data-binary',
  '--data-urlencode',
  '--json',
  '-F',
  '--form',
  '-o',
  '--output',
  '-u',
  '--user',
  '-X',
  '--request',
  '-e',
  '--referer',
  '-x',
  '--proxy',
  '-A',
  '--user-agent',
  '-b',
  '--cookie',
  '-c',
  '--cookie-jar',
  '-m',
  '--max-time',
  '--connect-timeout',
  '-w',
  '--write-out',
  '-T',
  '--upload-file',
  '--resolve',
  '--connect-to',
  '-r',
  '--range',
  '--retry',
  '--cacert',
  '--capath',
  '-E',
  '--cert',
  '--key',
  '--pass',
  '--cert-type',
  '--key-type',
  '--url',
  '--oauth2-bearer',
  '--interface',
  '--limit-rate',
  '-K',
  '--config',
  '--proxy-cacert',
  '--proxy-cert',
  '--proxy-key',
  '-D',
  '--dump-header',
  '--ciphers',
  '--tls13-ciphers',
  '--curves',
  '--pinnedpubkey',
  '--crlfile',
  '--tls-max',
  '-Y',
  '--speed-limit',
  '-y',
  '--speed-time',
]);

/** The TLS options we read; the short forms map to their long names. */
const TLS_OPTIONS: Record<string, string> = {
  '--cacert': '--cacert',
  '--capath': '--capath',
  '-E': '--cert',
  '--cert': '--cert',
  '--key': '--key',
  '--pass': '--pass',
  '--cert-type': '--cert-type',
  '--key-type': '--key-type',
  '-k': '--insecure',
  '--insecure': '--insecure',
};

/** Shell words from `from` to the end of the command (a newline not continued, `;`, `|`, `&`, or a comment). */
export function shellWords(text: string, from: number, limit = text.length): { words: ShellWord[]; end: number } {
  const words: ShellWord[] = [];
  let i = from;
  while (i < limit) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '\\' && (text[i + 1] === '\n' || (text[i + 1] === '\r' && text[i + 2] === '\n'))) {
      i += text[i + 1] === '\n' ? 2 : 3;
      continue;
    }
    if (c === '\n' || c === ';' || c === '|' || c === '&' || c === ')' || c === '`' || c === '#' || c === '<' || c === '>') break;
    const start = i;
    let value = '';
    let dynamic = false;
    while (i < limit) {
      const ch = text[i];
      if (' \t\r\n;|&)<>`'.includes(ch)) break;
      if (ch === '\\') {
        if (text[i + 1] === '\n') {
          i += 2;
          continue;
        }
        value += text[i + 1] ?? '';
        i += 2;
        continue;
      }
      if (ch === "'") {
        let stop = i + 1;
        while (stop < limit && text[stop] !== "'") stop++;
        value += text.slice(i + 1, stop);
        i = stop + 1;
        continue;
      }
      if (ch === '"') {
        let j = i + 1;
        while (j < limit && text[j] !== '"') {
          if (text[j] === '\\' && '$`"\\\n'.includes(text[j + 1] ?? '')) {
            if (text[j + 1] !== '\n') value += text[j + 1];
            j += 2;
            continue;
          }
          if (text[j] === '$' || text[j] === '`') dynamic = true;
          value += text[j++];
        }
        i = j + 1;
        continue;
      }
      if (ch === '$') dynamic = true;
      value += ch;
      i++;
    }
    const end = Math.min(i, limit);
    words.push({ value: dynamic ? undefined : value, raw: text.slice(start, end), start, end });
  }
  return { words, end: Math.min(i, limit) };
}

/** The curl commands of [from, to): each `curl` word at a command's start, with its words up to the end of the command. */
function commandsIn(text: string, from: number, to: number, out: CurlCommand[]): void {
  // `curl` at the start of the text or after a separator (a lookbehind: a block may start right after a newline).
  const re = /(?<![^\s;|&(`$])curl(?=[ \t]|\\\r?\n)/g;
  re.lastIndex = from;
  let state: ScanState = { at: from, comment: false };
  for (let m = re.exec(text); m && m.index < to; m = re.exec(text)) {
    const nameStart = m.index;
    // `curl` inside a quoted string or a comment is no command (the state is carried along, so a long line stays linear).
    state = advance(text, state, nameStart);
    if (state.quote || state.comment) continue;
    const { words, end } = shellWords(text, nameStart + 4, to);
    const cmd: CurlCommand = { start: nameStart, end, nameStart, nameEnd: nameStart + 4, options: [] };
    for (let k = 0; k < words.length; k++) {
      const w = words[k];
      const v = w.value ?? '';
      if (v.startsWith('-') && !v.startsWith('--') && v.length > 2 && TLS_OPTIONS[v.slice(0, 2)] === '--cert') {
        // -Eclient.pem: the value glued on.
        cmd.options.push({
          name: '--cert',
          written: '-E',
          nameStart: w.start,
          nameEnd: w.start + 2,
          value: { value: v.slice(2), raw: w.raw.slice(2), start: w.start + 2, end: w.end },
        });
        continue;
      }
      const tls = TLS_OPTIONS[v];
      if (tls) {
        const opt: CurlOption = { name: tls, written: v, nameStart: w.start, nameEnd: w.end };
        if (tls !== '--insecure') opt.value = words[++k];
        cmd.options.push(opt);
        continue;
      }
      if (/^-[a-zA-Z]*k[a-zA-Z]*$/.test(v) && !TAKES_VALUE.has(v)) {
        cmd.options.push({ name: '--insecure', written: v, nameStart: w.start, nameEnd: w.end });
        continue;
      }
      if (v === '--url') {
        cmd.url ??= words[++k];
        continue;
      }
      if (TAKES_VALUE.has(v)) {
        k++;
        continue;
      }
      if (!cmd.url && (w.value === undefined ? /^["']?(https?:\/\/|\$)/i.test(w.raw) : /^https?:\/\//i.test(v))) cmd.url = w;
    }
    out.push(cmd);
    // The words of this command are its arguments, `curl` among them or not.
    re.lastIndex = Math.max(re.lastIndex, end);
  }
}

interface ScanState {
  at: number;
  quote?: "'" | '"';
  comment: boolean;
}

/** Quote and comment state at `to`, continued from `s` (a newline ends a comment; quotes span lines). */
function advance(text: string, s: ScanState, to: number): ScanState {
  let { quote, comment } = s;
  for (let i = s.at; i < to; i++) {
    const c = text[i];
    if (comment) {
      if (c === '\n') comment = false;
      continue;
    }
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '\\') i++;
    else if (c === "'" || c === '"') quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) comment = true;
  }
  return { at: Math.max(to, s.at), quote, comment };
}

/** Fenced code blocks of a Markdown text, as [start, end) offsets of their bodies. */
export function fencedBlocks(text: string): [number, number][] {
  const out: [number, number][] = [];
  const re = /^( {0,3})(`{3,}|~{3,})[^\n]*\n/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const fence = m[2];
    const bodyStart = m.index + m[0].length;
    const close = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`, 'gm');
    close.lastIndex = bodyStart;
    const c = close.exec(text);
    const bodyEnd = c ? c.index : text.length;
    out.push([bodyStart, bodyEnd]);
    re.lastIndex = c ? c.index + c[0].length : text.length;
  }
  return out;
}

/** Every curl command of a shell script, or of the fenced code blocks of a Markdown file. */
export function curlCommands(text: string, markdown: boolean): CurlCommand[] {
  const out: CurlCommand[] = [];
  if (!markdown) commandsIn(text, 0, text.length, out);
  else for (const [a, b] of fencedBlocks(text)) commandsIn(text, a, b, out);
  return out;
}

/** `--cert file:password`: the file, and whether a pass phrase follows (its text is never kept). */
export function splitCertPassword(v: string): { file: string; password: boolean } {
  // A Windows drive letter is no separator; `\:` is an escaped colon in the file name.
  const skip = /^[A-Za-z]:[\\/]/.test(v) ? 2 : 0;
  for (let i = skip; i < v.length; i++) {
    if (v[i] === '\\' && v[i + 1] === ':') {
      i++;
      continue;
    }
    if (v[i] === ':') return { file: v.slice(0, i).replace(/\\:/g, ':'), password: true };
  }
  return { file: v.replace(/\\:/g, ':'), password: false };
}
