/**
 * A deployed model's serving command running on this machine: started in its own process group
 * (so that stopping it stops whatever it started, as a container's end would), its output in a log
 * file, and ready once its health route answers 200, as Vertex sends traffic only then. A command
 * that exits first, or is not healthy in time, is stopped and reported with the end of its log.
 *
 * The group, not the command's own process, is what is stopped: a wrapper (`sh -c 'server &'`, an
 * npm script) may exit and leave its server running in the group. So the group is signalled even
 * after the command has exited, and is stopped too when the command exits on its own, as a
 * container ends with its first process.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { tailOfLog } from '../../runner/executor/log-tail';
import type { ModelServerPlan } from './model-server-plan';
import { signalGroup, waitUntilGroupEnds } from './process-group';
import { KfpTsError } from '../../compiler/errors/kfp-ts-error';

/**
 * Not a Vertex variable: kfp-ts tells the serving commands it starts to listen on loopback only
 * (servers that honour it, like the image classifier's; Vertex's contract is 0.0.0.0, which on a
 * workstation would expose an unauthenticated server to the network).
 */
export const SERVING_HOST_VARIABLE = 'KFP_TS_SERVING_HOST';

/** How long a serving command has to answer its health route. */
export const DEFAULT_START_TIMEOUT_MS = 120_000;
/** Vertex's limit for one health check answer. */
export const HEALTH_CHECK_TIMEOUT_MS = 10_000;
/** How long a stopped group has between SIGTERM and SIGKILL. */
export const DEFAULT_STOP_GRACE_MS = 5000;
/** How long SIGKILL is given to empty the group. */
const KILL_WAIT_MS = 2000;

export class ModelServerStartError extends KfpTsError {
  override readonly name = 'ModelServerStartError';
}

export interface RunningModelServer {
  readonly plan: ModelServerPlan;
  readonly pid: number;
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly logFile: string;
  /** Settles when the command's own process ends, with how (`code 1`, `signal SIGTERM`); its group is then stopped. */
  readonly exited: Promise<string>;
  /**
   * SIGTERM to its process group, SIGKILL to what is left of it after a grace period; resolves once
   * the group is gone. Calling it again, or after the command exited, waits for the same stop.
   */
  stop(): Promise<void>;
}

export interface StartModelServerOptions {
  /** Where the command's stdout and stderr go (appended). */
  readonly logFile: string;
  /** @default DEFAULT_START_TIMEOUT_MS */
  readonly startTimeoutMs?: number;
  /** The environment under the plan's variables. @default process.env */
  readonly baseEnv?: Readonly<Record<string, string | undefined>>;
  /** Stops the start (and the process) early. */
  readonly signal?: AbortSignal;
  /** @default DEFAULT_STOP_GRACE_MS */
  readonly stopGraceMs?: number;
}

/** A port that was free on 127.0.0.1 a moment ago (another process could take it before the server binds it). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Process groups of the serving commands this process started, until they have been stopped. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

/** A server that exits (even on an uncaught error) stops the serving commands it started. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const pid of liveGroups) signalGroup(pid, 'SIGTERM');
  });
}

export async function startModelServer(plan: ModelServerPlan, options: StartModelServerOptions): Promise<RunningModelServer> {
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const log = fs.openSync(options.logFile, 'a');
  let child: ReturnType<typeof spawn>;
  try {
    fs.writeSync(
      log,
      `[kfp-ts] ${new Date().toISOString()} ${plan.model}: ${JSON.stringify(plan.argv)} on port ${plan.port} (the image ${plan.imageUri} is recorded, not run)\n`,
    );
    child = spawn(plan.executable, plan.argv.slice(1), {
      argv0: plan.argv[0]!,
      cwd: plan.workingDirectory,
      env: { ...(options.baseEnv ?? process.env), [SERVING_HOST_VARIABLE]: '127.0.0.1', ...plan.env },
      stdio: ['ignore', log, log],
      detached: true,
    });
  } finally {
    fs.closeSync(log);
  }
  let ended: string | undefined;
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `code ${code}`));
    child.once('error', (error) => resolve(`error: ${error.message}`));
  }).then((how) => (ended = how));
  const group = child.pid;
  if (group !== undefined) {
    installExitHook();
    liveGroups.add(group);
  }
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (group === undefined) return;
      signalGroup(group, 'SIGTERM');
      await waitUntilGroupEnds(group, options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS);
      signalGroup(group, 'SIGKILL');
      // A command that moved itself to another group is not reached through this one.
      if (ended === undefined) child.kill('SIGKILL');
      await exited;
      // SIGKILL takes effect when the kernel next schedules each process.
      await waitUntilGroupEnds(group, KILL_WAIT_MS);
      liveGroups.delete(group);
    })());
  // The command's end is the container's end: whatever it left running in its group goes too.
  void exited.then(stop);
  const url = `http://127.0.0.1:${plan.port}`;
  const fail = async (why: string): Promise<never> => {
    await stop();
    throw new ModelServerStartError(
      `${plan.model}'s serving command ${JSON.stringify(plan.argv)} ${why}; its log ${options.logFile} ends:\n${tailOfLog(options.logFile, 15)}`,
    );
  };

  const timeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  for (;;) {
    if (ended !== undefined) return fail(`ended (${ended}) before its health route answered 200`);
    if (options.signal?.aborted) return fail('was stopped before it was ready: the deployment was cancelled');
    if (Date.now() > deadline) {
      return fail(
        `did not answer 200 on GET ${url}${plan.routes.healthRoute} within ${Math.round(timeoutMs / 1000)} s (last: ${last}); ` +
          `it must listen on AIP_HTTP_PORT (${plan.port}) and answer AIP_HEALTH_ROUTE (${plan.routes.healthRoute}) once its model is loaded`,
      );
    }
    const answer = await askHealth(
      `${url}${plan.routes.healthRoute}`,
      Math.min(HEALTH_CHECK_TIMEOUT_MS, Math.max(1, deadline - Date.now())),
    );
    if (answer.status === 200) break;
    last =
      answer.status !== undefined
        ? `HTTP ${answer.status}`
        : ((answer.error.cause as { code?: string } | undefined)?.code ?? answer.error.name);
    await Promise.race([new Promise((resolve) => setTimeout(resolve, 100)), exited]);
  }
  return { plan, pid: child.pid!, url, logFile: options.logFile, exited, stop };
}

/** One GET of a health route: its status, or the error of a request that got no answer. */
export async function askHealth(
  url: string,
  timeoutMs = HEALTH_CHECK_TIMEOUT_MS,
): Promise<{ status: number; error?: undefined } | { status?: undefined; error: Error }> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return { status: response.status };
  } catch (error) {
    return { error: error as Error };
  }
}
