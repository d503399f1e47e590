/** A protobuf Timestamp for now, in the form the proto loader encodes (int64 seconds as a string). */
export function timestampNow(): { seconds: string; nanos: number } {
  const milliseconds = Date.now();
  return { seconds: String(Math.floor(milliseconds / 1000)), nanos: (milliseconds % 1000) * 1e6 };
}

const terminal = new Set(['PIPELINE_STATE_SUCCEEDED', 'PIPELINE_STATE_FAILED', 'PIPELINE_STATE_CANCELLED', 'PIPELINE_STATE_PAUSED']);

/** One step of a scripted job: the state the next Get shows, with optional task states by task name. */
export interface ScriptedStep {
  readonly state: string;
  readonly tasks?: Readonly<Record<string, string>>;
  readonly errorMessage?: string;
}

/**
 * A PipelineJob held by the emulator, in the proto loader's object form (what is sent back), with
 * the bookkeeping that drives its state: local execution, a scripted sequence, or a cancel.
 */
export class EmulatedJob {
  readonly resource: Record<string, unknown>;
  cancelRequested = false;
  /** Being run by the local runner. */
  executing = false;
  private cancellingShown = false;
  private readonly script: ScriptedStep[] = [];
  private settled!: () => void;
  /** Resolves when the job reaches a terminal state. */
  readonly done = new Promise<void>((resolve) => (this.settled = resolve));

  constructor(
    readonly name: string,
    received: Record<string, unknown>,
  ) {
    const now = timestampNow();
    this.resource = { ...received, name, state: 'PIPELINE_STATE_PENDING', createTime: now, updateTime: now };
  }

  get state(): string {
    return this.resource['state'] as string;
  }

  get isTerminal(): boolean {
    return terminal.has(this.state);
  }

  setState(state: string): void {
    this.resource['state'] = state;
    // Vertex makes the job's system.PipelineRun context (id: the job id) once the job runs; the SDK
    // polls GetPipelineJob for it to add the job to an experiment.
    if (state === 'PIPELINE_STATE_RUNNING')
      ((this.resource['jobDetail'] ??= {}) as Record<string, unknown>)['pipelineRunContext'] ??= this.runContext();
    this.touch();
    if (terminal.has(state)) this.settled();
  }

  finish(state: string, error?: { code: number; message: string }): void {
    this.resource['endTime'] = timestampNow();
    if (error) this.resource['error'] = error;
    this.setState(state);
  }

  /** The job's run context, as Vertex names it: in the default metadata store, with the job id. */
  runContext(): Record<string, unknown> {
    const [, location, id] = /^(projects\/[^/]+\/locations\/[^/]+)\/pipelineJobs\/(.+)$/.exec(this.name) ?? [];
    const now = timestampNow();
    return {
      name: `${location}/metadataStores/default/contexts/${id}`,
      displayName: id,
      schemaTitle: 'system.PipelineRun',
      schemaVersion: '0.0.1',
      createTime: now,
      updateTime: now,
    };
  }

  touch(): void {
    this.resource['updateTime'] = timestampNow();
  }

  /** States the following Gets show, one per Get (for jobs not executed locally). */
  scriptStates(steps: readonly ScriptedStep[]): void {
    this.script.push(...steps);
  }

  /** Called on every Get: moves a scripted or cancelled job one step on, as time passing would. */
  advance(): void {
    const step = this.script.shift();
    if (step) {
      if (step.tasks) {
        const taskDetails = Object.entries(step.tasks).map(([taskName, state], i) => ({ taskId: String(i + 1), taskName, state }));
        this.resource['jobDetail'] = { ...(this.resource['jobDetail'] as object), taskDetails };
      }
      if (terminal.has(step.state)) this.finish(step.state, step.errorMessage ? { code: 9, message: step.errorMessage } : undefined);
      else this.setState(step.state);
      return;
    }
    // A cancelled job that is not running locally shows CANCELLING once, then CANCELLED, as the service's
    // asynchronous cancel does; one running locally stops when the runner returns.
    if (this.state !== 'PIPELINE_STATE_CANCELLING' || this.executing) return;
    if (this.cancellingShown) this.finish('PIPELINE_STATE_CANCELLED', { code: 1, message: 'CANCELLED: the job was cancelled' });
    this.cancellingShown = true;
  }
}
