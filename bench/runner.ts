/**
 * `npm run bench:runner`: the local runner's scheduling overhead and cache, in one run:
 *   1. 200 trivial tasks in a wide DAG at parallelism 1 (kfp.local's sequential behaviour, the
 *      baseline) beside the default parallelism (the number of cores);
 *   2. the per-task overhead: wall time per task at parallelism 1, minus the cost of starting the
 *      same trivial process directly, measured here too;
 *   3. a fully cached re-run of a 50-task chain beside its first, uncached run (target: under 1 s).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { compilePipeline, containerComponent, pipeline, t } from '../compiler';
import { runPipeline } from '../runner/run-pipeline';

const trivial = containerComponent({ name: 'noop', inputs: { index: t.int() }, image: 'busybox:1.36', command: ({ inputs }) => ['sh', '-c', ': "$0"', inputs.index] });
const step = containerComponent({
  name: 'step',
  inputs: { value: t.int() },
  outputs: { next: t.int() },
  image: 'busybox:1.36',
  command: ({ inputs, outputs }) => ['sh', '-c', 'mkdir -p "$(dirname "$1")" && echo $(( $0 + 1 )) > "$1"', inputs.value, outputs.next.path],
});

const wide = compilePipeline(
  pipeline({ name: 'wide-200' }, () => {
    for (let i = 0; i < 200; i++) trivial({ index: i });
  }),
);
const chain = compilePipeline(
  pipeline({ name: 'chain-50' }, () => {
    let previous = step({ value: 0 });
    for (let i = 1; i < 50; i++) previous = step({ value: previous.outputs.next });
  }),
);

async function timed(spec: typeof wide, workspace: string, options: Parameters<typeof runPipeline>[1]) {
  const started = performance.now();
  const result = await runPipeline(spec, { pipelineRoot: path.join(workspace, 'outputs'), metadataFile: path.join(workspace, 'metadata.sqlite'), ...options });
  if (result.state !== 'SUCCEEDED') throw new Error(`benchmark run failed: ${result.error}`);
  return performance.now() - started;
}

async function main(): Promise<void> {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-bench-runner-'));
  const cores = os.availableParallelism();

  const spawnStarted = performance.now();
  for (let i = 0; i < 200; i++) spawnSync('sh', ['-c', ': "$0"', String(i)]);
  const rawSpawnMs = (performance.now() - spawnStarted) / 200;

  const sequentialMs = await timed(wide, workspace, { parallelism: 1, enableCaching: false });
  const parallelMs = await timed(wide, workspace, { parallelism: cores, enableCaching: false });
  const overheadMs = sequentialMs / 200 - rawSpawnMs;

  const chainWorkspace = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-bench-runner-chain-'));
  const firstMs = await timed(chain, chainWorkspace, {});
  const cachedMs = await timed(chain, chainWorkspace, {});

  const rows = [
    ['200 trivial tasks, wide DAG', `${(sequentialMs / 1000).toFixed(2)} s (parallelism 1, baseline)`, `${(parallelMs / 1000).toFixed(2)} s (parallelism ${cores})`, `${(sequentialMs / parallelMs).toFixed(2)}x`],
    ['per-task overhead', `${(sequentialMs / 200).toFixed(1)} ms per task at parallelism 1`, `${rawSpawnMs.toFixed(1)} ms to start the process alone`, `${overheadMs.toFixed(1)} ms runner overhead`],
    ['50-task chain', `${(firstMs / 1000).toFixed(2)} s first run (baseline)`, `${(cachedMs / 1000).toFixed(2)} s fully cached re-run`, `${(firstMs / cachedMs).toFixed(1)}x (target: re-run < 1 s)`],
  ];
  const header = ['measurement', 'baseline', 'kfp-ts', 'ratio'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`Runner benchmark on ${cores} cores (${os.cpus()[0]?.model ?? 'unknown CPU'})`);
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
