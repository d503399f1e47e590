import * as fs from 'node:fs';
import * as path from 'node:path';
import { runLocalLauncher, type LocalLaunch, type LocalLauncher } from '../../runner/local-launchers';
import { tempWorkspace } from './support';

/** A stand-in whose work is `work`, given the launch it receives. */
function standIn(work: (launch: LocalLaunch) => Promise<void>): LocalLauncher {
  return { description: 'a test stand-in', matches: () => true, run: work };
}

function launch() {
  const logFile = path.join(tempWorkspace('kfp-ts-launcher-').root, 'executor.log');
  return {
    argv: ['x'],
    env: {},
    taskPath: 'task',
    image: 'test:1',
    stateDir: path.dirname(logFile),
    workingDirectory: path.dirname(logFile),
    logFile,
  };
}

/** Waits until `signal` aborts, then throws its reason (as an abortable stand-in does). */
const untilAborted = (signal: AbortSignal | undefined) =>
  new Promise<void>((_, reject) => signal!.addEventListener('abort', () => reject(signal!.reason as Error), { once: true }));

describe('in-process stand-ins get the run cancel and the task timeout', () => {
  it('passes the cancel to the stand-in, which stops: aborted', async () => {
    const cancel = new AbortController();
    let received: AbortSignal | undefined;
    const running = runLocalLauncher(
      standIn((l) => ((received = l.signal), untilAborted(l.signal))),
      launch(),
      { signal: cancel.signal },
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(received?.aborted).toBe(false);
    cancel.abort();
    await expect(running).resolves.toMatchObject({ exitCode: null, aborted: true, timedOut: false });
    expect(received?.aborted).toBe(true);
  });

  it('aborts the stand-in at the task timeout: timedOut', async () => {
    const result = await runLocalLauncher(
      standIn((l) => untilAborted(l.signal)),
      launch(),
      { timeoutMs: 50 },
    );
    expect(result).toMatchObject({ exitCode: null, aborted: false, timedOut: true });
  });

  it('stops waiting for a stand-in that ignores the cancel after the grace period, and says so in its log', async () => {
    const cancel = new AbortController();
    const options = launch();
    const running = runLocalLauncher(
      standIn(() => new Promise(() => {})),
      options,
      { signal: cancel.signal, killGraceMs: 50 },
    );
    cancel.abort();
    await expect(running).resolves.toMatchObject({ aborted: true });
    expect(fs.readFileSync(options.logFile, 'utf8')).toContain(
      'did not stop within the grace period after the cancel; its result is ignored',
    );
  });

  it('stops waiting at once on a forced cancel', async () => {
    const cancel = new AbortController();
    const force = new AbortController();
    const running = runLocalLauncher(
      standIn(() => new Promise(() => {})),
      launch(),
      { signal: cancel.signal, killSignal: force.signal, killGraceMs: 600_000 },
    );
    cancel.abort();
    force.abort();
    await expect(running).resolves.toMatchObject({ aborted: true });
  });

  it('records work a stand-in finished despite the cancel as done (not redone on --resume)', async () => {
    const cancel = new AbortController();
    const running = runLocalLauncher(
      standIn(() => new Promise((resolve) => setTimeout(resolve, 20))),
      launch(),
      { signal: cancel.signal },
    );
    cancel.abort();
    await expect(running).resolves.toMatchObject({ exitCode: 0, aborted: false });
  });

  it('still reports a stand-in failure as exit code 1, and does not start one after a cancel', async () => {
    const options = launch();
    await expect(
      runLocalLauncher(
        standIn(async () => Promise.reject(new Error('nope'))),
        options,
      ),
    ).resolves.toMatchObject({ exitCode: 1, aborted: false });
    expect(fs.readFileSync(options.logFile, 'utf8')).toContain('error: nope');
    let started = false;
    const result = await runLocalLauncher(
      standIn(async () => void (started = true)),
      launch(),
      { signal: AbortSignal.abort() },
    );
    expect(result.aborted).toBe(true);
    expect(started).toBe(false);
  });
});
