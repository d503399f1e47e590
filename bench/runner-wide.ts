/**
 * One measurement of `npm run bench:runner`, in a process of its own so that its peak RSS is its
 * own: `runner-wide.ts runner IR_FILE PARALLELISM` runs the IR with the local runner;
 * `runner-wide.ts direct N PARALLELISM` starts the same N trivial processes directly with
 * child_process.spawn, PARALLELISM at a time. Prints one JSON line: wall ms, CPU ms of this process,
 * peak RSS in MB.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { IrPipelineSpec } from '../compiler/ir/pipeline-spec';
import { runPipeline } from '../runner/run-pipeline';

function direct(count: number, parallelism: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let next = 0;
    let finished = 0;
    const startMore = () => {
      while (next - finished < parallelism && next < count) {
        const child = spawn('sh', ['-c', ': "$0"', String(next++)], { stdio: 'ignore' });
        child.once('error', reject);
        child.once('exit', () => {
          finished++;
          if (finished === count) resolve();
          else startMore();
        });
      }
    };
    startMore();
  });
}

async function main(): Promise<void> {
  const [mode, target, parallelismText] = process.argv.slice(2);
  const parallelism = Number(parallelismText);
  let spec: IrPipelineSpec | undefined;
  if (mode === 'runner') spec = JSON.parse(fs.readFileSync(target!, 'utf8')) as IrPipelineSpec;
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-bench-wide-'));
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  if (mode === 'runner') {
    const result = await runPipeline(spec!, {
      pipelineRoot: path.join(workspace, 'outputs'),
      metadataFile: path.join(workspace, 'metadata.sqlite'),
      parallelism,
      enableCaching: false,
    });
    if (result.state !== 'SUCCEEDED') throw new Error(`benchmark run failed: ${result.error}`);
  } else {
    await direct(Number(target), parallelism);
  }
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  fs.rmSync(workspace, { recursive: true, force: true });
  console.log(JSON.stringify({ wallMs, cpuMs: (cpu.user + cpu.system) / 1000, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
