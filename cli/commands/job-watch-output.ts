import { jobIdOf, jobState, shortState } from '../../vertex/job-states';
import type { VertexConnection } from '../../vertex/pipeline-jobs';
import { watchPipelineJob } from '../../vertex/watch-job';
import type { CommandIo } from '../sub-command';

export const watchUsage = `  --wait                  poll until the job ends, printing job and task state changes; exit status
                          0 when it SUCCEEDED, 1 when it FAILED, was CANCELLED or PAUSED
  --poll-interval SECONDS first wait between polls with --wait (default 5; grows to 60 while nothing changes)
  --endpoint HOST:PORT    another PipelineService endpoint, e.g. a local 'kfp-ts emulator' (loopback: plaintext, no credentials)
`;

/** Watches a job to its end, printing each change, and returns the exit status its final state means. */
export async function waitAndReport(
  name: string,
  connection: VertexConnection,
  io: CommandIo,
  initialIntervalMs?: number,
): Promise<number> {
  const job = await watchPipelineJob(name, connection, {
    report: (line) => io.stdout(`${line}\n`),
    ...(initialIntervalMs !== undefined ? { initialIntervalMs } : {}),
  });
  const state = jobState(job);
  const succeeded = state === 'PIPELINE_STATE_SUCCEEDED';
  (succeeded ? io.stdout : io.stderr)(`Pipeline job ${jobIdOf(job)} ${shortState(state)}\n`);
  return succeeded ? 0 : 1;
}
