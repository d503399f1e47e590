import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostCommandError, runContainerCommand, tailOfLog, type RunContainerOptions } from '../../../runner/executor/run-container';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kfp-ts-run-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
const options = (argv: string[], extra: Partial<RunContainerOptions> = {}): RunContainerOptions => ({
  argv,
  env,
  cwd: dir,
  logFile: join(dir, 'executor.log'),
  taskPath: 'p/train',
  image: 'python:3.11-slim',
  ...extra,
});
const log = () => readFileSync(join(dir, 'executor.log'), 'utf8');

/** Running, as opposed to gone or a zombie (an orphan's zombie lingers where PID 1 does not reap). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return !/^\d+ \(.*\) Z/.test(stat);
}

describe('runContainerCommand', () => {
  it('runs argv without a shell, appending stdout and stderr to the log', async () => {
    writeFileSync(join(dir, 'executor.log'), 'earlier attempt\n');
    const result = await runContainerCommand(options(['sh', '-c', 'echo out; echo err >&2; echo "$1"', 'sh', 'a b; $(no expansion)']));
    expect(result).toMatchObject({ exitCode: 0, signal: null, timedOut: false, aborted: false });
    expect(log()).toBe('earlier attempt\nout\nerr\na b; $(no expansion)\n');
  });

  it('reports the exit code, and uses the given env and cwd', async () => {
    const result = await runContainerCommand(
      options(['sh', '-c', 'echo "$GREETING from $(pwd)"; exit 3'], { env: { ...env, GREETING: 'hello' } }),
    );
    expect(result.exitCode).toBe(3);
    expect(result.signal).toBeNull();
    expect(log()).toBe(`hello from ${dir}\n`);
  });

  it('kills the whole process group on timeout', async () => {
    const pidFile = join(dir, 'child.pid');
    const started = Date.now();
    // A background grandchild too: a timeout must stop it, not only the shell.
    const result = await runContainerCommand(
      options(['sh', '-c', `sleep 5 & echo $! > ${pidFile}; sleep 5`], { timeoutMs: 300, killGraceMs: 1000 }),
    );
    const elapsed = Date.now() - started;
    expect(result).toMatchObject({ exitCode: null, signal: 'SIGTERM', timedOut: true, aborted: false });
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(3000);
    expect(result.durationMs).toBeGreaterThanOrEqual(290);
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(isRunning(grandchild)).toBe(false);
    expect(log()).toContain('[kfp-ts local runner] the task timed out after 300 ms; its processes were stopped');
  });

  it('escalates to SIGKILL when SIGTERM is ignored', async () => {
    const result = await runContainerCommand(
      options(['sh', '-c', 'trap "" TERM; echo ready; while :; do sleep 0.05; done'], { timeoutMs: 200, killGraceMs: 200 }),
    );
    expect(result).toMatchObject({ exitCode: null, signal: 'SIGKILL', timedOut: true });
    expect(result.durationMs).toBeLessThan(3000);
  });

  it('stops on abort', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const result = await runContainerCommand(options(['sleep', '5'], { signal: controller.signal }));
    expect(result).toMatchObject({ exitCode: null, signal: 'SIGTERM', timedOut: false, aborted: true });
    expect(result.durationMs).toBeLessThan(3000);
  });

  it('does not start when already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await runContainerCommand(options(['sh', '-c', 'echo ran'], { signal: controller.signal }));
    expect(result).toEqual({ exitCode: null, signal: null, timedOut: false, aborted: true, durationMs: 0 });
    expect(existsSync(join(dir, 'executor.log'))).toBe(false);
  });

  it('ends what the command left running in the background when it exits, as a container does', async () => {
    const pidFile = join(dir, 'bg.pid');
    const result = await runContainerCommand(options(['sh', '-c', `sleep 5 & echo $! > ${pidFile}`]));
    expect(result.exitCode).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(isRunning(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
  });

  it('a missing program rejects with HostCommandError explaining that commands run on the host', async () => {
    const run = runContainerCommand(options(['python-that-does-not-exist', 'prepare.py', '--rows', '10']));
    await expect(run).rejects.toThrow(HostCommandError);
    await expect(run).rejects.toThrow(
      "[p/train] cannot run 'python-that-does-not-exist': it was not found (nor, for a script, its #! interpreter) on this machine (ENOENT). " +
        "The task's image is python:3.11-slim, but the local runner runs container commands on the host, not in the image, " +
        "so 'python-that-does-not-exist' must exist here — install it, or use a component whose command is available on this machine. " +
        'Command: ["python-that-does-not-exist","prepare.py","--rows","10"]',
    );
    await expect(run).rejects.toMatchObject({ taskPath: 'p/train', image: 'python:3.11-slim', code: 'ENOENT' });
  });

  it('a program that is not executable rejects with HostCommandError (EACCES)', async () => {
    const script = join(dir, 'script.sh');
    writeFileSync(script, '#!/bin/sh\necho hi\n');
    chmodSync(script, 0o644);
    await expect(runContainerCommand(options([script]))).rejects.toMatchObject({
      name: 'HostCommandError',
      code: 'EACCES',
      message: expect.stringContaining(`cannot run '${script}': it is not executable on this machine (EACCES)`),
    });
  });

  it('rejects an empty argv and a missing working directory with the task path', async () => {
    await expect(runContainerCommand(options([]))).rejects.toThrow('[p/train] the task has an empty command');
    await expect(runContainerCommand(options(['true'], { cwd: join(dir, 'nope') }))).rejects.toThrow(
      `[p/train] the working directory ${join(dir, 'nope')} does not exist`,
    );
  });
});

describe('tailOfLog', () => {
  it('returns the last lines, ignoring the final newline', () => {
    const file = join(dir, 'log');
    writeFileSync(file, `${Array.from({ length: 50 }, (_, i) => `line ${i + 1}`).join('\n')}\n`);
    expect(tailOfLog(file, 3)).toBe('line 48\nline 49\nline 50');
    expect(tailOfLog(file).split('\n')).toHaveLength(20);
    expect(tailOfLog(file).split('\n')[0]).toBe('line 31');
  });

  it('handles short files, no final newline, a missing file and logs larger than one read', () => {
    const file = join(dir, 'log');
    writeFileSync(file, 'only\nlines');
    expect(tailOfLog(file, 5)).toBe('only\nlines');
    expect(tailOfLog(join(dir, 'missing'))).toBe('');
    writeFileSync(file, `${'x'.repeat(200_000)}\n${'é'.repeat(70_000)}\nlast\n`);
    expect(tailOfLog(file, 2)).toBe(`${'é'.repeat(70_000)}\nlast`);
    expect(tailOfLog(file, 0)).toBe('');
  });
});
