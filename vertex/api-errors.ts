/**
 * Turns a gRPC error from the PipelineService client into a message that says what failed, why
 * (with the server's details: field violations, quota, error reason, help links) and what to do.
 */
import { KfpTsError } from '../compiler/errors/kfp-ts-error';

export class VertexApiError extends KfpTsError {
  override readonly name = 'VertexApiError';
  constructor(
    message: string,
    /** The gRPC status code (5 NOT_FOUND, 7 PERMISSION_DENIED, …), or undefined for a non-gRPC failure. */
    readonly code: number | undefined,
    readonly codeName: string,
  ) {
    super(message);
  }
}

const codeNames: Record<number, string> = {
  1: 'CANCELLED',
  2: 'UNKNOWN',
  3: 'INVALID_ARGUMENT',
  4: 'DEADLINE_EXCEEDED',
  5: 'NOT_FOUND',
  6: 'ALREADY_EXISTS',
  7: 'PERMISSION_DENIED',
  8: 'RESOURCE_EXHAUSTED',
  9: 'FAILED_PRECONDITION',
  10: 'ABORTED',
  11: 'OUT_OF_RANGE',
  12: 'UNIMPLEMENTED',
  13: 'INTERNAL',
  14: 'UNAVAILABLE',
  15: 'DATA_LOSS',
  16: 'UNAUTHENTICATED',
};

const advice: Record<string, string> = {
  INVALID_ARGUMENT: 'fix the value the service names above and submit again',
  NOT_FOUND: "check --project and --region (a job lives in one region); list jobs with 'kfp-ts jobs list --project P --region R'",
  ALREADY_EXISTS: 'a job with this id exists already: pass another --job-id, or leave it out to get a fresh timestamped id',
  PERMISSION_DENIED:
    'the caller needs roles/aiplatform.user on the project (and, for --service-account, iam.serviceAccounts.actAs on that account); ' +
    'check which account is used with `gcloud auth application-default print-access-token` and that the Vertex AI API is enabled',
  UNAUTHENTICATED: 'no valid credentials: run `gcloud auth application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS to a key file',
  RESOURCE_EXHAUSTED:
    'a quota is used up: wait and retry, or request more in the console (IAM & Admin → Quotas, service aiplatform.googleapis.com)',
  FAILED_PRECONDITION: 'the job is not in a state that allows this (e.g. cancelling a finished job)',
  UNAVAILABLE: 'the service could not be reached even after retrying: check the network (and --endpoint), then try again',
  DEADLINE_EXCEEDED: 'the call timed out: try again; a create may have gone through, so check with kfp-ts jobs get first',
  UNIMPLEMENTED: 'the endpoint does not serve this method: check --endpoint',
};

/** What the call was doing, for the first line: e.g. "create pipeline job projects/p/locations/r/pipelineJobs/id". */
export function vertexApiError(error: unknown, action: string): VertexApiError {
  const grpc = error as {
    code?: unknown;
    details?: unknown;
    message?: unknown;
    statusDetails?: unknown;
    reason?: unknown;
    attempts?: number;
  };
  const code = typeof grpc.code === 'number' ? grpc.code : undefined;
  const codeName = code !== undefined ? (codeNames[code] ?? `code ${code}`) : 'error';
  const text = typeof grpc.details === 'string' && grpc.details ? grpc.details : String(grpc.message ?? error);
  const lines = [`Vertex AI could not ${action}: ${codeName}: ${text}`];
  for (const detail of Array.isArray(grpc.statusDetails) ? grpc.statusDetails : [])
    lines.push(...describeDetail(detail as Record<string, unknown>));
  if (typeof grpc.reason === 'string' && grpc.reason && !lines.some((l) => l.includes(grpc.reason as string)))
    lines.push(`  reason: ${grpc.reason}`);
  const fix = advice[codeName];
  if (fix) lines.push(`  how to fix: ${fix}`);
  return new VertexApiError(lines.join('\n'), code, codeName);
}

/** One google.rpc error detail (decoded by google-gax from grpc-status-details-bin), told apart by its fields. */
function describeDetail(detail: Record<string, unknown>): string[] {
  const list = (key: string) => (Array.isArray(detail[key]) ? (detail[key] as Record<string, unknown>[]) : []);
  if ('fieldViolations' in detail)
    return list('fieldViolations').map((v) => `  field ${String(v['field'] ?? '?')}: ${String(v['description'] ?? '')}`);
  if ('violations' in detail) {
    return list('violations').map(
      (v) => `  ${v['subject'] ? `${String(v['subject'])}: ` : ''}${String(v['description'] ?? v['type'] ?? '')}`,
    );
  }
  if ('links' in detail)
    return list('links').map((l) => `  see ${String(l['description'] ?? '')}: ${String(l['url'] ?? '')}`.replace('see : ', 'see '));
  if ('reason' in detail && 'domain' in detail) {
    const metadata = detail['metadata'] && typeof detail['metadata'] === 'object' ? Object.entries(detail['metadata'] as object) : [];
    return [
      `  reason: ${String(detail['reason'])} (${String(detail['domain'])})${metadata.length ? ` ${metadata.map(([k, v]) => `${k}=${String(v)}`).join(', ')}` : ''}`,
    ];
  }
  if ('retryDelay' in detail) {
    const delay = detail['retryDelay'] as { seconds?: unknown } | null;
    return [`  the service asks to retry after ${String(delay?.seconds ?? 0)} s`];
  }
  if ('resourceName' in detail)
    return [`  resource: ${String(detail['resourceType'] ?? '')} ${String(detail['resourceName'])}`.replace('   ', ' ')];
  if ('message' in detail && 'locale' in detail) return [`  ${String(detail['message'])}`];
  return [];
}
