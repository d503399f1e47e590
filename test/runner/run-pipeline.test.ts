import * as fs from 'node:fs';
import * as path from 'node:path';
import { ExitHandler, If, ParallelFor, VertexModel, compilePipeline, containerComponent, importer, pipeline, t } from '../../compiler';
import {
  double,
  echoText,
  fail,
  flaky,
  forgetful,
  makeDataset,
  notify,
  readArtifact,
  sleepy,
  sum,
  trainModel,
} from './fixtures/components';
import { runPipeline } from '../../runner/run-pipeline';
import { executionsOfRun, query, run, tempWorkspace } from './support';

const COMPLETE = 3;
const FAILED = 4;
const CACHED = 5;
const CANCELED = 6;

describe('the local runner executes compiled IR', () => {
  it('runs a DAG of shell and Node tasks, passing parameters and artifacts, and returns pipeline outputs', async () => {
    const workspace = tempWorkspace();
    const p = pipeline({ name: 'train-flow', params: { rows: t.int({ default: 4 }) } }, ({ rows }) => {
      const data = makeDataset({ rows });
      const model = trainModel({ data: data.outputs.data, epochs: data.outputs.count });
      return { score: model.outputs.score, model: model.outputs.model };
    });
    const result = await run(p, workspace, { parameters: { rows: 10 } });
    expect(result.state).toBe('SUCCEEDED');
    expect(result.parameters).toEqual({ score: 0.55 });
    const modelUri = result.artifacts['model']![0]!.artifact.uri!;
    expect(modelUri).toBe(path.join(workspace.pipelineRoot, 'train-flow', result.runId, 'train-model', 'model'));
    expect(JSON.parse(fs.readFileSync(modelUri, 'utf8'))).toEqual({ weights: 55, epochs: 10 });
    expect(fs.existsSync(path.join(result.runRoot, 'make-dataset', 'executor.log'))).toBe(true);
    expect(executionsOfRun(workspace.metadataFile, result.runId).map((e) => [e.path, e.type, e.state])).toEqual([
      [null, 'system.DAGExecution', COMPLETE],
      ['make-dataset', 'system.ContainerExecution', COMPLETE],
      ['train-model', 'system.ContainerExecution', COMPLETE],
    ]);
  });

  it('runs conditions, loops with parallelism and fan-in, and one-of outputs', async () => {
    const workspace = tempWorkspace();
    const p = pipeline({ name: 'control-flow', params: { n: t.int({ default: 3 }) } }, ({ n }) => {
      const doubled = ParallelFor([1, 2, 3, 4], (item) => ({ out: double({ n: item }).outputs.out }), { parallelism: 2 });
      const total = sum({ values: doubled.outputs.out });
      const branch = If(total.outputs.total.gt(100), () => ({ text: echoText({ text: 'big' }).outputs.out })).Else(() => ({
        text: echoText({ text: 'small' }).outputs.out,
      }));
      If(n.eq(4), () => {
        echoText({ text: 'never' });
      });
      return { total: total.outputs.total, branch: branch.outputs.text };
    });
    const result = await run(p, workspace);
    expect(result.state).toBe('SUCCEEDED');
    expect(result.parameters).toEqual({ total: 20, branch: 'small' });
    const states = Object.fromEntries(result.tasks.map((task) => [task.path, task.state]));
    expect(states['condition-branches-3/condition-4']).toBe('skipped');
    expect(states['condition-6']).toBe('skipped');
    expect(states['for-loop-2/3/double']).toBe('succeeded');
  });

  it('runs the exit task after a failure, with the failed status, and fails fast', async () => {
    const workspace = tempWorkspace();
    const p = pipeline({ name: 'exits' }, () => {
      const exit = notify({ note: 'cleanup' });
      ExitHandler(exit, () => {
        const broken = fail({ message: 'boom' });
        echoText({ text: 'after' }).after(broken);
      });
      return { seen: exit.outputs.seen };
    });
    const result = await run(p, workspace);
    expect(result.state).toBe('FAILED');
    const byPath = Object.fromEntries(result.tasks.map((task) => [task.path, task]));
    expect(byPath['exit-handler-1/fail']).toMatchObject({ state: 'failed', error: 'exited with code 3' });
    expect(byPath['exit-handler-1/fail']!.logTail).toContain('about to fail: boom');
    expect(byPath['exit-handler-1/echo-text']!.state).toBe('not-run');
    expect(byPath['notify']!.state).toBe('succeeded');
    expect(fs.readFileSync(path.join(result.runRoot, 'notify', 'seen'), 'utf8')).toBe('FAILED:cleanup');
  });

  it('retries a failing task with backoff until it succeeds', async () => {
    const workspace = tempWorkspace();
    const marker = path.join(workspace.root, 'marker');
    const p = pipeline({ name: 'retries' }, () => ({
      out: flaky({ marker }).setRetry({ maxRetries: 2, backoffDuration: '0s' }).outputs.out,
    }));
    const result = await run(p, workspace);
    expect(result.state).toBe('SUCCEEDED');
    expect(result.parameters).toEqual({ out: 'ok' });
  });

  it('imports an existing artifact and reuses its record when not reimporting', async () => {
    const workspace = tempWorkspace();
    const file = path.join(workspace.root, 'existing.txt');
    fs.writeFileSync(file, 'imported!');
    const p = pipeline({ name: 'imports' }, () => {
      const imported = importer({ artifactUri: file, artifactClass: VertexModel, metadata: { source: 'test' } });
      return { text: readArtifact({ item: imported.outputs.artifact }).outputs.text };
    });
    const first = await run(p, workspace, { enableCaching: false });
    const second = await run(p, workspace, { enableCaching: false });
    expect(first.parameters).toEqual({ text: 'imported!' });
    const artifacts = query<{ id: number; type: string }>(
      workspace.metadataFile,
      'SELECT a.id, t.name AS type FROM Artifact a JOIN Type t ON t.id = a.type_id WHERE a.uri = ?',
      file,
    );
    expect(artifacts).toEqual([{ id: expect.any(Number), type: 'google.VertexModel' }]);
    expect(second.state).toBe('SUCCEEDED');
  });
});

