/**
 * The IR mutation fuzzer's driver, shared by its test and `npm run bench:fuzz`: makes seeded cases
 * from valid IR, hands each to a worker process as a file, and classifies the outcome. A case that
 * takes longer than `hangMs` is a hang: the worker is killed and replaced, so a hang is detected
 * rather than suffered; a worker that dies (out of memory) is a crash.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadIrFile } from '../../../../compiler/ir/load-ir-file';
import { validatePipelineSpec } from '../../../../compiler/ir/validate-pipeline-spec';
import { goldensDir, listGoldenEntries } from '../../../support/kfp-goldens';
import { makeCase, unmutatedCase, type FuzzCase } from './mutate-ir';
import { Random } from './random';
import type { CaseResult, Outcome } from './validate-case';

const repositoryRoot = path.resolve(__dirname, '../../../..');

export interface Seed {
  readonly name: string;
  readonly doc: unknown;
}

/** The valid single-document IR files: this repository's pipeline goldens and the KFP SDK's (test/support/kfp-goldens). */
export function loadSeeds(options: { kfpGoldens: number } = { kfpGoldens: Infinity }): Seed[] {
  const ours = path.join(repositoryRoot, 'test/pipelines/goldens');
  const files = fs
    .readdirSync(ours)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => path.join(ours, f));
  const kfp = listGoldenEntries()
    .map((entry) => path.join(goldensDir(), entry.file))
    .sort();
  // An even spread over the KFP goldens when only some are wanted.
  const step = Math.max(1, Math.floor(kfp.length / Math.max(1, Math.min(options.kfpGoldens, kfp.length))));
  files.push(...kfp.filter((_, index) => index % step === 0).slice(0, options.kfpGoldens));
  const seeds: Seed[] = [];
  for (const file of files) {
    const { spec, platformSpec } = loadIrFile(file);
    if (platformSpec === undefined && validatePipelineSpec(spec).length === 0)
      seeds.push({ name: path.relative(repositoryRoot, file), doc: spec });
  }
  return seeds;
}

export interface FailedCase {
  readonly index: number;
  readonly seedName: string;
  readonly mutations: readonly string[];
  readonly outcome: Outcome;
  readonly detail: string;
}

export interface FuzzSummary {
  readonly cases: number;
  readonly counts: Readonly<Record<Outcome, number>>;
  readonly acceptedWithPrototypeNames: number;
  readonly slowestMs: number;
  readonly slowestCase: string;
  readonly medianMs: number;
  /** Crashes, hangs and accepted documents with prototype-named references, for reproduction. */
  readonly failures: readonly FailedCase[];
  /** A sample of accepted documents' texts, for checks further down the pipeline (the runner). */
  readonly acceptedSample: readonly FuzzCase[];
}

export interface FuzzOptions {
  readonly cases: number;
  readonly seed: number;
  readonly hangMs?: number;
  readonly seeds: readonly Seed[];
  readonly acceptedSampleSize?: number;
  /** How large huge strings and wide DAGs get (1, the default, for the bench; less for a quick test). */
  readonly scale?: number;
  /** Write the seeds out unmutated instead (a baseline: the cost of the path itself). */
  readonly identity?: boolean;
  /** Called after each case, e.g. for progress. */
  readonly onCase?: (index: number, fuzzCase: FuzzCase, result: CaseResult) => void;
}

