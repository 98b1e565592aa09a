import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { interpolate, interpolateDetailed, parseDotEnv, composeEnv } from '../../server/src/service/deploy/compose';
import { Workspace } from '../../server/src/service/workspace';
import { DEFAULT_SETTINGS } from '../../server/src/service/types';

test('plain $VAR and ${VAR}', () => {
  const env = { A: 'x', B_2: 'y' };
  assert.deepEqual(interpolate('$A/${B_2}/z', env), { value: 'x/y/z', problems: [] });
  assert.equal(interpolate('$A-b', env).value, 'x-b');
  assert.equal(interpolate('${A}b', env).value, 'xb');
  assert.equal(interpolate('no vars', env).value, 'no vars');
});

test('$$ is a literal dollar', () => {
  assert.deepEqual(interpolate('$$A and $${A}', { A: 'x' }), { value: '$A and ${A}', problems: [] });
  assert.equal(interpolate('$$$A', { A: 'x' }).value, '$x');
});

test(':- uses the default when unset or empty, - only when unset', () => {
  assert.equal(interpolate('${A:-d}', {}).value, 'd');
  assert.equal(interpolate('${A:-d}', { A: '' }).value, 'd');
  assert.equal(interpolate('${A:-d}', { A: 'v' }).value, 'v');
  assert.equal(interpolate('${A-d}', {}).value, 'd');
  assert.equal(interpolate('${A-d}', { A: '' }).value, '');
  assert.equal(interpolate('${A-d}', { A: 'v' }).value, 'v');
  assert.equal(interpolate('${A:-}', {}).value, '');
  assert.deepEqual(interpolate('${A:-}', {}).problems, []);
  // an explicitly undefined entry counts as unset
  assert.equal(interpolate('${A-d}', { A: undefined }).value, 'd');
});

test(':+ and + give the alternative when set (non-empty for :+)', () => {
  assert.equal(interpolate('${A:+alt}', { A: 'v' }).value, 'alt');
  assert.equal(interpolate('${A:+alt}', { A: '' }).value, '');
  assert.equal(interpolate('${A:+alt}', {}).value, '');
  assert.equal(interpolate('${A+alt}', { A: '' }).value, 'alt');
  assert.equal(interpolate('${A+alt}', {}).value, '');
  assert.deepEqual(interpolate('${A+alt}', {}).problems, []);
});

test(':? and ? report a required variable', () => {
  const r1 = interpolate('x${A:?set A please}y', {});
  assert.equal(r1.value, 'xy');
  assert.equal(r1.problems.length, 1);
  assert.equal(r1.problems[0].offset, 1);
  assert.equal(r1.problems[0].length, 18);
  assert.match(r1.problems[0].message, /required variable A is missing a value: set A please/);
  assert.equal(interpolate('${A:?e}', { A: '' }).problems.length, 1);
  assert.equal(interpolate('${A?e}', { A: '' }).problems.length, 0);
  assert.equal(interpolate('${A?e}', {}).problems.length, 1);
  assert.equal(interpolate('${A:?e}', { A: 'v' }).value, 'v');
});

test('nested defaults', () => {
  assert.equal(interpolate('${A:-${B:-x}}', {}).value, 'x');
  assert.equal(interpolate('${A:-${B:-x}}', { B: 'b' }).value, 'b');
  assert.equal(interpolate('${A:-${B:-x}}', { A: 'a', B: 'b' }).value, 'a');
  assert.equal(interpolate('${A:-pre-${B}-post}/z', { B: 'b' }).value, 'pre-b-post/z');
  assert.equal(interpolate('${A:-$B}', { B: 'b' }).value, 'b');
});

test('an unset variable without default: empty string plus a problem on the exact characters', () => {
  const r = interpolate('./${CERT_DIR}/tls', {});
  assert.equal(r.value, './/tls');
  assert.deepEqual(
    r.problems.map(({ offset, length, message }) => ({ offset, length, message })),
    [{ offset: 2, length: 11, message: 'variable CERT_DIR is not set; docker compose substitutes an empty string' }],
  );
  const n = interpolate('a $NAME b', {});
  assert.equal(n.value, 'a  b');
  assert.equal(n.problems[0].offset, 2);
  assert.equal(n.problems[0].length, 5);
  // inside a default that is used: offset points into the default
  const d = interpolate('${A:-${B}}', {});
  assert.equal(d.problems.length, 1);
  assert.equal(d.problems[0].variable, 'B');
  assert.equal(d.problems[0].offset, 5);
  assert.equal(d.problems[0].length, 4);
  // in a default that is not used: no problem
  assert.equal(interpolate('${A:-${B}}', { A: 'a' }).problems.length, 0);
});

