/**
 * PipelineJob ids as the Vertex AI Python SDK makes and checks them: `<pipeline name>-<local
 * YYYYMMDDHHMMSS>`, lowercase letters, digits and '-', starting with a letter. Nothing is truncated:
 * a name that yields an illegal id is an error, as in the SDK.
 */
// The SDK's pattern allows 128 characters, but the API documents "less than 128"; 127 is safe for both.
const jobIdPattern = /^[a-z][-a-z0-9]{0,126}$/;

/** The SDK's default id from `pipelineInfo.name`, stamped with the local time. */
export function defaultJobId(pipelineName: string, now: Date = new Date()): string {
  const base = pipelineName
    .toLowerCase()
    .replace(/[^-0-9a-z]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${base}-${localTimestamp(now)}`;
}

export function jobIdProblem(jobId: string, generated: boolean): string | undefined {
  if (jobIdPattern.test(jobId)) return undefined;
  const what = generated ? `the job id '${jobId}' generated from the pipeline name` : `job id '${jobId}'`;
  const fix = generated ? 'pass --job-id with a valid id, or rename the pipeline' : 'use lowercase letters, digits and hyphens';
  return `${what} is illegal as a Vertex pipelines job id: expected 1–127 characters matching [a-z][-a-z0-9]*; ${fix}`;
}

const two = (n: number): string => String(n).padStart(2, '0');

function localTimestamp(now: Date): string {
  return `${now.getFullYear()}${two(now.getMonth() + 1)}${two(now.getDate())}${two(now.getHours())}${two(now.getMinutes())}${two(now.getSeconds())}`;
}

/** The SDK's default display name: "PipelineJob " and the local time as Python's isoformat(sep=' ') writes it. */
export function defaultDisplayName(now: Date = new Date()): string {
  // Python prints microseconds only when they are not zero.
  const fraction = now.getMilliseconds() ? `.${String(now.getMilliseconds() * 1000).padStart(6, '0')}` : '';
  return `PipelineJob ${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())} ${two(now.getHours())}:${two(now.getMinutes())}:${two(now.getSeconds())}${fraction}`;
}
