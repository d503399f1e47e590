/**
 * `npm run bench:runner`: the local runner's scheduling overhead, scaling and cache, in one run:
 *   1. 200 trivial tasks in a wide DAG at parallelism 1 (kfp.local's sequential behaviour, the
 *      baseline) beside the default parallelism (the number of cores);
 *   2. the per-task overhead: wall time per task at parallelism 1, minus the cost of starting the
 *      same trivial process directly, measured here too;
 *   3. a fully cached re-run of a 50-task chain beside its first, uncached run (target: under 1 s);
 *   4. wide DAGs of 1,000, 5,000 and 10,000 trivial tasks at parallelism 2 beside starting the same
 *      processes directly (child_process.spawn, 2 at a time), each in a process of its own
 *      (runner-wide.ts): runner CPU per task (target: constant within ±30 %), peak RSS (target:
 *      under 300 MB at 10,000), wall (target: within 2x of the direct spawns);
 *   5. `run-info` and `lineage` reads on a 1,000-run store beside a 2-run store (target: within 1.2x).
 * `BENCH_RUNNER_SIZES=1000,5000` picks the wide sizes (read in main, not at load).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Dataset, compilePipeline, containerComponent, pipeline, t } from '../compiler';
import { MetadataStore } from '../runner/mlmd/metadata-store';
import { lineageOf, runDetails } from '../runner/run-history';
import { runPipeline } from '../runner/run-pipeline';

const trivial = containerComponent({
  name: 'noop',
  inputs: { index: t.int() },
  image: 'busybox:1.36',
  command: ({ inputs }) => ['sh', '-c', ': "$0"', inputs.index],
});
const step = containerComponent({
  name: 'step',
  inputs: { value: t.int() },
  outputs: { next: t.int() },
  image: 'busybox:1.36',
  command: ({ inputs, outputs }) => [
    'sh',
    '-c',
    'mkdir -p "$(dirname "$1")" && echo $(( $0 + 1 )) > "$1"',
    inputs.value,
    outputs.next.path,
  ],
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
  const result = await runPipeline(spec, {
    pipelineRoot: path.join(workspace, 'outputs'),
    metadataFile: path.join(workspace, 'metadata.sqlite'),
    ...options,
  });
  if (result.state !== 'SUCCEEDED') throw new Error(`benchmark run failed: ${result.error}`);
  return performance.now() - started;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

interface WideMeasurement {
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
}

function measureWide(mode: 'runner' | 'direct', target: string, parallelism: number): WideMeasurement {
  const output = execFileSync(
    process.execPath,
    [
      '-r',
      path.join(__dirname, '..', 'project', 'register-ts.js'),
      path.join(__dirname, 'runner-wide.ts'),
      mode,
      target,
      String(parallelism),
    ],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(output.trim().split('\n').pop()!) as WideMeasurement;
}

/** The median of `runs` measurements of each, runner and direct taking turns so both see the same load. */
function wideRows(workspace: string, sizes: readonly number[]): string[][] {
  const rows: string[][] = [];
  const cpuPerTask: number[] = [];
  for (const size of sizes) {
    const irFile = path.join(workspace, `wide-${size}.json`);
    fs.writeFileSync(
      irFile,
      JSON.stringify(
        compilePipeline(
          pipeline({ name: `wide-${size}` }, () => {
            for (let i = 0; i < size; i++) trivial({ index: i });
          }),
        ),
      ),
    );
    const runs = size <= 1000 ? 3 : 1;
    const runner: WideMeasurement[] = [];
    const direct: WideMeasurement[] = [];
    for (let i = 0; i < runs; i++) {
      direct.push(measureWide('direct', String(size), 2));
      runner.push(measureWide('runner', irFile, 2));
    }
    const r = {
      wallMs: median(runner.map((m) => m.wallMs)),
      cpuMs: median(runner.map((m) => m.cpuMs)),
      peakRssMb: median(runner.map((m) => m.peakRssMb)),
    };
    const d = {
      wallMs: median(direct.map((m) => m.wallMs)),
      cpuMs: median(direct.map((m) => m.cpuMs)),
      peakRssMb: median(direct.map((m) => m.peakRssMb)),
    };
    cpuPerTask.push(r.cpuMs / size);
    rows.push([
      `${size} trivial tasks, wide DAG, parallelism 2 (${runs === 1 ? '1 run' : `median of ${runs}`})`,
      `${(d.wallMs / 1000).toFixed(2)} s wall, ${(d.cpuMs / size).toFixed(2)} ms CPU/task, ${d.peakRssMb.toFixed(0)} MB peak RSS (direct spawn)`,
      `${(r.wallMs / 1000).toFixed(2)} s wall, ${(r.cpuMs / size).toFixed(2)} ms CPU/task, ${r.peakRssMb.toFixed(0)} MB peak RSS`,
      `${(r.wallMs / d.wallMs).toFixed(2)}x wall (target < 2x; RSS target < 300 MB at 10,000)`,
    ]);
  }
  const spread = Math.max(...cpuPerTask) / Math.min(...cpuPerTask);
  rows.push([
    'runner CPU per task across sizes',
    `${Math.min(...cpuPerTask).toFixed(2)} ms lowest`,
    `${Math.max(...cpuPerTask).toFixed(2)} ms highest`,
    `${spread.toFixed(2)}x (target within ±30 %)`,
  ]);
  return rows;
}