test('invalid formats are problems, never throws', () => {
  for (const s of ['${', '${A', '${}', '${1A}', '${A.b}', '${A:x}', '${A:-${B}']) {
    const r = interpolate(s, {});
    assert.ok(r.problems.length >= 1, s);
    assert.ok(
      r.problems.some((p) => /invalid interpolation format/.test(p.message)),
      s,
    );
  }
  // compose-go keeps any other lone $ as it is (docker compose >= 2.11)
  for (const s of ['$', 'a$', '$1', '$(date)', '^re$', '5$', 'a $ b']) {
    const r = interpolate(s, {});
    assert.deepEqual(r, { value: s, problems: [] }, s);
  }
  assert.equal(interpolate('$$(date)', {}).value, '$(date)');
  assert.doesNotThrow(() => interpolate(undefined as unknown as string, {}));
  assert.doesNotThrow(() => interpolate('${A}', undefined as unknown as Record<string, string>));
  // deep nesting does not blow the stack
  const deep = '${A:-'.repeat(5000) + 'x' + '}'.repeat(5000);
  assert.doesNotThrow(() => interpolate(deep, {}));
});

test('interpolateDetailed maps output characters back to the input', () => {
  const d = interpolateDetailed('${D:-.}/tls', {});
  assert.equal(d.value, './tls');
  assert.equal(d.starts[0], 0); // '.' comes from the whole ${…}
  assert.equal(d.ends[0], 7);
  assert.equal(d.starts[1], 7); // '/'
  const v = interpolateDetailed('$X/a', { X: 'abc' });
  assert.deepEqual([v.starts[0], v.ends[2], v.starts[3]], [0, 2, 2]);
});

test('parseDotEnv follows compose rules', () => {
  const text = [
    '\ufeff# a comment',
    '',
    'export A=1',
    'B = spaced ',
    'C="double # not a comment" # comment',
    "D='single $A \\n'",
    'E=unquoted # inline comment',
    'F=a#b',
    'G="line1\\nline2"',
    'H=${A}-${MISSING:-def}',
    'I="$A"',
    "J='$A'",
    'K: yaml style',
    'L=',
    'M="multi',
    'line"',
    'bad line with spaces=1',
    'N="unterminated',
    'O=after',
  ].join('\n');
  const env = parseDotEnv(text);
  assert.equal(env.A, '1');
  assert.equal(env.B, 'spaced');
  assert.equal(env.C, 'double # not a comment');
  assert.equal(env.D, 'single $A \\n');
  assert.equal(env.E, 'unquoted');
  assert.equal(env.F, 'a#b');
  assert.equal(env.G, 'line1\nline2');
  assert.equal(env.H, '1-def');
  assert.equal(env.I, '1');
  assert.equal(env.J, '$A');
  assert.equal(env.K, 'yaml style');
  assert.equal(env.L, '');
  assert.equal(env.M, 'multi\nline');
  assert.equal('bad line with spaces' in env, false);
});

test('parseDotEnv: process env wins and bare keys inherit', () => {
  const env = parseDotEnv('A=file\nB\nC=${A}', { A: 'proc', B: 'inherited' });
  assert.equal(env.A, 'proc');
  assert.equal(env.B, 'inherited');
  assert.equal(env.C, 'proc');
  assert.doesNotThrow(() => parseDotEnv(undefined as unknown as string));
  assert.deepEqual(parseDotEnv(''), {});
});

test('composeEnv reads .env beside the compose file; process env wins', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-env-'));
  try {
    fs.writeFileSync(path.join(dir, '.env'), 'DOCKER_VOLUME_DIRECTORY=/data\nTAG=v2.4\n');
    const ws = new Workspace([dir]);
    const composePath = path.join(dir, 'docker-compose.yml');
    const r = composeEnv(composePath, ws, { TAG: 'v2.5', PATH: '/bin' });
    assert.equal(r.dotEnvPath, path.join(dir, '.env'));
    assert.equal(r.env.DOCKER_VOLUME_DIRECTORY, '/data');
    assert.equal(r.env.TAG, 'v2.5');
    assert.equal(r.env.PATH, '/bin');
    // no .env: only the process env
    fs.rmSync(path.join(dir, '.env'));
    ws.invalidate(path.join(dir, '.env'));
    const r2 = composeEnv(composePath, ws, { X: '1' });
    assert.equal(r2.dotEnvPath, undefined);
    assert.deepEqual(r2.env, { X: '1' });
    // untrusted workspace: .env is not read
    fs.writeFileSync(path.join(dir, '.env'), 'A=1\n');
    const untrusted = new Workspace([dir], { ...DEFAULT_SETTINGS, trusted: false });
    assert.equal(composeEnv(composePath, untrusted, {}).env.A, undefined);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
