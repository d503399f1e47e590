import * as path from 'node:path';
import { compilePipeline, containerComponent, pipeline, t } from '../../compiler';
import type { IrPipelineSpec } from '../../compiler/ir/pipeline-spec';
import { executeDag } from '../../runner/dag-executor';
import { MetadataStore } from '../../runner/mlmd/metadata-store';
import type { ProgressReporter, TaskEvent } from '../../runner/progress';
import type { RunContext } from '../../runner/run-context';
import { runPipeline } from '../../runner/run-pipeline';
import { TaskSlots } from '../../runner/task-slots';
import { query, tempWorkspace } from './support';

// MLMD Execution.State numbers.
const RUNNING = 2;

const emit = containerComponent({
  name: 'emit',
  outputs: { text: t.string() },
  image: 'busybox:1.36',
  command: ({ outputs }) => ['sh', '-c', 'mkdir -p "$(dirname "$0")" && printf hello > "$0"', outputs.text.path],
});
const shout = containerComponent({
  name: 'shout',
  inputs: { text: t.string() },
  outputs: { text: t.string() },
  image: 'busybox:1.36',
  command: ({ inputs, outputs }) => ['sh', '-c', 'mkdir -p "$(dirname "$1")" && printf "%s!" "$0" > "$1"', inputs.text, outputs.text.path],
});
const pause = containerComponent({
  name: 'pause',
  inputs: { index: t.int() },
  image: 'busybox:1.36',
  command: ({ inputs }) => ['sh', '-c', 'sleep 0.2; : "$0"', inputs.index],
});

const chained = compilePipeline(
  pipeline({ name: 'proto-names' }, () => {
    const first = emit();
    return { out: shout({ text: first.outputs.text }).outputs.text };
  }),
);

/** The IR as JSON text with every reference to task `from` renamed `to` (JSON.parse makes `__proto__` an own key). */
function renameTask(spec: IrPipelineSpec, from: string, to: string): IrPipelineSpec {
  return JSON.parse(JSON.stringify(spec).split(`"${from}"`).join(`"${to}"`)) as IrPipelineSpec;
}

function recorder(): ProgressReporter & { events: TaskEvent[] } {
  const events: TaskEvent[] = [];
  return { events, runStarted() {}, task: (event) => events.push(event), runFinished() {} };
}

/** A run context over a fresh store, for driving executeDag with IR the validator would refuse. */
function contextFor(spec: IrPipelineSpec, reporter: ProgressReporter): { ctx: RunContext; rootExecutionId: number } {
  const workspace = tempWorkspace('kfp-ts-dag-');
  const store = MetadataStore.open(workspace.metadataFile);
  const pipelineContextId = store.getOrCreateContext('system.Pipeline', spec.pipelineInfo.name);
  const runContextId = store.getOrCreateContext('system.PipelineRun', 'run-1');
  const contextIds = [pipelineContextId, runContextId];
  const rootExecutionId = store.createExecution({ typeName: 'system.DAGExecution', name: 'run/run-1', state: 'RUNNING', contextIds });
  const runRoot = path.join(workspace.pipelineRoot, 'run-1');
  const ctx: RunContext = {
    spec,
    runId: 'run-1',
    pipelineName: spec.pipelineInfo.name,
    runRoot,
    pipelineRoot: workspace.pipelineRoot,
    store,
    pipelineContextId,
    runContextId,
    containerSlots: new TaskSlots(2),
    reporter,
    workingDirectory: process.cwd(),
    imageWorkingDirectories: {},
    runtime: {
      jobName: 'run-1',
      jobResourceName: 'local/pipelineJobs/run-1',
      jobId: 'run-1',
      pipelineRoot: runRoot,
      createTimeUtc: '',
      scheduleTimeUtc: '',
    },
    completed: new Map(),
    failing: false,
    localLaunchers: [],
    environment: { ...(process.env as Record<string, string>) },
  };
  return { ctx, rootExecutionId };
}

describe('names that are also Object.prototype members', () => {
  it('runs a task named __proto__ and passes its output on', async () => {
    const workspace = tempWorkspace('kfp-ts-dag-');
    const spec = renameTask(chained, 'emit', '__proto__');
    expect(Object.keys(spec.root.dag!.tasks)).toContain('__proto__');
    const result = await runPipeline(spec, { pipelineRoot: workspace.pipelineRoot, metadataFile: workspace.metadataFile, parallelism: 2 });
    expect(result.error).toBeUndefined();
    expect(result.state).toBe('SUCCEEDED');
    expect(result.tasks.map((task) => [task.path, task.state])).toEqual([
      ['__proto__', 'succeeded'],
      ['shout', 'succeeded'],
    ]);
    expect(result.parameters).toEqual({ out: 'hello!' });
  }, 30_000);

  it('fails a task that depends on __proto__ when no task has that name, saying so, and reports every task', async () => {
    const spec = JSON.parse(JSON.stringify(chained)) as IrPipelineSpec;
    (spec.root.dag!.tasks['shout'] as { dependentTasks?: string[] }).dependentTasks = ['__proto__'];
    const reporter = recorder();
    const { ctx, rootExecutionId } = contextFor(spec, reporter);
    try {
      const outcome = await executeDag(ctx, spec.root, { parameters: {}, artifacts: {} }, { path: '', executionId: rootExecutionId });
      expect(outcome.state).toBe('failed');
      expect(outcome.error).toContain("task 'shout' depends on '__proto__', which is not a task of its DAG");
      const finished = reporter.events.filter((e) => e.kind !== 'queued' && e.kind !== 'started').map((e) => [e.path, e.kind]);
      expect(finished).toEqual(
        expect.arrayContaining([
          ['shout', 'failed'],
          ['emit', expect.stringMatching(/succeeded|skipped/)],
        ]),
      );
    } finally {
      ctx.store.close();
    }
  }, 30_000);

  it('reads a DAG without tasks (proto3 JSON leaves an empty map out) as a DAG with no tasks', async () => {
    const spec = JSON.parse(JSON.stringify(chained)) as IrPipelineSpec;
    (spec.root as { dag: unknown }).dag = {};
    const { ctx, rootExecutionId } = contextFor(spec, recorder());
    try {
      const outcome = await executeDag(ctx, spec.root, { parameters: {}, artifacts: {} }, { path: '', executionId: rootExecutionId });
      expect(outcome).toMatchObject({ state: 'succeeded', parameters: {}, artifacts: {} });
    } finally {
      ctx.store.close();
    }
  });
});

