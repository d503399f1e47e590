/**
 * Local stand-ins for containers whose real program would call a cloud API: GCPC's Vertex AI
 * launchers, which on a laptop would create real (billed) resources or fail without credentials.
 * A stand-in is recognised by the container's image and command, gets the same resolved argv the
 * container would, and runs in the runner's process; the runner then collects its outputs and
 * records lineage exactly as for a container. Everything else still runs as a host process.
 */
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { IrContainerSpec } from '../compiler/ir/pipeline-spec';
import { gcpcLocalLaunchers } from '../serving/gcpc-launchers';
import type { ContainerResult } from './executor/run-container';

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

const launchers: LocalLauncher[] = [...gcpcLocalLaunchers];

/** The stand-in for a container, if there is one. */
export function findLocalLauncher(container: IrContainerSpec): LocalLauncher | undefined {
  return launchers.find((launcher) => launcher.matches(container));
}

/** Runs a stand-in with a container's contract: its log in `logFile`, failure as exit code 1. */
export async function runLocalLauncher(
  launcher: LocalLauncher,
  launch: Omit<LocalLaunch, 'log'> & { readonly logFile: string },
): Promise<ContainerResult> {
  const started = performance.now();
  const log = (line: string) => fs.appendFileSync(launch.logFile, `${line}\n`);
  log(`[kfp-ts] ${launch.image} runs locally: ${launcher.description}`);
  let exitCode = 0;
  try {
    await launcher.run({ ...launch, log });
  } catch (error) {
    log(`error: ${(error as Error).message}`);
    exitCode = 1;
  }
  return { exitCode, signal: null, timedOut: false, aborted: false, durationMs: performance.now() - started };
}
