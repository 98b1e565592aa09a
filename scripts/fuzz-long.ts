/**
 * Long fuzz run of the robustness properties (issue 7), same as
 * test/unit/robustness-fuzz.test.ts but with a random seed and many inputs:
 *
 *   FUZZ_RUNS=20000 node --import tsx scripts/fuzz-long.ts
 *   FUZZ_SEED=123 FUZZ_RUNS=500 node --import tsx scripts/fuzz-long.ts   # replay a seed
 *
 * Prints the seed first, so a failure can be replayed; exits 1 on a failure.
 */
import { fuzzWorkspace, runAll, FUZZ_CASES, counts, timing } from '../test/support/bad-inputs';

async function main(): Promise<number> {
  const runs = Number(process.env.FUZZ_RUNS ?? 5000);
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
  // Runs go in chunks, each with its own seed derived from the first, so progress shows and a failure names a short replay.
  const chunk = Number(process.env.FUZZ_CHUNK ?? 1000);
  console.log(`# fuzz-long: seed ${seed}, ${runs} inputs, chunks of ${chunk}`);
  const w = await fuzzWorkspace();
  const t0 = Date.now();
  let ran = 0;
  try {
    for (let i = 0; ran < runs; i++) {
      const s = (seed + i * 7919) | 0;
      const n = Math.min(chunk, runs - ran);
      try {
        ran += runAll(w, n, { seed: s });
      } catch (e) {
        console.log(`# fuzz-long: FAILED in chunk ${i} (replay: FUZZ_SEED=${s} FUZZ_RUNS=${n} FUZZ_CHUNK=${n})`);
        console.log((e as Error).message);
        return 1;
      }
      console.log(
        `# fuzz-long: ${ran}/${runs} inputs, ${((Date.now() - t0) / 1000).toFixed(0)} s, slowest call ${timing.slowest.ms.toFixed(0)} ms (${timing.slowest.what})`,
      );
    }
  } finally {
    w.dispose();
  }
  const per = FUZZ_CASES.map((c) => `${c.name}: ${counts.get(c.name) ?? 0}`).join(', ');
  console.log(
    `# fuzz: ${ran} inputs (${per}); ${timing.calls} service calls in ${((Date.now() - t0) / 1000).toFixed(0)} s; slowest call ${timing.slowest.ms.toFixed(0)} ms (${timing.slowest.what}); seed ${seed}`,
  );
  return 0;
}

main().then((code) => process.exit(code));
