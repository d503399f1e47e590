/**
 * The error the metrics helpers throw: what is wrong with a value about to be written into a
 * metrics artifact's metadata, and how to fix it. Nothing is written when one is thrown.
 */
import { KfpTsError } from '../../errors/kfp-ts-error';

export class MetricsError extends KfpTsError {
  override readonly name = 'MetricsError';

  /**
   * @param method the helper that refused, e.g. `logConfusionMatrixRow` or `logRocCurve (slice "US")`
   * @param problem what is wrong
   * @param fix how to fix it
   */
  constructor(
    readonly method: string,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${method}: ${problem} — ${fix}`);
  }
}

/** A value as an error message shows it: `NaN`, `Infinity`, `"0.9" (a string)`, `null`, `an object`. */
export function describeValue(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `${JSON.stringify(value)} (a string)`;
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