describe('step caching with the KFP fingerprint', () => {
  const build = (rows: number, image = 'node:20-slim', epochs = 2) =>
    pipeline({ name: 'cached-flow' }, () => {
      const data = makeDataset({ rows });
      const model = trainModel({ data: data.outputs.data, epochs }).setImage(image);
      return { score: model.outputs.score };
    });

  it('hits when nothing changed, and misses when an input, an argument or the image changes', async () => {
    const workspace = tempWorkspace();
    const first = await run(build(5), workspace);
    const same = await run(build(5), workspace);
    const states = (result: typeof first) => Object.fromEntries(result.tasks.map((task) => [task.path, task.state]));
    expect(states(first)).toEqual({ 'make-dataset': 'succeeded', 'train-model': 'succeeded' });
    expect(states(same)).toEqual({ 'make-dataset': 'cached', 'train-model': 'cached' });
    expect(same.parameters).toEqual(first.parameters);
    // The cache hit points at the same artifacts: nothing is copied.
    expect(fs.existsSync(path.join(same.runRoot, 'train-model'))).toBe(false);

    expect(states(await run(build(6), workspace))).toEqual({ 'make-dataset': 'succeeded', 'train-model': 'succeeded' });
    expect(states(await run(build(5, 'node:20-slim', 3), workspace))).toEqual({ 'make-dataset': 'cached', 'train-model': 'succeeded' });
    expect(states(await run(build(5, 'node:22-slim'), workspace))).toEqual({ 'make-dataset': 'cached', 'train-model': 'succeeded' });

    const cached = query<{ state: number; cached: string }>(
      workspace.metadataFile,
      `SELECT e.last_known_state AS state, p.string_value AS cached FROM Execution e
         JOIN ExecutionProperty p ON p.execution_id = e.id AND p.name = 'cached_execution_id' ORDER BY e.id`,
    );
    expect(cached.length).toBeGreaterThanOrEqual(4);
    expect(cached.every((row) => row.state === CACHED && /^\d+$/.test(row.cached))).toBe(true);
  });

  it('honours --no-cache and per-task caching off', async () => {
    const workspace = tempWorkspace();
    await run(build(5), workspace);
    const forced = await run(build(5), workspace, { enableCaching: false });
    expect(forced.tasks.every((task) => task.state === 'succeeded')).toBe(true);
    const perTask = pipeline({ name: 'cached-flow' }, () => {
      makeDataset({ rows: 5 }).setCaching(false);
    });
    expect((await run(perTask, workspace)).tasks[0]!.state).toBe('succeeded');
  });
});

