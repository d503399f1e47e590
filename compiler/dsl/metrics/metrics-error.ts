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
