/**
 * `setRetry` durations, read as the reference compiler reads them (`set_retry(backoff_duration=…)`):
 * a number with a unit, such as `'30s'`, `'2m'`, `'1h'`, `'1d'`, `'1w'` or `'2 hours'`, converted
 * to whole seconds in the IR (`'2m'` → `120s`). kfp-ts also takes plain seconds as a number.
 */
import type { RetryDuration, RetryOptions } from '../dsl/task';
import type { IrRetryPolicy } from '../ir/pipeline-spec';

const secondsPerUnit: Record<string, number> = { s: 1, m: 60, h: 3_600, d: 86_400, w: 604_800 };

/** Short units, or the English words for them (the reference keeps only the first letter). */
const durationPattern = /^(\d+(?:\.\d+)?)(?:([smhdw])| ?(seconds?|minutes?|hours?|days?|weeks?))$/;

export const durationFormatHelp = "write seconds as a number (30) or a number with a unit: '30s', '2m', '1h', '1d', '1w'";

/** Seconds, or undefined when the value is not a duration. */
export function parseDurationSeconds(duration: RetryDuration): number | undefined {
  if (typeof duration === 'number') return Number.isFinite(duration) && duration >= 0 ? duration : undefined;
  if (typeof duration !== 'string') return undefined;
  const match = durationPattern.exec(duration);
  if (!match) return undefined;
  const unit = match[2] ?? match[3]![0]!;
  // Rounded to nanoseconds (a protobuf Duration's precision) so that 0.1m is 6s, not 6.000000000000001s.
  return Number((Number(match[1]) * secondsPerUnit[unit]!).toFixed(9));
}

/** The IR's retry policy, with the reference's defaults written out and durations in seconds. */
export function retryPolicySpec(retry: RetryOptions): IrRetryPolicy {
  const seconds = (duration: RetryDuration | undefined, fallback: number) =>
    `${duration === undefined ? fallback : parseDurationSeconds(duration)!}s`;
  return {
    backoffDuration: seconds(retry.backoffDuration, 0),
    backoffFactor: retry.backoffFactor ?? 2,
    backoffMaxDuration: seconds(retry.backoffMaxDuration, 3600),
    maxRetryCount: retry.maxRetries,
  };
}
