/**
 * The lock of a run being executed: the runner's pid and process start time (see
 * process-identity.ts), kept as the `kfp_ts_runner` custom property of the run's
 * `system.PipelineRun` context while it runs, and removed when it ends. Taken in one IMMEDIATE
 * transaction, so two runners resuming the same run cannot both get it; a lock whose process is gone
 * (a runner killed with kill -9) is taken over.
 */
import * as os from 'node:os';
import { KfpTsError } from '../compiler/errors/kfp-ts-error';
import type { MetadataStore } from './mlmd/metadata-store';
import { currentProcessIdentity, isIdentity, isRunning, type ProcessIdentity } from './process-identity';

export const RUNNER_PROPERTY = 'kfp_ts_runner';

interface RunnerRecord extends ProcessIdentity {
  readonly host: string;
}

export class RunInProgressError extends KfpTsError {
  override readonly name = 'RunInProgressError';
  constructor(
    readonly runId: string,
    readonly pid: number,
  ) {
    super(
      `run '${runId}' is still being executed by pid ${pid}; cancel it with 'kill -INT ${pid}' (Ctrl-C in its terminal), or wait for it to finish, then resume it`,
    );
  }
}

function holder(store: MetadataStore, runContextId: number): RunnerRecord | undefined {
  const value = store.getContext(runContextId)?.customProperties[RUNNER_PROPERTY];
  if (!value || !('string' in value)) return undefined;
  try {
    const parsed: unknown = JSON.parse(value.string);
    return isIdentity(parsed) ? (parsed as RunnerRecord) : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the run's lock for this process, or throws RunInProgressError naming the live runner that holds it. */
export function claimRun(store: MetadataStore, runContextId: number, runId: string): void {
  const me = currentProcessIdentity();
  store.transaction(() => {
    const current = holder(store, runContextId);
    // Another host's pid cannot be checked from here; a store is local to one machine in practice.
    const live = current !== undefined && current.host === os.hostname() && isRunning(current);
    if (live && (current.pid !== me.pid || current.start !== me.start)) throw new RunInProgressError(runId, current.pid);
    const record: RunnerRecord = { ...me, host: os.hostname() };
    store.setContextProperties(runContextId, { [RUNNER_PROPERTY]: { string: JSON.stringify(record) } });
  });
}

/** Gives the lock back (only when this process holds it). */
export function releaseRun(store: MetadataStore, runContextId: number): void {
  const me = currentProcessIdentity();
  store.transaction(() => {
    const current = holder(store, runContextId);
    if (current && current.pid === me.pid && current.start === me.start) store.removeContextProperty(runContextId, RUNNER_PROPERTY);
  });
}
