import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, openSync, statSync } from 'node:fs';
import { KfpTsError } from '../../compiler/errors/kfp-ts-error';

export { tailOfLog } from './log-tail';

/**
 * Runs a container task's resolved argv as a host subprocess. The local runner does not start the
 * image: the command runs on this machine, with no shell in between (argv is passed as is, as a
 * container runtime would). The child leads its own process group so that a timeout or an abort
 * can stop everything it started, and so that, as when a container's main process exits, nothing
 * it left behind keeps running.
 */

export interface RunContainerOptions {
  argv: readonly string[];
  /** The complete environment of the command (callers merge `process.env` if they want it). */
  env: Record<string, string>;
  cwd: string;
  /** stdout and stderr are both appended here, interleaved as written. */
  logFile: string;
  timeoutMs?: number;
  taskPath: string;
  /** The IR image, named in errors: the command runs on the host, not in it. */
  image: string;
  /** Aborting stops the command: SIGTERM to its process group, then SIGKILL after the grace period. */
  signal?: AbortSignal;
  /** Aborting this (with or after `signal`) skips the grace period: SIGKILL to the group at once. */
  killSignal?: AbortSignal;
  /** How long SIGTERM has to work before SIGKILL, after a timeout or an abort. @default KILL_GRACE_MS */
  killGraceMs?: number;
  /** Told the pid of the started command, which leads its own process group (so it is also the group id). */
  onSpawn?: (pid: number) => void;
}

export interface ContainerResult {
  exitCode: number | null;
  /** The signal that ended the command, e.g. 'SIGTERM' after a timeout. */
  signal: string | null;
  timedOut: boolean;
  aborted: boolean;
  durationMs: number;
}

/** argv[0] could not be started on the host (missing or not executable). */
export class HostCommandError extends KfpTsError {
  override readonly name = 'HostCommandError';
  constructor(
    readonly taskPath: string,
    readonly image: string,
    readonly argv: readonly string[],
    readonly code: string,
  ) {
    const program = argv[0]!;
    const why = code === 'EACCES' ? 'is not executable' : 'was not found (nor, for a script, its #! interpreter)';
    super(
      `[${taskPath}] cannot run '${program}': it ${why} on this machine (${code}). ` +
        `The task's image is ${image}, but the local runner runs container commands on the host, not in the image, ` +
        `so '${program}' must exist here — install it, or use a component whose command is available on this machine. ` +
        `Command: ${JSON.stringify(argv)}`,
    );
  }
}

/** How long a stopped task (timeout or cancel) has between SIGTERM and SIGKILL. */
export const KILL_GRACE_MS = 5000;

export async function runContainerCommand(options: RunContainerOptions): Promise<ContainerResult> {
  const { argv, taskPath } = options;
  if (argv.length === 0) throw new Error(`[${taskPath}] the task has an empty command: give the component a command or args`);
  // spawn reports a missing cwd as ENOENT of the program, which would blame the wrong thing.
  if (!isDirectory(options.cwd)) throw new Error(`[${taskPath}] the working directory ${options.cwd} does not exist`);
  const started = performance.now();
  if (options.signal?.aborted) return { exitCode: null, signal: null, timedOut: false, aborted: true, durationMs: 0 };

  const log = openSync(options.logFile, 'a');
  try {
    return await new Promise<ContainerResult>((resolve, reject) => {
      let child: ChildProcess;
      try {
        child = spawn(argv[0]!, argv.slice(1), { cwd: options.cwd, env: options.env, stdio: ['ignore', log, log], detached: true });
      } catch (error) {
        reject(new Error(`[${taskPath}] cannot run ${JSON.stringify(argv)}: ${(error as Error).message}`));
        return;
      }
      if (child.pid !== undefined && options.onSpawn) {
        try {
          options.onSpawn(child.pid);
        } catch {
          // Recording the pid is for cleaning up after a crash; the task itself goes on.
        }
      }
      let stopReason: 'timeout' | 'abort' | undefined;
      let killTimer: NodeJS.Timeout | undefined;

      const stop = (reason: 'timeout' | 'abort') => {
        if (stopReason || child.pid === undefined) return;
        stopReason = reason;
        signalGroup(child.pid, 'SIGTERM');
        killTimer = setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), options.killGraceMs ?? KILL_GRACE_MS);
      };
      const timeout = options.timeoutMs === undefined ? undefined : setTimeout(() => stop('timeout'), options.timeoutMs);
      const onAbort = () => stop('abort');
      let forced = false;
      const onKill = () => {
        stop('abort');
        if (child.pid === undefined) return;
        forced = true;
        signalGroup(child.pid, 'SIGKILL');
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      options.killSignal?.addEventListener('abort', onKill, { once: true });
      // Aborted between the check above and the spawn (or already forced): stop it now.
      if (options.killSignal?.aborted) onKill();
      else if (options.signal?.aborted) onAbort();
      const cleanUp = () => {
        clearTimeout(timeout);
        clearTimeout(killTimer);
        options.signal?.removeEventListener('abort', onAbort);
        options.killSignal?.removeEventListener('abort', onKill);
      };

      child.once('error', (error: NodeJS.ErrnoException) => {
        cleanUp();
        if (child.pid === undefined && (error.code === 'ENOENT' || error.code === 'EACCES')) {
          reject(new HostCommandError(taskPath, options.image, argv, error.code));
        } else {
          reject(new Error(`[${taskPath}] cannot run ${JSON.stringify(argv)}: ${error.message}`));
        }
      });
      child.once('exit', (exitCode, signal) => {
        cleanUp();
        // Whatever the command left running in its group ends with it, as in a container.
        signalGroup(child.pid!, 'SIGKILL');
        if (stopReason) {
          const what = stopReason === 'timeout' ? `timed out after ${options.timeoutMs} ms` : 'was cancelled';
          appendNote(options.logFile, `the task ${what}; its processes were ${forced ? 'killed at once (a forced cancel)' : 'stopped'}`);
        }
        resolve({
          exitCode,
          signal,
          timedOut: stopReason === 'timeout',
          aborted: stopReason === 'abort',
          durationMs: Math.round(performance.now() - started),
        });
      });
    });
  } finally {
    closeSync(log);
  }
}

/** Signals the whole process group led by `pid`. Best effort: a group already gone (ESRCH) is the usual case. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // nothing left to stop
  }
}

/** A line of the runner's own in the task log; losing it must not lose the task's result. */
function appendNote(logFile: string, note: string): void {
  try {
    appendFileSync(logFile, `\n[kfp-ts local runner] ${note}\n`);
  } catch {
    // the log is gone; the result still reports what happened
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
