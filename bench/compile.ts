/**
 * `npm run bench:compile`: compiles synthetic pipelines of 100, 1000 and 3000 tasks, each in a
 * fresh process, and prints wall time and peak memory beside the reference compiler's figures
 * (KFP SDK 2.15.2 on this machine class, from shared/kfp-goldens/README.md §5). Two shapes: the
 * reference's chain, and the same number of tasks in nested loops and conditions (compared with
 * the reference's chain of that size, the only figure it has).
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

/** The reference compiler cannot run here (no PyPI), so its recorded figures are the baseline. */
const reference: Record<number, { wallS: number; rssMb: number; yamlKb: number }> = {
  100: { wallS: 2.5, rssMb: 81, yamlKb: 174 },
  1000: { wallS: 23.5, rssMb: 118, yamlKb: 1750 },
  3000: { wallS: 203, rssMb: 208, yamlKb: 5260 },
};

interface Sample {
  size: number;
  tasks: number;
  buildMs: number;
  compileMs: number;
  yamlMs: number;
  schemaCheckMs: number;
  yamlBytes: number;
  schemaProblems: number;
  peakRssMb: number;
}

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const shapes = ['chain', 'nested'] as const;
const runs = 3;

function sample(shape: string, size: number): Sample & { wallMs: number } {
  const started = performance.now();
  const child = spawnSync(
    process.execPath,
    ['-r', path.join(__dirname, '../project/register-ts.js'), path.join(__dirname, 'compile-chain.ts'), shape, String(size)],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  const wallMs = performance.now() - started;
  if (child.status !== 0) throw new Error(`benchmark child for ${size} tasks failed:\n${child.stderr}`);
  return { ...(JSON.parse(child.stdout) as Sample), wallMs };
}

function median<T>(values: T[], key: (v: T) => number): T {
  return [...values].sort((a, b) => key(a) - key(b))[Math.floor(values.length / 2)]!;
}

const rows: string[][] = [];
for (const shape of shapes) {
  let previous: { size: number; ms: number } | undefined;
  for (const size of sizes.length ? sizes : [100, 1000, 3000]) {
    const samples = Array.from({ length: runs }, () => sample(shape, size));
    const best = median(samples, (s) => s.wallMs);
    if (best.schemaProblems !== 0) throw new Error(`compiled ${shape} of ${size} failed the PipelineSpec schema check`);
    const ref = reference[size];
    // Per task, not per block, so that growth reads 1.00 for linear.
    const inProcessMs = best.buildMs + best.compileMs + best.schemaCheckMs + best.yamlMs;
    const growth = previous ? (inProcessMs / previous.ms / (size / previous.size)).toFixed(2) : '-';
    previous = { size, ms: inProcessMs };
    rows.push([
      shape,
      String(best.tasks),
      `${(best.wallMs / 1000).toFixed(2)} s`,
      ref ? `${ref.wallS} s` : 'n/a',
      ref ? `${Math.round((ref.wallS * 1000) / best.wallMs)}x` : 'n/a',
      `${best.buildMs.toFixed(0)} / ${best.compileMs.toFixed(0)} / ${best.schemaCheckMs.toFixed(0)} / ${best.yamlMs.toFixed(0)} ms`,
      `${((inProcessMs * 1000) / size).toFixed(0)} µs`,
      growth,
      `${best.peakRssMb.toFixed(0)} MB`,
      ref ? `${ref.rssMb} MB` : 'n/a',
      `${(best.yamlBytes / 1024).toFixed(0)} KB`,
      ref && shape === 'chain' ? `${ref.yamlKb} KB` : 'n/a',
    ]);
  }
}

const header = [
  'shape',
  'tasks',
  'kfp-ts wall',
  'reference wall',
  'speed-up',
  'build / compile / schema / yaml',
  'per task',
  'growth*',
  'kfp-ts peak RSS',
  'reference RSS',
  'kfp-ts YAML',
  'reference YAML',
];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log(
  `Compile benchmark: N add_one tasks as a chain and nested in loops/conditions, median of ${runs} fresh processes (wall = whole process, Node start-up included)`,
);
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of rows) console.log(line(row));
console.log('* growth: in-process time per task relative to the previous size (1.00 = linear).');
