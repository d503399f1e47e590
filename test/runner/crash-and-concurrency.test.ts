import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compilePipeline } from '../../compiler';
import wordStatsPipeline from '../../pipelines/word-stats';
import { runPipeline } from '../../runner/run-pipeline';
import { executionsOfRun, query, tempWorkspace } from './support';

const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'cli/bin/kfp-ts.js');
const fixture = 'test/runner/fixtures/resumable-pipeline.ts';
const wordStats = 'pipelines/word-stats.ts';

function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (condition()) resolve();
      else if (Date.now() > deadline) reject(new Error('timed out waiting'));
      else setTimeout(poll, 50);
    };
    poll();
  });
}

describe('crash safety', () => {
  it('keeps what was recorded when the runner is killed with SIGKILL, and --resume finishes the run', async () => {
    const workspace = tempWorkspace();
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
    await waitFor(() => /▶ second/.test(stdout), 30_000);
    const runId = /as run (\S+)/.exec(stdout)![1]!;
    runner.kill('SIGKILL');
    await new Promise((resolve) => runner.on('exit', resolve));

    const afterKill = executionsOfRun(workspace.metadataFile, runId);
    expect(afterKill.map((e) => [e.path, e.state])).toEqual([
      [null, 2],
      ['first', 3],
      ['second', 2],
    ]);

    fs.writeFileSync(marker, '');
    const resumed = spawnSync(process.execPath, [...args, '--resume', runId], { cwd: root, encoding: 'utf8' });
    expect(resumed.status).toBe(0);
    expect(resumed.stdout).toContain('↺ first');
    expect(resumed.stdout).toContain(`Run ${runId} SUCCEEDED`);
    const final = executionsOfRun(workspace.metadataFile, runId);
    expect(final.map((e) => [e.path, e.state])).toEqual([
      [null, 3],
      ['first', 3],
      ['second', 6],
      ['second', 3],
    ]);
    const interrupted = query(workspace.metadataFile, "SELECT string_value FROM ExecutionProperty WHERE name = 'kfp_ts_interrupted'");
    expect(interrupted).toEqual([{ string_value: 'true' }]);
    expect(fs.readFileSync(path.join(workspace.pipelineRoot, 'resumable', runId, 'second', 'out'), 'utf8')).toBe('done+second');
  }, 60_000);
});

describe('concurrency', () => {
  it('runs two pipelines at once on one store, from two processes', async () => {
    const workspace = tempWorkspace();
    const start = () =>
      new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          [cli, 'run', wordStats, '--no-cache', '--metadata', workspace.metadataFile, '--pipeline-root', workspace.pipelineRoot],
          {
            cwd: root,
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.on('exit', (code) => resolve({ code, stdout }));
      });
    const [a, b] = await Promise.all([start(), start()]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const runs = query<{ name: string }>(
      workspace.metadataFile,
      "SELECT c.name FROM Context c JOIN Type t ON t.id = c.type_id WHERE t.name = 'system.PipelineRun'",
    );
    expect(runs).toHaveLength(2);
    for (const run of runs) {
      expect(executionsOfRun(workspace.metadataFile, run.name).filter((e) => e.type === 'system.ContainerExecution')).toHaveLength(8);
    }
  }, 60_000);
});

describe('resume keeps the run parameters', () => {
  it('rejects a --param that differs from the run it resumes, naming the stored value', async () => {
    const workspace = tempWorkspace();
    const options = { pipelineRoot: workspace.pipelineRoot, metadataFile: workspace.metadataFile };
    const spec = compilePipeline(wordStatsPipeline);
    const first = await runPipeline(spec, { ...options, parameters: { minimumWords: 3 } });
    const same = await runPipeline(spec, { ...options, parameters: { minimumWords: 3 }, resumeRunId: first.runId });
    expect(same.state).toBe('SUCCEEDED');
    await expect(runPipeline(spec, { ...options, parameters: { minimumWords: 4 }, resumeRunId: first.runId })).rejects.toThrow(
      `run '${first.runId}' started with minimumWords=3; --resume keeps a run's parameters: drop --param minimumWords, or start a new run`,
    );
  }, 60_000);
});