describe('bad input and failures are clear, and the store stays consistent', () => {
  const p = pipeline({ name: 'typed', params: { rows: t.int(), label: t.string({ default: 'x' }) } }, ({ rows }) => {
    makeDataset({ rows });
  });

  it('rejects unknown, missing and wrongly typed parameters before running anything', async () => {
    const workspace = tempWorkspace();
    await expect(run(p, workspace, { parameters: { rowz: 1 } })).rejects.toThrow(
      /unknown parameter 'rowz'; the pipeline's parameters are: rows, label[\s\S]*missing required parameter 'rows'/,
    );
    await expect(run(p, workspace, { parameters: { rows: 'many' } })).rejects.toThrow('parameter \'rows\' must be an int, got "many"');
    await expect(run(p, workspace, { parameters: { rows: '7' }, parametersFromCommandLine: true })).resolves.toMatchObject({
      state: 'SUCCEEDED',
    });
  });

  it('fails a task whose declared output was never written, naming the output and the fix', async () => {
    const workspace = tempWorkspace();
    const result = await run(
      pipeline({ name: 'forgets' }, () => ({ answer: forgetful().outputs.answer })),
      workspace,
    );
    expect(result.state).toBe('FAILED');
    expect(result.tasks[0]!.error).toMatch(/forgetful.*answer/);
    expect(executionsOfRun(workspace.metadataFile, result.runId).map((e) => e.state)).toEqual([FAILED, FAILED]);
  });

  it('kills a task that hangs past the per-task timeout', async () => {
    const workspace = tempWorkspace();
    const started = Date.now();
    const result = await run(
      pipeline({ name: 'hangs' }, () => void sleepy({ seconds: 30 })),
      workspace,
      { taskTimeoutMs: 300 },
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.tasks[0]).toMatchObject({ state: 'failed', error: expect.stringContaining('timed out after 300 ms') });
  });

  it('names the task and image when the command cannot run on this host', async () => {
    const missing = containerComponent({ name: 'gpu-only', image: 'nvcr.io/nvidia/cuda:12', command: ['definitely-not-a-command-kfp-ts'] });
    const workspace = tempWorkspace();
    const result = await run(
      pipeline({ name: 'no-host' }, () => void missing()),
      workspace,
    );
    expect(result.tasks[0]!.error).toMatch(/gpu-only.*nvcr\.io\/nvidia\/cuda:12.*definitely-not-a-command-kfp-ts/s);
  });

  it('marks a task FAILED, not left RUNNING, when its command line cannot be resolved', async () => {
    const workspace = tempWorkspace();
    const spec = compilePipeline(pipeline({ name: 'bad-placeholder' }, () => void echoText({ text: 'hi' })));
    const container = Object.values(spec.deploymentSpec!.executors)[0]!.container!;
    const broken = {
      ...spec,
      deploymentSpec: { executors: { x: { container: { ...container, args: ["{{$.inputs.parameters['nope']}}"] } } } },
    };
    const component = Object.values(broken.components!)[0]!;
    Object.assign(component, { executorLabel: 'x' });
    const result = await runPipeline(broken, { pipelineRoot: workspace.pipelineRoot, metadataFile: workspace.metadataFile });
    expect(result.state).toBe('FAILED');
    expect(result.tasks[0]!.error).toMatch(/nope/);
    expect(executionsOfRun(workspace.metadataFile, result.runId).map((e) => e.state)).toEqual([FAILED, FAILED]);
  });

  it('marks tasks skipped by a false condition as CANCELED executions', async () => {
    const workspace = tempWorkspace();
    const result = await run(
      pipeline({ name: 'skips', params: { go: t.bool({ default: false }) } }, ({ go }) => {
        If(go.eq(true), () => void echoText({ text: 'no' }));
      }),
      workspace,
    );
    expect(result.state).toBe('SUCCEEDED');
    expect(executionsOfRun(workspace.metadataFile, result.runId).map((e) => [e.type, e.state])).toEqual([
      ['system.DAGExecution', COMPLETE],
      ['system.DAGExecution', CANCELED],
    ]);
  });
});

describe('more constructs', () => {
  it('runs a pipeline used as a component inside another, and reuses results by custom cache key', async () => {
    const workspace = tempWorkspace();
    const inner = pipeline({ name: 'inner', params: { n: t.int() } }, ({ n }) => ({
      out: double({ n }).setCacheKey('double-v1').outputs.out,
    }));
    const outer = pipeline({ name: 'outer' }, () => {
      const first = inner({ n: 4 });
      return { out: double({ n: first.outputs.out }).outputs.out };
    });
    const result = await run(outer, workspace);
    expect(result.parameters).toEqual({ out: 16 });
    const paths = result.tasks.map((task) => task.path);
    expect(paths).toEqual(expect.arrayContaining(['inner/double', 'double']));
    // Same custom key, different input: the key alone decides, so the inner task hits.
    const other = pipeline({ name: 'outer' }, () => ({ out: inner({ n: 5 }).outputs.out }));
    const second = await run(other, workspace);
    expect(second.tasks.find((task) => task.path === 'inner/double')!.state).toBe('cached');
    expect(second.parameters).toEqual({ out: 8 });
  });

  it('rejects invalid IR before running, with the JSON path of the problem', async () => {
    const workspace = tempWorkspace();
    await expect(
      runPipeline(
        { pipelineInfo: { name: 'x' }, root: { dag: { tasks: {} } }, schemaVersion: '9.9.9', sdkVersion: 'x' } as never,
        workspace,
      ),
    ).rejects.toThrow(/schemaVersion/);
  });
});
