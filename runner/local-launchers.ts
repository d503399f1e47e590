/**
 * Local stand-ins for containers whose real program would call a cloud API (such as GCPC's Vertex
 * AI launchers, which on a laptop would create real, billed resources or fail without
 * credentials). The runner knows none itself: whoever runs a pipeline passes them
 * (`runPipeline(spec, { localLaunchers })`; the CLI passes serving/'s GCPC stand-ins). A stand-in
 * is recognised by the container's image and command, gets the same resolved argv the container
 * would, and runs in the runner's process; the runner then collects its outputs and records
 * lineage exactly as for a container. Everything else runs as a host process.
 */
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { IrContainerSpec } from '../compiler/ir/pipeline-spec';
import { KILL_GRACE_MS, type ContainerResult } from './executor/run-container';

/** What a stand-in gets for one task run. */
export interface LocalLaunch {
  /** The resolved command and args, as the container would receive them. */
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly taskPath: string;
  readonly image: string;
  /**
   * The runner's state folder (the folder of its metadata.sqlite, `.kfp-ts/` by default), where
   * stand-ins keep what the cloud service would (e.g. the local model registry).
   */
  readonly stateDir: string;
  /** Where the run's container commands start (the project root, standing for the image's working directory). */
  readonly workingDirectory: string;
  /**
   * Aborted when the run is cancelled or the task's timeout passes. A stand-in runs in the runner's
   * process and cannot be killed, so it should check this between steps (`signal.throwIfAborted()`)
   * and pass it to what it awaits; one that does not is given KILL_GRACE_MS to finish, then left
   * behind (its result ignored).
   */
  readonly signal?: AbortSignal;
  /** Appends a line to the task's executor.log. */
  log(line: string): void;
}

export interface LocalLauncher {
  /** For messages: what the stand-in replaces. */
  readonly description: string;
  matches(container: IrContainerSpec): boolean;
  /** Does the work and writes the outputs where the argv says; throws on failure. */
  run(launch: LocalLaunch): Promise<void>;
}

/** The first of `launchers` that stands in for a container, if one does. */
export function findLocalLauncher(container: IrContainerSpec, launchers: readonly LocalLauncher[]): LocalLauncher | undefined {
  return launchers.find((launcher) => launcher.matches(container));
}

/** `python3 -u -m google_cloud_pipeline_components.…`, also inside a `sh -c` script. */
const GCPC_MODULE = /(?:^|\s)-m\s*(google_cloud_pipeline_components(?:\.[\w.]+)?)(?!\w)/;

/**
 * Why a container no stand-in claimed must not run on the host, or undefined when it may: one whose
 * command runs a GCPC module is a Vertex AI launcher, which with this machine's credentials would
 * create real, billed Vertex resources and without them fails obscurely. Recognised by the command's
 * text alone: the runner knows nothing of components/ or serving/.
 */
export function cloudLauncherRefusal(container: IrContainerSpec, taskPath: string): string | undefined {
  const module = GCPC_MODULE.exec((container.command ?? []).join(' '))?.[1];
  if (module === undefined) return undefined;
  return (
    `task ${taskPath} runs GCPC's ${module}, a Vertex AI launcher, which the runner does not start on this machine (it would create real, billed ` +
    `Vertex AI resources, or fail without credentials). To run it here, pass localLaunchers: gcpcLocalLaunchers from 'kfp-ts/serving' to runPipeline ` +
    `(the kfp-ts run CLI does); or submit the pipeline to Vertex AI (kfp-ts submit)`
  );
}

/** How a stand-in run is stopped: the run's cancel, a forced cancel, the task's timeout. */
export interface LocalLaunchLimits {
  readonly signal?: AbortSignal;
  /** Aborting this stops waiting for the stand-in at once (no grace period). */
  readonly killSignal?: AbortSignal;
  readonly timeoutMs?: number;
  /** @default KILL_GRACE_MS */
  readonly killGraceMs?: number;
}

/**
 * Runs a stand-in with a container's contract: its log in `logFile`, failure as exit code 1, and
 * `aborted` / `timedOut` as for a container. A stand-in that ends (either way) after being told to
 * stop counts as stopped unless it succeeded: work it finished is recorded, not redone on --resume.
 */
export async function runLocalLauncher(
  launcher: LocalLauncher,
  launch: Omit<LocalLaunch, 'log' | 'signal'> & { readonly logFile: string },
  limits: LocalLaunchLimits = {},
): Promise<ContainerResult> {
  const started = performance.now();
  const log = (line: string) => fs.appendFileSync(launch.logFile, `${line}\n`);
  const result = (exitCode: number | null, stopped?: 'timeout' | 'abort'): ContainerResult => ({
    exitCode,
    signal: null,
    timedOut: stopped === 'timeout',
    aborted: stopped === 'abort',
    durationMs: performance.now() - started,
  });
  if (limits.signal?.aborted || limits.killSignal?.aborted) return result(null, 'abort');
  log(`[kfp-ts] ${launch.image} runs locally: ${launcher.description}`);

  const stop = new AbortController();
  let stopReason: 'timeout' | 'abort' | undefined;
  let giveUp: () => void = () => {};
  const gaveUp = new Promise<'gave-up'>((resolve) => (giveUp = () => resolve('gave-up')));
  let graceTimer: NodeJS.Timeout | undefined;
  const requestStop = (reason: 'timeout' | 'abort') => {
    if (stopReason) return;
    stopReason = reason;
    stop.abort(new Error(reason === 'timeout' ? `timed out after ${limits.timeoutMs} ms` : 'the run was cancelled'));
    graceTimer = setTimeout(giveUp, limits.killGraceMs ?? KILL_GRACE_MS);
  };
  const onAbort = () => requestStop('abort');
  const onKill = () => {
    requestStop('abort');
    giveUp();
  };
  const timeout = limits.timeoutMs === undefined ? undefined : setTimeout(() => requestStop('timeout'), limits.timeoutMs);
  limits.signal?.addEventListener('abort', onAbort, { once: true });
  limits.killSignal?.addEventListener('abort', onKill, { once: true });
  try {
    const work = launcher.run({ ...launch, signal: stop.signal, log }).then(
      () => 'succeeded' as const,
      (error: unknown) => error as Error,
    );
    const ended = await Promise.race([work, gaveUp]);
    if (ended === 'succeeded') return result(0);
    if (ended === 'gave-up') {
      log(
        `[kfp-ts] the stand-in did not stop within the grace period after ${stopReason === 'timeout' ? 'its timeout' : 'the cancel'}; its result is ignored`,
      );
      return result(null, stopReason);
    }
    if (stopReason) return result(null, stopReason);
    log(`error: ${ended.message}`);
    return result(1);
  } finally {
    clearTimeout(timeout);
    clearTimeout(graceTimer);
    limits.signal?.removeEventListener('abort', onAbort);
    limits.killSignal?.removeEventListener('abort', onKill);
  }
}
