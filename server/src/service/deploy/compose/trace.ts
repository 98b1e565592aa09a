/**
 * Offsets ↔ positions, and tracing each character of an interpolated scalar back to the
 * document, so a finding about `${VAR}/server.pem` lands on the characters the user wrote.
 */
import type { Scalar } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range } from 'vscode-languageserver-types';
import { inputSpan, interpolateDetailed } from './interpolate';
import type { DetailedInterpolation, Env } from './interpolate';
import type { ComposeProblem } from './model';

/** Turns document offsets into LSP positions. */
export class Positions {
  private doc: TextDocument;
  constructor(text: string) {
    this.doc = TextDocument.create('file:///compose.yaml', 'yaml', 0, text);
  }
  at(offset: number): Position {
    return this.doc.positionAt(offset);
  }
  range(start: number, end: number): Range {
    return { start: this.at(start), end: this.at(Math.max(start, end)) };
  }
  /** Like range(), without trailing whitespace and comments' newlines (block collections end on the next line). */
  trimmed(start: number, end: number): Range {
    const text = this.doc.getText();
    let e = Math.max(start, end);
    while (e > start && /\s/.test(text[e - 1])) e--;
    return this.range(start, e);
  }
  offset(p: Position): number {
    return this.doc.offsetAt(p);
  }
}

/** Per value character, the document span it was written as. */
interface ValueMap {
  starts: number[];
  ends: number[];
  /** Document span of the whole value (quotes excluded when possible). */
  start: number;
  end: number;
}

/**
 * Maps each character of a scalar's string value to the document characters
 * that spell it: exact for plain single-line, single-quoted and
 * double-quoted scalars; otherwise every character maps to the whole node.
 */
export function scalarValueMap(text: string, node: Scalar): ValueMap {
  const value = typeof node.value === 'string' ? node.value : String(node.value);
  const r = node.range ?? [0, 0, 0];
  const r0 = r[0];
  const r1 = r[1];
  const raw = text.slice(r0, r1);
  const starts: number[] = [];
  const ends: number[] = [];
  const whole = (s: number, e: number): ValueMap => {
    for (let i = 0; i < value.length; i++) {
      starts.push(s);
      ends.push(e);
    }
    return { starts, ends, start: s, end: e };
  };
  if (node.type === 'PLAIN' || node.type === undefined) {
    if (raw === value) {
      for (let i = 0; i < value.length; i++) {
        starts.push(r0 + i);
        ends.push(r0 + i + 1);
      }
      return { starts, ends, start: r0, end: r1 };
    }
    return whole(r0, r1);
  }
  if ((node.type === 'QUOTE_SINGLE' || node.type === 'QUOTE_DOUBLE') && raw.length >= 2 && !raw.includes('\n')) {
    const q = raw[0];
    let built = '';
    let i = 1;
    const last = raw.length - 1;
    while (i < last) {
      const ch = raw[i];
      if (q === "'" && ch === "'" && raw[i + 1] === "'") {
        built += "'";
        starts.push(r0 + i);
        ends.push(r0 + i + 2);
        i += 2;
        continue;
      }
      if (q === '"' && ch === '\\') {
        const e = raw[i + 1];
        let len = 2;
        let out: string;
        if (e === 'x') len = 4;
        else if (e === 'u') len = 6;
        else if (e === 'U') len = 10;
        if (len > 2) {
          const cp = parseInt(raw.slice(i + 2, i + len), 16);
          out = Number.isFinite(cp) ? String.fromCodePoint(cp) : '';
        } else {
          const simple: Record<string, string> = {
            '0': '\0',
            a: '\x07',
            b: '\b',
            t: '\t',
            '\t': '\t',
            n: '\n',
            v: '\v',
            f: '\f',
            r: '\r',
            e: '\x1b',
            ' ': ' ',
            '"': '"',
            '/': '/',
            '\\': '\\',
            N: '\u0085',
            _: '\u00a0',
            L: '\u2028',
            P: '\u2029',
          };
          out = simple[e] ?? e;
        }
        built += out;
        for (let k = 0; k < out.length; k++) {
          starts.push(r0 + i);
          ends.push(r0 + i + len);
        }
        i += len;
        continue;
      }
      built += ch;
      starts.push(r0 + i);
      ends.push(r0 + i + 1);
      i++;
    }
    if (built === value) return { starts, ends, start: r0 + 1, end: r1 - 1 };
    starts.length = 0;
    ends.length = 0;
    return whole(r0, r1);
  }
  return whole(r0, r1);
}

/** An interpolated scalar, traceable to document offsets. */
export interface TracedString {
  raw: string;
  value: string;
  interp: DetailedInterpolation;
  vmap: ValueMap;
}

export function traceScalar(text: string, node: Scalar, env: Env): TracedString {
  const raw = typeof node.value === 'string' ? node.value : String(node.value);
  const interp = interpolateDetailed(raw, env);
  return { raw, value: interp.value, interp, vmap: scalarValueMap(text, node) };
}

/** Document span of interpolated output characters [from, to). */
export function tracedSpan(t: TracedString, from: number, to: number): { start: number; end: number } {
  const inp = inputSpan(t.interp, from, to, 0);
  return rawSpan(t, inp.start, inp.end);
}

/** Document span of raw value characters [from, to). */
function rawSpan(t: TracedString, from: number, to: number): { start: number; end: number } {
  const { starts, ends } = t.vmap;
  if (starts.length === 0) return { start: t.vmap.start, end: t.vmap.end };
  if (to > from) {
    const a = Math.min(from, starts.length - 1);
    const b = Math.min(to, ends.length) - 1;
    return { start: starts[a], end: ends[Math.max(a, b)] };
  }
  const at = from < starts.length ? starts[from] : ends[ends.length - 1];
  return { start: at, end: at };
}

export function problemsOf(t: TracedString, pos: Positions): ComposeProblem[] {
  return t.interp.problems.map((p) => {
    const s = rawSpan(t, p.offset, p.offset + p.length);
    return {
      range: pos.range(s.start, s.end),
      message: p.message,
      kind: p.kind,
      variable: p.variable,
      code:
        p.kind === 'unset'
          ? 'compose-undefined-variable'
          : p.kind === 'required'
            ? 'compose-required-variable'
            : 'compose-interpolation-invalid',
    };
  });
}
