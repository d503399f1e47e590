import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MetadataStore } from '../../runner/mlmd/metadata-store';
import { currentProcessIdentity, identityOf } from '../../runner/process-identity';
import { RUNNER_PROPERTY, RunInProgressError, claimRun, releaseRun } from '../../runner/run-lock';
import { TASK_PROCESS_FILE } from '../../runner/task-process';
import { executionsOfRun, processAlive, query, tempWorkspace, waitFor } from './support';

const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'cli/bin/kfp-ts.js');
const fixture = 'test/runner/fixtures/resumable-pipeline.ts';

function lockedBy(store: MetadataStore, contextId: number, holder: object): void {
  store.setContextProperties(contextId, { [RUNNER_PROPERTY]: { string: JSON.stringify(holder) } });
}

describe('the run lock', () => {
  it('refuses a run held by a live process, and takes over one whose process is gone or whose pid was reused', () => {
    const workspace = tempWorkspace('kfp-ts-lock-');
    const store = MetadataStore.open(workspace.metadataFile);
    const sleeper = spawn('sleep', ['30']);
    try {
      const contextId = store.getOrCreateContext('system.PipelineRun', 'run-1');
      const live = identityOf(sleeper.pid!)!;
      lockedBy(store, contextId, { ...live, host: require('node:os').hostname() });
      expect(() => claimRun(store, contextId, 'run-1')).toThrow(RunInProgressError);
      expect(() => claimRun(store, contextId, 'run-1')).toThrow(
        `run 'run-1' is still being executed by pid ${sleeper.pid}; cancel it with 'kill -INT ${sleeper.pid}' (Ctrl-C in its terminal), or wait for it to finish, then resume it`,
      );
      // The same pid with another start time: a later process that was given the pid.
      lockedBy(store, contextId, { pid: sleeper.pid, start: `${live.start}0`, host: require('node:os').hostname() });
      claimRun(store, contextId, 'run-1');
      expect(JSON.parse((store.getContext(contextId)!.customProperties[RUNNER_PROPERTY] as { string: string }).string)).toMatchObject(
        currentProcessIdentity(),
      );
      releaseRun(store, contextId);
      expect(store.getContext(contextId)!.customProperties[RUNNER_PROPERTY]).toBeUndefined();
    } finally {
      sleeper.kill('SIGKILL');
      store.close();
    }
  });
});

describe('resuming a run', () => {
  it('is refused while its runner lives; after kill -9 the task process left behind is stopped before the task runs again', async () => {
    const workspace = tempWorkspace('kfp-ts-lock-');
    const marker = path.join(workspace.root, 'marker');
    const args = [
      cli,
      'run',
      fixture,
      '--param',
      `marker=${marker}`,
      '--metadata',
      workspace.metadataFile,
      '--pipeline-root',
      workspace.pipelineRoot,
    ];
    const runner = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    runner.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    try {
      await waitFor(() => /▶ second/.test(stdout), 30_000, 'the second task to start');
      const runId = /as run (\S+)/.exec(stdout)![1]!;
      const processFile = path.join(workspace.pipelineRoot, 'resumable', runId, 'second', TASK_PROCESS_FILE);
      await waitFor(() => fs.existsSync(processFile), 10_000, processFile);
      const task = JSON.parse(fs.readFileSync(processFile, 'utf8')) as { pid: number };

      const refused = spawnSync(process.execPath, [...args, '--resume', runId], { cwd: root, encoding: 'utf8' });
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain(`run '${runId}' is still being executed by pid ${runner.pid}`);
      // The refused resume changed nothing: the task is still RUNNING, nothing marked interrupted.
      expect(executionsOfRun(workspace.metadataFile, runId).map((e) => [e.path, e.state])).toEqual([
        [null, 2],
        ['first', 3],
        ['second', 2],
      ]);
      expect(query(workspace.metadataFile, "SELECT * FROM ExecutionProperty WHERE name = 'kfp_ts_interrupted'")).toEqual([]);

      runner.kill('SIGKILL');
      await new Promise((resolve) => runner.on('exit', resolve));
      // The task's command leads its own process group, so it outlives the runner.
      expect(processAlive(task.pid)).toBe(true);

      fs.writeFileSync(marker, '');
      const resumed = spawnSync(process.execPath, [...args, '--resume', runId], { cwd: root, encoding: 'utf8' });
      expect(resumed.stderr).toBe('');
      expect(resumed.status).toBe(0);
      expect(processAlive(task.pid)).toBe(false);
      const log = fs.readFileSync(path.join(workspace.pipelineRoot, 'resumable', runId, 'second', 'executor.log'), 'utf8');
      expect(log).toContain(`[kfp-ts local runner] stopped process group ${task.pid}`);
      expect(fs.readFileSync(path.join(workspace.pipelineRoot, 'resumable', runId, 'second', 'out'), 'utf8')).toBe('done+second');
      expect(query(workspace.metadataFile, `SELECT * FROM ContextProperty WHERE name = '${RUNNER_PROPERTY}'`)).toEqual([]);
    } finally {
      if (runner.exitCode === null && runner.signalCode === null) runner.kill('SIGKILL');
    }
  }, 90_000);
});
