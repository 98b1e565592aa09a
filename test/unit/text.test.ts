import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex, contains, lspLines } from '../../server/src/service/text';

const pos = (line: number, character: number) => ({ line, character });
const range = (sl: number, sc: number, el: number, ec: number) => ({ start: pos(sl, sc), end: pos(el, ec) });

describe('LineIndex', () => {
  it('splits at \\n and \\r\\n, and lineText leaves the break out', () => {
    const idx = new LineIndex('ab\r\ncd\nef');
    assert.equal(idx.lineCount, 3);
    assert.deepEqual(idx.starts, [0, 4, 7]);
    assert.deepEqual(
      [0, 1, 2].map((l) => idx.lineText(l)),
      ['ab', 'cd', 'ef'],
    );
    assert.deepEqual(
      [0, 1, 2].map((l) => idx.lineEnd(l)),
      [2, 6, 9],
    );
  });

  it('a trailing line break starts one more, empty, line', () => {
    const idx = new LineIndex('ab\n');
    assert.equal(idx.lineCount, 2);
    assert.equal(idx.lineText(1), '');
    assert.deepEqual(idx.positionAt(3), pos(1, 0));
  });

  it('empty text has one empty line, and every position is offset 0', () => {
    const idx = new LineIndex('');
    assert.equal(idx.lineCount, 1);
    assert.equal(idx.lineText(0), '');
    assert.deepEqual(idx.positionAt(0), pos(0, 0));
    assert.deepEqual(idx.positionAt(5), pos(0, 0));
    assert.equal(idx.offsetAt(pos(0, 5)), 0);
    assert.equal(idx.offsetAt(pos(3, 0)), 0);
  });

  it('positionAt and offsetAt round-trip on every offset outside a \\r\\n', () => {
    const text = 'a\r\n\r\nbc\n\nd';
    const idx = new LineIndex(text);
    for (let o = 0; o <= text.length; o++) {
      if (text[o - 1] === '\r' && text[o] === '\n') continue;
      assert.equal(idx.offsetAt(idx.positionAt(o)), o, `offset ${o}`);
    }
  });

  it('an offset between \\r and \\n is the end of its line, not a character of it', () => {
    const idx = new LineIndex('ab\r\ncd');
    assert.deepEqual(idx.positionAt(3), pos(0, 2));
    assert.deepEqual(idx.positionAt(4), pos(1, 0));
  });

  it('offsets outside the text clamp to its start and end', () => {
    const idx = new LineIndex('ab\ncd');
    assert.deepEqual(idx.positionAt(-5), pos(0, 0));
    assert.deepEqual(idx.positionAt(100), pos(1, 2));
    assert.deepEqual(idx.range(-1, 100), range(0, 0, 1, 2));
  });

  it('positions past the end of a line or of the text clamp to the line end or the text end', () => {
    const idx = new LineIndex('ab\r\ncd\nef');
    assert.equal(idx.offsetAt(pos(0, 99)), 2, 'never inside the \\r\\n');
    assert.equal(idx.offsetAt(pos(1, 99)), 6);
    assert.equal(idx.offsetAt(pos(2, 99)), 9);
    assert.equal(idx.offsetAt(pos(3, 0)), 9);
    assert.equal(idx.offsetAt(pos(-1, 3)), 0);
    assert.equal(idx.offsetAt(pos(1, -1)), 4, 'a negative character is the line start, not the previous line');
  });

  it('a line outside the text has empty text (a client may ask past the end)', () => {
    const idx = new LineIndex('ab\ncd');
    assert.equal(idx.lineText(2), '');
    assert.equal(idx.lineText(99), '');
    assert.equal(idx.lineText(-1), '');
    assert.equal(idx.lineEnd(99), 5);
    assert.equal(idx.lineEnd(-1), 0);
  });

  it('characters count UTF-16 code units, as LSP positions do', () => {
    const idx = new LineIndex('é😀x\ny');
    assert.deepEqual(idx.positionAt(3), pos(0, 3), 'the emoji is two code units, x the fourth');
    assert.deepEqual(idx.positionAt(4), pos(0, 4));
    assert.equal(idx.offsetAt(pos(1, 0)), 5);
  });

  it('a lone \\r is no line break to it; after lspLines it is, at the same offsets', () => {
    const text = 'a\rb\r\nc\r';
    assert.equal(new LineIndex(text).lineCount, 2);
    const idx = new LineIndex(lspLines(text));
    assert.equal(idx.lineCount, 4);
    assert.deepEqual(
      [0, 1, 2, 3].map((l) => idx.lineText(l)),
      ['a', 'b', 'c', ''],
    );
    assert.deepEqual(idx.positionAt(2), pos(1, 0));
    assert.deepEqual(idx.positionAt(text.length), pos(3, 0));
  });
});

describe('lspLines', () => {
  it('turns each lone \\r into \\n and keeps \\r\\n and the length', () => {
    assert.equal(lspLines('a\rb\r\nc\r'), 'a\nb\r\nc\n');
    assert.equal(lspLines('\r\r\n'), '\n\r\n');
    assert.equal(lspLines('\r'), '\n');
    for (const t of ['a\rb\r\nc\r', '\r\r\r', '']) assert.equal(lspLines(t).length, t.length);
  });

  it('returns text without \\r unchanged', () => {
    assert.equal(lspLines(''), '');
    assert.equal(lspLines('a\nb'), 'a\nb');
  });
});

describe('contains', () => {
  const r = range(1, 4, 3, 2);

  it('includes both ends of the range', () => {
    assert.ok(contains(r, pos(1, 4)));
    assert.ok(contains(r, pos(3, 2)));
  });

  it('includes any character of a middle line, however far right', () => {
    assert.ok(contains(r, pos(2, 0)));
    assert.ok(contains(r, pos(2, 999)));
  });

  it('excludes positions before the start or after the end, on their lines and beyond', () => {
    assert.ok(!contains(r, pos(1, 3)));
    assert.ok(!contains(r, pos(3, 3)));
    assert.ok(!contains(r, pos(0, 10)));
    assert.ok(!contains(r, pos(4, 0)));
  });

  it('an empty range contains exactly its one position', () => {
    const empty = range(2, 5, 2, 5);
    assert.ok(contains(empty, pos(2, 5)));
    assert.ok(!contains(empty, pos(2, 4)));
    assert.ok(!contains(empty, pos(2, 6)));
  });
});
