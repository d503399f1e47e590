/**
 * The IR mutation fuzzer, a few hundred seeded cases (`npm run bench:fuzz` runs thousands): every
 * mutated document through the `kfp-ts validate` path is accepted or refused with a clear error,
 * never a crash or a hang, and no accepted document refers to an undefined Object.prototype name.
 */
import { loadSeeds, runFuzz, type FuzzSummary } from './fuzz/run-fuzz';

jest.setTimeout(120_000);

let summary: FuzzSummary;

beforeAll(async () => {
  // A spread of the KFP goldens beside this repository's own; smaller huge strings and wide DAGs keep it quick.
  const seeds = loadSeeds({ kfpGoldens: 30 });
  summary = await runFuzz({ cases: 300, seed: 13, seeds, scale: 0.1 });
});

it('never crashes or hangs', () => {
  expect(summary.failures.filter((f) => f.outcome === 'crash' || f.outcome === 'hang')).toEqual([]);
  expect(summary.counts.crash + summary.counts.hang).toBe(0);
});

it('accepts no document with a reference to an undefined prototype name', () => {
  expect(summary.failures.filter((f) => f.outcome === 'accepted')).toEqual([]);
  expect(summary.acceptedWithPrototypeNames).toBe(0);
});

it('exercises both outcomes: the mutations are not all fatal, nor all harmless', () => {
  expect(summary.counts.accepted).toBeGreaterThan(10);
  expect(summary.counts['clear error']).toBeGreaterThan(150);
});
