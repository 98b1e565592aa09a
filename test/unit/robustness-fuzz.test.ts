/**
 * Issue 7, part 1: property-based fuzzing of the language service with a real
 * temp workspace. Mutated milvus.yaml / compose / PEM, random bytes and random
 * unicode go through every request (validate, hover on every line, completion,
 * symbols, folding, links, code actions). Each answer must be well-formed LSP
 * with ranges inside the document, no request may throw or take over 2 s, and
 * no crash may hide behind the facade's internal-error net.
 *
 * Fixed seed and run count, so CI is deterministic; scripts/fuzz-long.ts runs
 * the same properties with a random seed and FUZZ_RUNS inputs.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  fuzzWorkspace,
  runAll,
  FUZZ_CASES,
  counts,
  timing,
  type FuzzWorkspace,
  LspText,
  checkDiagnostics,
  aliasBomb,
  applyLineOps,
  wrapText,
} from '../support/bad-inputs';

const SEED = 20240607;
const CI_RUNS = Number(process.env.FUZZ_CI_RUNS ?? 2000);

let w: FuzzWorkspace;
before(async () => {
  w = await fuzzWorkspace();
});
after(() => w.dispose());

test(`fuzz: ${CI_RUNS} inputs over every request (seed ${SEED})`, { timeout: 300_000 }, () => {
  const t0 = Date.now();
  const ran = runAll(w, CI_RUNS, { seed: SEED });
  const per = FUZZ_CASES.map((c) => `${c.name}: ${counts.get(c.name) ?? 0}`).join(', ');
  console.log(
    `# fuzz: ${ran} inputs (${per}); ${timing.calls} service calls in ${((Date.now() - t0) / 1000).toFixed(1)} s; slowest call ${timing.slowest.ms.toFixed(0)} ms (${timing.slowest.what})`,
  );
  assert.ok(ran >= CI_RUNS * 0.95, `only ${ran} inputs ran`);
});

test('the well-formedness checks themselves catch bad answers', () => {
  const t = new LspText('ab\r\ncd\re');
  assert.equal(t.lineCount, 3);
  assert.equal(t.lineLength(0), 2);
  const good = {
    range: { start: { line: 2, character: 0 }, end: { line: 2, character: 1 } },
    severity: 1,
    code: 'x',
    source: 'tls-config',
    message: 'm',
  };
  checkDiagnostics(t, [good]);
  assert.throws(
    () => checkDiagnostics(t, [{ ...good, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } } }]),
    /past the end/,
  );
  assert.throws(
    () => checkDiagnostics(t, [{ ...good, range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } } }]),
    /outside the document/,
  );
  assert.throws(() => checkDiagnostics(t, [{ ...good, code: 7 }]), /string code/);
  assert.throws(() => checkDiagnostics(t, [{ ...good, severity: 5 }]), /severity/);
  assert.throws(() => checkDiagnostics(t, [{ ...good, source: 'yaml' }]), /source/);
  assert.throws(() => checkDiagnostics(t, [{ ...good, code: 'internal-error' }]), /swallowed crash/);
  assert.throws(
    () => checkDiagnostics(t, [{ ...good, range: { start: { line: 1, character: 1 }, end: { line: 1, character: 0 } } }]),
    /start after end/,
  );
});

test('the mutators do what they say', () => {
  assert.equal(applyLineOps('a: 1\nb: 2', [{ op: 'swap', a: 0, b: 1 }]), 'b: 2\na: 1');
  assert.equal(applyLineOps('a: 1\nb: 2', [{ op: 'anchor', a: 0, b: 1 }]), 'a: &a0 1\nb: *a0');
  assert.equal(applyLineOps('a: 1', [{ op: 'scalar', a: 0, s: '[' }]), 'a: [');
  assert.equal(applyLineOps('a: 1', [{ op: 'tab', a: 0, b: 0 }]), '\ta: 1');
  assert.equal(aliasBomb(2, 2).join('\n'), 'lol0: &l0 "lol"\nlol1: &l1 [*l0, *l0]\nlol2: &l2 [*l1, *l1]');
  assert.equal(wrapText('a\nb', 'crlf'), 'a\r\nb');
});