/** Case `index` of run `seed`: reproducible on its own. */
export function caseAt(seeds: readonly Seed[], seed: number, index: number, scale = 1): FuzzCase {
  return makeCase(seeds, new Random(Math.imul(seed, 1_000_003) + index), { scale });
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzSummary> {
  const hangMs = options.hangMs ?? 10_000;
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-ir-fuzz-'));
  const worker = new FuzzWorker();
  const counts: Record<Outcome, number> = { accepted: 0, 'clear error': 0, crash: 0, hang: 0 };
  const times: number[] = [];
  const failures: FailedCase[] = [];
  const acceptedSample: FuzzCase[] = [];
  let acceptedWithPrototypeNames = 0;
  let slowest = { ms: -1, name: '' };
  try {
    for (let index = 0; index < options.cases; index++) {
      const fuzzCase = options.identity
        ? unmutatedCase(options.seeds[index % options.seeds.length]!)
        : caseAt(options.seeds, options.seed, index, options.scale);
      const file = path.join(folder, `case-${index}${fuzzCase.extension}`);
      fs.writeFileSync(file, fuzzCase.text);
      const result = await worker.validate(file, hangMs);
      fs.rmSync(file, { force: true });
      counts[result.outcome]++;
      times.push(result.ms);
      if (result.ms > slowest.ms) slowest = { ms: result.ms, name: `#${index} ${fuzzCase.seedName}: ${fuzzCase.mutations.join('; ')}` };
      if (result.prototypeNames) acceptedWithPrototypeNames++;
      if (result.outcome === 'crash' || result.outcome === 'hang' || result.prototypeNames) {
        failures.push({
          index,
          seedName: fuzzCase.seedName,
          mutations: fuzzCase.mutations,
          outcome: result.outcome,
          detail: result.detail ?? '',
        });
      }
      if (result.outcome === 'accepted' && acceptedSample.length < (options.acceptedSampleSize ?? 0)) acceptedSample.push(fuzzCase);
      options.onCase?.(index, fuzzCase, result);
    }
  } finally {
    worker.stop();
    fs.rmSync(folder, { recursive: true, force: true });
  }
  times.sort((a, b) => a - b);
  return {
    cases: options.cases,
    counts,
    acceptedWithPrototypeNames,
    slowestMs: slowest.ms,
    slowestCase: slowest.name,
    medianMs: times.length === 0 ? 0 : times[Math.floor(times.length / 2)]!,
    failures,
    acceptedSample,
  };
}

/** One worker process at a time, replaced after a hang or a death. */
class FuzzWorker {
  private child: ChildProcess | undefined;
  private nextId = 0;
  private stderrTail = '';

  validate(file: string, hangMs: number): Promise<CaseResult> {
    const child = (this.child ??= this.start());
    const id = this.nextId++;
    const started = Date.now();
    return new Promise((resolve) => {
      const finish = (result: CaseResult): void => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(result);
      };
      const onMessage = (message: { id: number; result: CaseResult }): void => {
        if (message.id === id) finish(message.result);
      };
      const onExit = (code: number | null, signal: string | null): void => {
        this.child = undefined;
        const said = this.stderrTail.trim().split('\n').slice(-3).join(' | ');
        finish({
          outcome: 'crash',
          ms: Date.now() - started,
          detail: `the worker process died (exit code ${code}, signal ${signal})${said ? `: ${said}` : ''}`,
        });
      };
      const timer = setTimeout(() => {
        child.off('exit', onExit);
        child.kill('SIGKILL');
        this.child = undefined;
        finish({ outcome: 'hang', ms: Date.now() - started, detail: `no answer after ${hangMs} ms` });
      }, hangMs);
      child.on('message', onMessage);
      child.on('exit', onExit);
      child.send({ id, file });
    });
  }

  stop(): void {
    this.child?.kill('SIGKILL');
    this.child = undefined;
  }

  private start(): ChildProcess {
    // A memory cap, so an expansion the bounds miss shows up as a dead worker rather than a machine out of memory.
    this.stderrTail = '';
    const child = fork(path.join(__dirname, 'fuzz-worker.ts'), [], {
      execArgv: ['--require', path.join(repositoryRoot, 'project/register-ts.js'), '--max-old-space-size=1024'],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    child.stderr!.setEncoding('utf8').on('data', (text: string) => {
      this.stderrTail = (this.stderrTail + text).slice(-2000);
    });
    return child;
  }
}
