import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { globToRegExp, matchesAny } from '../../server/src/service/glob';

/** After vscode-json-languageservice's glob tests: one pattern, the paths it must and must not match. */
function assertGlob(pattern: string, yes: string[], no: string[]): void {
  const r = globToRegExp(pattern);
  for (const p of yes) assert.ok(r.test(p), `${pattern} should match ${p}`);
  for (const p of no) assert.ok(!r.test(p), `${pattern} should not match ${p}`);
}

describe('globToRegExp', () => {
  it('* matches within one path segment only', () => {
    assertGlob('*.pem', ['a.pem', '.pem', 'a.b.pem'], ['a/b.pem', 'a.pem.bak', 'a.PEM']);
    assertGlob('certs/*', ['certs/a', 'certs/'], ['certs', 'certs/a/b']);
  });

  it('? matches exactly one character, never a separator', () => {
    assertGlob('?.pem', ['a.pem'], ['.pem..', 'ab.pem', '/.pem', '.pem']);
    assertGlob('a?b', ['axb'], ['a/b', 'ab']);
  });

  it('** matches across segments, and **/ also matches no folder at all', () => {
    assertGlob('**/*.pem', ['a.pem', 'x/a.pem', 'x/y/z/a.pem'], ['a.crt', 'x/a.pem/b']);
    assertGlob('a/**/b.pem', ['a/b.pem', 'a/x/b.pem', 'a/x/y/b.pem'], ['b.pem', 'ab.pem', 'a/xb.pem']);
    assertGlob('certs/**', ['certs/a', 'certs/a/b'], ['certsx/a', 'x/certs/a']);
  });

  it('{a,b} lists alternatives, which may hold wildcards and nested braces', () => {
    assertGlob('*.{pem,crt}', ['a.pem', 'a.crt'], ['a.key', 'a.pemcrt']);
    assertGlob('{*.pem,*.crt}', ['a.pem', 'b.crt'], ['x/a.pem', 'a.key']);
    assertGlob('{a?,b}', ['ax', 'b'], ['a', 'ab/']);
    assertGlob('{a*,b}', ['a', 'abc', 'b'], ['a/b', 'bb']);
    assertGlob('{a,{b,c}}.pem', ['a.pem', 'b.pem', 'c.pem'], ['{b.pem', 'd.pem']);
    assertGlob('{,x}.pem', ['.pem', 'x.pem'], ['y.pem']);
  });

  it('[...] is a character class, [!...] its complement; neither matches a separator', () => {
    assertGlob('ca[0-9].pem', ['ca1.pem', 'ca9.pem'], ['ca.pem', 'caa.pem', 'ca10.pem']);
    assertGlob('[abc].pem', ['a.pem', 'c.pem'], ['d.pem', '[abc].pem']);
    assertGlob('[!abc].pem', ['d.pem', 'x.pem'], ['a.pem', '/.pem']);
    assertGlob('[/a]x', ['ax'], ['/x']);
    assertGlob('[]a].pem', ['].pem', 'a.pem'], ['b.pem']);
  });

  it('regex metacharacters and unclosed brackets mean themselves', () => {
    assertGlob('a+b(1)|$^.pem', ['a+b(1)|$^.pem'], ['aab1.pem']);
    assertGlob('{a,b', ['{a,b'], ['a', 'b']);
    assertGlob('[ab', ['[ab'], ['a']);
    assertGlob('a\\b', ['a\\b'], ['a/b']);
  });

  it('a class the regex engine refuses matches only its own text instead of throwing', () => {
    assertGlob('[z-a].pem', ['[z-a].pem'], ['a.pem', 'z.pem']);
  });

  it('the empty pattern matches only the empty path', () => {
    assertGlob('', [''], ['a', '/']);
  });
});

describe('matchesAny', () => {
  it('a pattern without **/ or / matches the tail after any folder', () => {
    assert.ok(matchesAny('/work/certs/server.pem', ['*.pem']));
    assert.ok(matchesAny('/work/certs/server.pem', ['certs/*.pem']));
    assert.ok(!matchesAny('/work/certs/server.pem', ['work/*.pem']));
    assert.ok(!matchesAny('/work/certs/server.pem', ['erts/*.pem']));
  });

  it('a pattern starting with / is anchored at the root', () => {
    assert.ok(matchesAny('/work/certs/a.pem', ['/work/**/*.pem']));
    assert.ok(!matchesAny('/other/work/certs/a.pem', ['/work/**/*.pem']));
  });

  it('Windows paths and patterns with backslashes match like forward-slash ones', () => {
    assert.ok(matchesAny('C:\\work\\certs\\server.pem', ['**/*.pem']));
    assert.ok(matchesAny('C:\\work\\certs\\server.pem', ['certs/*.pem']));
    assert.ok(matchesAny('C:\\work\\certs\\server.pem', ['certs\\*.pem']));
    assert.ok(matchesAny('C:/work/certs/server.pem', ['C:\\work\\**\\*.pem']));
    assert.ok(!matchesAny('C:\\work\\certs\\server.key', ['certs\\*.pem']));
  });

  it('any one of several patterns is enough; none is no match', () => {
    assert.ok(matchesAny('a/b.crt', ['*.pem', '*.crt']));
    assert.ok(!matchesAny('a/b.crt', []));
  });
});