const produce = containerComponent({
  name: 'produce',
  outputs: { data: Dataset },
  image: 'busybox:1.36',
  command: ({ outputs }) => ['sh', '-c', 'mkdir -p "$(dirname "$0")" && echo data > "$0"', outputs.data.path],
});
const consume = containerComponent({
  name: 'consume',
  inputs: { data: Dataset },
  image: 'busybox:1.36',
  command: ({ inputs }) => ['sh', '-c', 'cat "$0" > /dev/null', inputs.data.path],
});
const lineagePipeline = compilePipeline(pipeline({ name: 'lineage-bench' }, () => void consume({ data: produce().outputs.data })));

/** Median ms of `run-info` on the first run and `lineage` of its dataset, store opened each time as the CLI does. */
function historyReads(metadataFile: string, runId: string, artifactId: number): { runInfoMs: number; lineageMs: number } {
  const time = (read: (store: MetadataStore) => unknown) => {
    const samples: number[] = [];
    for (let i = 0; i < 25; i++) {
      const started = performance.now();
      const store = MetadataStore.open(metadataFile);
      try {
        if (!read(store)) throw new Error('benchmark read found nothing');
      } finally {
        store.close();
      }
      samples.push(performance.now() - started);
    }
    return median(samples);
  };
  return { runInfoMs: time((store) => runDetails(store, runId)), lineageMs: time((store) => lineageOf(store, artifactId)) };
}

async function historyRows(workspace: string): Promise<string[][]> {
  const options = {
    pipelineRoot: path.join(workspace, 'outputs'),
    metadataFile: path.join(workspace, 'history.sqlite'),
    enableCaching: false,
    parallelism: 2,
  };
  const first = await runPipeline(lineagePipeline, options);
  await runPipeline(lineagePipeline, options);
  const store = MetadataStore.open(options.metadataFile);
  const artifactId = runDetails(store, first.runId)?.tasks.find((task) => task.outputArtifacts.length > 0)?.outputArtifacts[0]?.id ?? 0;
  store.close();
  const small = historyReads(options.metadataFile, first.runId, artifactId);
  for (let i = 2; i < 1000; i++) await runPipeline(lineagePipeline, options);
  const large = historyReads(options.metadataFile, first.runId, artifactId);
  return [
    [
      'run-info on a 1,000-run store',
      `${small.runInfoMs.toFixed(2)} ms on a 2-run store (baseline)`,
      `${large.runInfoMs.toFixed(2)} ms`,
      `${(large.runInfoMs / small.runInfoMs).toFixed(2)}x (target < 1.2x)`,
    ],
    [
      'lineage on a 1,000-run store',
      `${small.lineageMs.toFixed(2)} ms on a 2-run store (baseline)`,
      `${large.lineageMs.toFixed(2)} ms`,
      `${(large.lineageMs / small.lineageMs).toFixed(2)}x (target < 1.2x)`,
    ],
  ];
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

  const sizes = (process.env['BENCH_RUNNER_SIZES'] ?? '1000,5000,10000').split(',').map(Number);
  const wideTable = wideRows(workspace, sizes);
  const history = await historyRows(fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-bench-history-')));

  const rows = [
    ...wideTable,
    ...history,
    [
      '200 trivial tasks, wide DAG',
      `${(sequentialMs / 1000).toFixed(2)} s (parallelism 1, baseline)`,
      `${(parallelMs / 1000).toFixed(2)} s (parallelism ${cores})`,
      `${(sequentialMs / parallelMs).toFixed(2)}x`,
    ],
    [
      'per-task overhead',
      `${(sequentialMs / 200).toFixed(1)} ms per task at parallelism 1`,
      `${rawSpawnMs.toFixed(1)} ms to start the process alone`,
      `${overheadMs.toFixed(1)} ms runner overhead`,
    ],
    [
      '50-task chain',
      `${(firstMs / 1000).toFixed(2)} s first run (baseline)`,
      `${(cachedMs / 1000).toFixed(2)} s fully cached re-run`,
      `${(firstMs / cachedMs).toFixed(1)}x (target: re-run < 1 s)`,
    ],
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
