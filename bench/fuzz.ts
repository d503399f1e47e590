/**
 * `npm run bench:fuzz -- --cases 5000 --seed 1`: the IR mutation fuzzer at scale. Mutates valid IR
 * (this repository's goldens and the KFP SDK's) with seeded structural mutations, runs each case
 * through the `kfp-ts validate` path in a worker process, and prints how many were accepted, refused
 * with a clear error, crashed, hung (over --hang-ms, default 10 s), or were accepted although a
 * reference names an undefined Object.prototype member; with the slowest and the median case time.
 * The baseline row is the unmutated seeds through the same path, in the same run.
 * Prints the failing cases (seed document and mutations; `caseAt(seeds, seed, index)` rebuilds one).
 */
import { performance } from 'node:perf_hooks';
import { loadSeeds, runFuzz, type FuzzSummary } from '../test/compiler/ir/fuzz/run-fuzz';

/** `--name N` or `--name=N`. */
function option(name: string, fallback: number): number {
  const args = process.argv.slice(2);
  const at = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (at < 0) return fallback;
  const text = args[at]!.includes('=') ? args[at]!.slice(name.length + 3) : args[at + 1];
  const value = Number(text);
  if (text === undefined || !Number.isInteger(value) || value < 0)
    throw new Error(`--${name} must be a whole number >= 0, got '${text ?? ''}'`);
  return value;
}

async function main(): Promise<void> {
  const cases = option('cases', 2000);
  const seed = option('seed', 1);
  const hangMs = option('hang-ms', 10_000);
  const seeds = loadSeeds();
  console.log(`${seeds.length} seed documents; ${cases} cases, seed ${seed}, hang limit ${hangMs} ms\n`);

  // Baseline: the seeds themselves, unmutated, through the same worker path.
  const baselineStart = performance.now();
  const baseline = await runFuzz({ cases: seeds.length, seed, hangMs, seeds, identity: true });
  const baselineWall = performance.now() - baselineStart;
  const started = performance.now();
  let done = 0;
  const summary = await runFuzz({
    cases,
    seed,
    hangMs,
    seeds,
    onCase: () => {
      if (++done % 500 === 0) process.stderr.write(`  ${done}/${cases}\n`);
    },
  });
  const wall = performance.now() - started;

  const row = (name: string, s: FuzzSummary, wallMs: number): string[] => [
    name,
    String(s.cases),
    String(s.counts.accepted),
    String(s.counts['clear error']),
    String(s.counts.crash),
    String(s.counts.hang),
    String(s.acceptedWithPrototypeNames),
    s.slowestMs.toFixed(1),
    s.medianMs.toFixed(2),
    (wallMs / 1000).toFixed(1),
  ];
  const header = [
    'run',
    'cases',
    'accepted',
    'clear errors',
    'crashes',
    'hangs',
    'accepted w/ prototype names',
    'slowest ms',
    'median ms',
    'wall s',
  ];
  const rows = [header, row('baseline (unmutated seeds)', baseline, baselineWall), row('mutated', summary, wall)];
  const widths = header.map((_, column) => Math.max(...rows.map((r) => r[column]!.length)));
  for (const r of rows)
    console.log(r.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  '));
  console.log(`\nslowest case: ${summary.slowestCase.slice(0, 200)}`);
  for (const failure of summary.failures.slice(0, 20)) {
    console.log(
      `\n${failure.outcome}: case #${failure.index} of seed ${seed}: ${failure.seedName}: ${failure.mutations.join('; ')}\n  ${failure.detail.replace(/\n/g, '\n  ')}`,
    );
  }
  if (summary.failures.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
