/**
 * `system.Metrics`: a flat map from metric name to number, which the KFP UI and the Vertex console
 * show as a scalar table (the KFP SDK's `Metrics.log_metric`).
 */
import { describeValue } from '../../util/describe-value';
import { MetricsError } from './metrics-error';
import { metadataOf, type MetadataTarget } from './metadata-target';

/**
 * Set by the KFP backend (and the local runner) from the output's name; the scalar table hides it,
 * and the backend's value replaces a logged one.
 */
const RESERVED_NAMES: ReadonlySet<string> = new Set(['display_name']);

function checkMetric(method: string, name: unknown, value: unknown): void {
  if (typeof name !== 'string' || name === '') {
    throw new MetricsError(
      method,
      `the metric name is ${describeValue(name)}, not a non-empty string`,
      'name each metric, e.g. "accuracy"',
    );
  }
  if (RESERVED_NAMES.has(name)) {
    throw new MetricsError(
      method,
      `"${name}" is reserved: KFP sets it from the output's name and hides it from the scalar table`,
      'log the metric under another name',
    );
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new MetricsError(
      method,
      `metric "${name}" is ${describeValue(value)}; system.Metrics values must be finite numbers`,
      typeof value === 'number'
        ? 'JSON has no NaN or Infinity: leave the metric out, or log a finite value (e.g. 0 with a count metric beside it)'
        : 'log a number (the console shows anything else as JSON text); put structured results in the artifact file',
    );
  }
}

/** Writes scalar metrics into a `system.Metrics` artifact's metadata. */
export class MetricsLogger {
  /** @internal use `metricsOf` */
  constructor(private readonly target: MetadataTarget) {}

  /** Sets `metadata[name] = value` (the SDK's `log_metric`); logging a name again replaces its value. */
  logMetric(name: string, value: number): this {
    checkMetric('logMetric', name, value);
    metadataOf(this.target, 'logMetric')[name] = value;
    return this;
  }

  /** Logs every entry of `values`, in their order; checks them all first, so a bad one writes nothing. */
  logMetrics(values: Readonly<Record<string, number>>): this {
    const entries = Object.entries(values);
    for (const [name, value] of entries) checkMetric('logMetrics', name, value);
    const metadata = metadataOf(this.target, 'logMetrics');
    for (const [name, value] of entries) metadata[name] = value;
    return this;
  }
}

/**
 * The scalar-metrics writer of a `system.Metrics` output:
 * `metricsOf(outputs.metrics).logMetric('accuracy', 0.91)`.
 */
export function metricsOf(target: MetadataTarget): MetricsLogger {
  metadataOf(target, 'metricsOf');
  return new MetricsLogger(target);
}
