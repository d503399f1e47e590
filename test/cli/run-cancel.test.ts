import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { longTaskPids, processAlive, tempWorkspace, waitFor } from '../runner/support';

const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'cli/bin/kfp-ts.js');
const fixture = 'test/runner/fixtures/cancellable-pipeline.ts';

/** `kfp-ts run` of the cancellable fixture as a real process, its output collected. */
function startRun(extra: string[] = []) {
  const workspace = tempWorkspace('kfp-ts-cli-cancel-');
  const marker = path.join(workspace.root, 'marker');
  const pidDir = path.join(workspace.root, 'pids');
  const args = [
    'run',
    fixture,
    '--param',
    `marker=${marker}`,
    '--param',
    `pidDir=${pidDir}`,
    '--metadata',
    workspace.metadataFile,
    '--pipeline-root',
    workspace.pipelineRoot,
    ...extra,
  ];
  const child = spawn(process.execPath, [cli, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output, exited, marker, pidDir, args, workspace };
}

describe('kfp-ts run: Ctrl-C and SIGTERM', () => {
  it('the first Ctrl-C cancels gracefully: exit code 130, CANCELLED in the summary, how to resume; --resume then finishes the run', async () => {
    const run = startRun();
    const pids = await longTaskPids(run.pidDir);
    run.child.kill('SIGINT');
    const { code, signal } = await run.exited;
    expect({ code, signal }).toEqual({ code: 130, signal: null });
    const { stdout } = run.output;
    expect(stdout).toContain('cancelling… (Ctrl-C again to force)');
    const runId = /as run (\S+)/.exec(stdout)![1]!;
    expect(stdout).toMatch(/⊘ exit-handler-1\/long\s+stopped after [\d.]+ s: the run was cancelled\n/);
    expect(stdout).toMatch(/\n {2}exit-handler-1\/long\s+cancelled\s/);
    expect(stdout).toMatch(/\n {2}notify\s+not-run/);
    expect(stdout).toContain(`Run ${runId} CANCELLED in `);
    expect(stdout).toContain(`Resume it with: kfp-ts run ${run.args.slice(1).join(' ')} --resume ${runId}\n`);
    await waitFor(() => !processAlive(pids.shell) && !processAlive(pids.child), 10_000, 'the task processes to be gone');

    fs.writeFileSync(run.marker, '');
    const resumed = spawnSync(process.execPath, [cli, ...run.args, '--resume', runId], { cwd: root, encoding: 'utf8' });
    expect(resumed.status).toBe(0);
    expect(resumed.stdout).toContain('↺ exit-handler-1/first');
    expect(resumed.stdout).toContain(`Run ${runId} SUCCEEDED`);
  }, 120_000);

  it('SIGTERM cancels the same way, with exit code 143', async () => {
    const run = startRun();
    const pids = await longTaskPids(run.pidDir);
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(143);
    expect(run.output.stdout).toContain('CANCELLED');
    await waitFor(() => !processAlive(pids.shell) && !processAlive(pids.child), 10_000, 'the task processes to be gone');
  }, 120_000);

  it('a second Ctrl-C kills the task processes at once, even ones that ignore SIGTERM', async () => {
    const run = startRun(['--param', 'ignoreTerm=yes']);
    const pids = await longTaskPids(run.pidDir);
    run.child.kill('SIGINT');
    await waitFor(() => run.output.stdout.includes('cancelling…'), 30_000, 'the cancelling message');
    run.child.kill('SIGINT');
    const { code } = await run.exited;
    expect(code).toBe(130);
    expect(run.output.stdout).toContain('killing the running tasks…');
    await waitFor(() => !processAlive(pids.shell) && !processAlive(pids.child), 10_000, 'the task processes to be gone');
    const runId = /as run (\S+)/.exec(run.output.stdout)![1]!;
    const log = fs.readFileSync(
      path.join(run.workspace.pipelineRoot, 'cancellable', runId, 'exit-handler-1', 'long', 'executor.log'),
      'utf8',
    );
    // Killed by the second Ctrl-C, not by the grace period's SIGKILL.
    expect(log).toContain('its processes were killed at once (a forced cancel)');
  }, 120_000);
});
