import type { PipelineJob, Timestamp } from './pipeline-job';

export type { PipelineJob } from './pipeline-job';

/**
 * PipelineState names as the Node client returns them. Terminal states are the Python SDK's
 * `_PIPELINE_COMPLETE_STATES`; only SUCCEEDED is a success (PAUSED is finished, not successful).
 */
const terminalStates = new Set(['PIPELINE_STATE_SUCCEEDED', 'PIPELINE_STATE_FAILED', 'PIPELINE_STATE_CANCELLED', 'PIPELINE_STATE_PAUSED']);
const stateNames = ['UNSPECIFIED', 'QUEUED', 'PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLING', 'CANCELLED', 'PAUSED'];
const taskStateNames = [
  'STATE_UNSPECIFIED',
  'PENDING',
  'RUNNING',
  'SUCCEEDED',
  'CANCEL_PENDING',
  'CANCELLING',
  'CANCELLED',
  'FAILED',
  'SKIPPED',
  'NOT_TRIGGERED',
];

/** The state as its full enum name, whether the transport gave a name or a number. */
export function jobState(job: PipelineJob): string {
  const state = job.state;
  if (typeof state === 'number') return `PIPELINE_STATE_${stateNames[state] ?? 'UNSPECIFIED'}`;
  return state ?? 'PIPELINE_STATE_UNSPECIFIED';
}

export function isTerminal(state: string): boolean {
  return terminalStates.has(state);
}

/** `PIPELINE_STATE_RUNNING` → `RUNNING`, for people. */
export function shortState(state: string): string {
  return state.replace(/^PIPELINE_STATE_/, '');
}

export function taskState(state: unknown): string {
  return typeof state === 'number' ? (taskStateNames[state] ?? 'STATE_UNSPECIFIED') : String(state ?? 'STATE_UNSPECIFIED');
}

/** The last path segment of `projects/P/locations/R/pipelineJobs/ID`. */
export function jobIdOf(job: PipelineJob): string {
  return (job.name ?? '').split('/').pop() ?? '';
}

/** A protobuf Timestamp ({seconds, nanos}) as an ISO string, or '' when unset. */
export function timestampText(timestamp: Timestamp | null | undefined): string {
  if (!timestamp || timestamp.seconds == null) return '';
  const milliseconds = Number(timestamp.seconds) * 1000 + Math.floor((timestamp.nanos ?? 0) / 1e6);
  return new Date(milliseconds).toISOString().replace(/\.\d+Z$/, 'Z');
}
