import * as fs from 'node:fs';
import * as path from 'node:path';
import cancellable from './fixtures/cancellable-pipeline';
import { executionsOfRun, longTaskPids, processAlive, query, run, tempWorkspace, waitFor } from './support';

// MLMD Execution.State numbers.
const COMPLETE = 3;
const CANCELED = 6;

function interruptedExecutions(metadataFile: string): number[] {
  return query<{ id: number }>(
    metadataFile,
    "SELECT execution_id AS id FROM ExecutionProperty WHERE name = 'kfp_ts_interrupted' AND string_value = 'true' ORDER BY execution_id",
  ).map((r) => r.id);
}

function setUp() {
  const workspace = tempWorkspace('kfp-ts-cancel-');
  const marker = path.join(workspace.root, 'marker');
  const pidDir = path.join(workspace.root, 'pids');
  return { workspace, marker, pidDir, parameters: { marker, pidDir } };
}

describe('cancelling a run (the signal option)', () => {
  it('stops the running task and its child, records it CANCELED and interrupted, runs no exit task; --resume finishes the run', async () => {
    const { workspace, marker, pidDir, parameters } = setUp();
    const cancel = new AbortController();
    const running = run(cancellable, workspace, { parameters, signal: cancel.signal });
    const pids = await longTaskPids(pidDir);
    expect(processAlive(pids.shell) && processAlive(pids.child)).toBe(true);
    cancel.abort();
    const result = await running;

    expect(result.state).toBe('CANCELLED');
    expect(result.error).toBe('the run was cancelled');
    const byPath = Object.fromEntries(result.tasks.map((task) => [task.path, task]));
    expect(byPath['exit-handler-1/first']!.state).toBe('succeeded');
    expect(byPath['exit-handler-1/long']).toMatchObject({ state: 'cancelled' });
    // Vertex AI cancels every remaining task of a cancelled run, exit tasks included.
    expect(byPath['notify']).toMatchObject({ state: 'not-run', error: 'the run was cancelled' });
    await waitFor(() => !processAlive(pids.shell) && !processAlive(pids.child), 10_000, 'the task processes to be gone');
    const log = fs.readFileSync(path.join(result.runRoot, 'exit-handler-1', 'long', 'executor.log'), 'utf8');
    expect(log).toContain('[kfp-ts local runner] the task was cancelled; its processes were stopped');

    const executions = executionsOfRun(workspace.metadataFile, result.runId);
    expect(executions.map((e) => [e.type, e.path, e.state])).toEqual([
      ['system.DAGExecution', null, CANCELED],
      ['system.DAGExecution', null, CANCELED], // exit-handler-1
      ['system.ContainerExecution', 'exit-handler-1/first', COMPLETE],
      ['system.ContainerExecution', 'exit-handler-1/long', CANCELED],
    ]);
    expect(interruptedExecutions(workspace.metadataFile)).toEqual([executions[1]!.id, executions[3]!.id]);

    fs.writeFileSync(marker, '');
    const resumed = await run(cancellable, workspace, { resumeRunId: result.runId });
    expect(resumed.state).toBe('SUCCEEDED');
    expect(resumed.runId).toBe(result.runId);
    const states = Object.fromEntries(resumed.tasks.map((task) => [task.path, task.state]));
    expect(states).toEqual({ 'exit-handler-1/first': 'reused', 'exit-handler-1/long': 'succeeded', notify: 'succeeded' });
    expect(resumed.parameters).toEqual({ seen: 'SUCCEEDED:cleanup' });
    expect(fs.readFileSync(path.join(resumed.runRoot, 'exit-handler-1', 'long', 'out'), 'utf8')).toBe('done+long');
    const after = executionsOfRun(workspace.metadataFile, result.runId);
    expect(after[0]!.state).toBe(COMPLETE);
    expect(after.filter((e) => e.path === 'exit-handler-1/long').map((e) => e.state)).toEqual([CANCELED, COMPLETE]);
  }, 120_000);

  it('SIGKILLs a task that ignores SIGTERM after the grace period', async () => {
    const { workspace, pidDir, parameters } = setUp();
    const cancel = new AbortController();
    const running = run(cancellable, workspace, { parameters: { ...parameters, ignoreTerm: 'yes' }, signal: cancel.signal });
    const pids = await longTaskPids(pidDir);
    cancel.abort();
    const result = await running;
    expect(result.state).toBe('CANCELLED');
    await waitFor(() => !processAlive(pids.shell) && !processAlive(pids.child), 10_000, 'the task processes to be gone');
    expect(fs.readFileSync(path.join(result.runRoot, 'exit-handler-1', 'long', 'executor.log'), 'utf8')).toContain(
      'its processes were stopped',
    );
  }, 120_000);

  it('kills a task that ignores SIGTERM at once on a forced cancel (killSignal)', async () => {
    const { workspace, pidDir, parameters } = setUp();
    const cancel = new AbortController();
    const force = new AbortController();
    const running = run(cancellable, workspace, {
      parameters: { ...parameters, ignoreTerm: 'yes' },
      signal: cancel.signal,
      killSignal: force.signal,
    });
    const pids = await longTaskPids(pidDir);
    cancel.abort();
    force.abort();
    const result = await running;
    expect(result.state).toBe('CANCELLED');
    await waitFor(() => !processAlive(pids.shell) && !processAlive(pids.child), 10_000, 'the task processes to be gone');
    // Killed by the forced cancel, not by the grace period's SIGKILL.
    expect(fs.readFileSync(path.join(result.runRoot, 'exit-handler-1', 'long', 'executor.log'), 'utf8')).toContain(
      'the task was cancelled; its processes were killed at once (a forced cancel)',
    );
  }, 120_000);

  it('runs nothing when cancelled before it starts', async () => {
    const { workspace, parameters } = setUp();
    const result = await run(cancellable, workspace, { parameters, signal: AbortSignal.abort() });
    expect(result.state).toBe('CANCELLED');
    expect(result.tasks.map((task) => [task.path, task.state])).toEqual([
      ['exit-handler-1', 'not-run'],
      ['notify', 'not-run'],
    ]);
    expect(executionsOfRun(workspace.metadataFile, result.runId).map((e) => e.state)).toEqual([CANCELED]);
  }, 60_000);
});