describe('when the runner itself fails', () => {
  it('leaves no execution RUNNING and gives the run lock back', async () => {
    const workspace = tempWorkspace('kfp-ts-dag-');
    const spec = compilePipeline(
      pipeline({ name: 'throwing-reporter' }, () => {
        pause({ index: 1 });
        pause({ index: 2 });
      }),
    );
    const reporter: ProgressReporter = {
      runStarted() {},
      task(event) {
        if (event.kind !== 'queued') throw new Error(`reporter broke on ${event.kind}`);
      },
      runFinished() {},
    };
    await expect(
      runPipeline(spec, { pipelineRoot: workspace.pipelineRoot, metadataFile: workspace.metadataFile, parallelism: 1, reporter }),
    ).rejects.toThrow(/reporter broke/);
    const running = query<{ n: number }>(workspace.metadataFile, 'SELECT count(*) AS n FROM Execution WHERE last_known_state = ?', RUNNING);
    expect(running).toEqual([{ n: 0 }]);
    expect(query(workspace.metadataFile, "SELECT * FROM ContextProperty WHERE name = 'kfp_ts_runner'")).toEqual([]);
  }, 30_000);
});

describe('tasks waiting for a slot', () => {
  it('are reported queued and recorded in ML Metadata only once they start', async () => {
    const workspace = tempWorkspace('kfp-ts-dag-');
    const spec = compilePipeline(
      pipeline({ name: 'queued' }, () => {
        for (let i = 0; i < 3; i++) pause({ index: i });
      }),
    );
    const rowsWhenStarted: number[] = [];
    const events: TaskEvent[] = [];
    const reporter: ProgressReporter = {
      runStarted() {},
      task(event) {
        events.push(event);
        if (event.kind === 'started' || event.kind === 'succeeded') {
          rowsWhenStarted.push(
            query<{ n: number }>(
              workspace.metadataFile,
              "SELECT count(*) AS n FROM Execution E JOIN Type T ON T.id = E.type_id WHERE T.name = 'system.ContainerExecution'",
            )[0]!.n,
          );
        }
      },
      runFinished() {},
    };
    const result = await runPipeline(spec, {
      pipelineRoot: workspace.pipelineRoot,
      metadataFile: workspace.metadataFile,
      parallelism: 1,
      reporter,
    });
    expect(result.state).toBe('SUCCEEDED');
    // At each start and each finish: one row per task started so far, none for those still queued.
    // A task's end is committed together with the next task's start (group commit), and its
    // 'succeeded' is told once committed, so it sees the next task's row too.
    expect(rowsWhenStarted).toEqual([1, 2, 2, 3, 3, 3]);
    expect(events.filter((e) => e.kind === 'queued').map((e) => e.path)).toEqual(['pause-2', 'pause-3']);
  }, 30_000);

  it('show in the summary as not run when the run is cancelled before they start, with nothing recorded for them', async () => {
    const workspace = tempWorkspace('kfp-ts-dag-');
    const spec = compilePipeline(
      pipeline({ name: 'queued-cancel' }, () => {
        for (let i = 0; i < 3; i++) pause({ index: i });
      }),
    );
    const cancel = new AbortController();
    const reporter: ProgressReporter = {
      runStarted() {},
      task(event) {
        if (event.kind === 'started') cancel.abort();
      },
      runFinished() {},
    };
    const result = await runPipeline(spec, {
      pipelineRoot: workspace.pipelineRoot,
      metadataFile: workspace.metadataFile,
      parallelism: 1,
      reporter,
      signal: cancel.signal,
    });
    expect(result.state).toBe('CANCELLED');
    expect(result.tasks.map((task) => [task.path, task.state])).toEqual([
      ['pause', 'cancelled'],
      ['pause-2', 'not-run'],
      ['pause-3', 'not-run'],
    ]);
    const containers = query(
      workspace.metadataFile,
      "SELECT E.id FROM Execution E JOIN Type T ON T.id = E.type_id WHERE T.name = 'system.ContainerExecution'",
    );
    expect(containers).toHaveLength(1);
  }, 30_000);
});
