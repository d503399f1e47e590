/**
 * `system.SlicedClassificationMetrics`: one ClassificationMetrics object per named slice of the
 * evaluation data (e.g. `country=US`), in the metadata shape the KFP SDK's class writes and the KFP UI
 * expands into one confusion matrix / ROC curve per slice:
 *
 *     { "evaluationSlices": [ { "slice": "US", "sliceClassificationMetrics": { …ClassificationMetrics… } }, … ] }
 *
 * Slices keep the order they were first logged in; other metadata keys are left alone. (The SDK's own
 * helpers for this class call methods ClassificationMetrics lacks; these follow what they document.)
 */
import { ClassificationMetricsLogger, classificationMetricsProblems, type ClassificationMetricsMetadata } from './classification-metrics';
import type { RocDataPoint } from './confidence-metrics';
import { describeValue } from '../../util/describe-value';
import { MetricsError } from './metrics-error';
import { isRecord, metadataOf, type MetadataTarget } from './metadata-target';

export type EvaluationSlice = {
  readonly slice: string;
  readonly sliceClassificationMetrics: ClassificationMetricsMetadata;
};

export type SlicedClassificationMetricsMetadata = {
  readonly evaluationSlices?: readonly EvaluationSlice[];
};

type MutableSlice = { slice: string; sliceClassificationMetrics: Record<string, unknown> };

function checkSliceName(method: string, slice: string): void {
  if (typeof slice !== 'string' || slice === '') {
    throw new MetricsError(
      method,
      `the slice name is ${describeValue(slice)}, not a non-empty string`,
      'name the slice after what selects its rows, e.g. "country=US"',
    );
  }
}

/** Writes per-slice confusion matrices and ROC points into a `system.SlicedClassificationMetrics` artifact. */
export class SlicedClassificationMetricsLogger {
  /** @internal use `slicedClassificationMetricsOf` */
  constructor(private readonly target: MetadataTarget) {}

  /** The slice's entry in `evaluationSlices`, added (with empty metrics) if missing. */
  private entry(method: string, slice: string): MutableSlice {
    const metadata = metadataOf(this.target, method);
    const existing = metadata['evaluationSlices'];
    if (
      existing !== undefined &&
      !(
        Array.isArray(existing) &&
        existing.every((s) => isRecord(s) && typeof s['slice'] === 'string' && isRecord(s['sliceClassificationMetrics']))
      )
    ) {
      throw new MetricsError(
        method,
        "the metadata's evaluationSlices is not a list of { slice, sliceClassificationMetrics }",
        'remove it, or log the slices into a fresh artifact',
      );
    }
    const slices = (existing as MutableSlice[] | undefined) ?? [];
    metadata['evaluationSlices'] = slices;
    let found = slices.find((s) => s.slice === slice);
    if (!found) {
      found = { slice, sliceClassificationMetrics: {} };
      slices.push(found);
    }
    return found;
  }

  /**
   * The ClassificationMetrics writer of one slice: every ClassificationMetrics method, applied to
   * that slice. The slice is added to `evaluationSlices` the first time one of them runs.
   */
  slice(slice: string): ClassificationMetricsLogger {
    checkSliceName('slice', slice);
    metadataOf(this.target, 'slice');
    const entry = () => this.entry('slice', slice);
    return new ClassificationMetricsLogger(
      {
        get metadata() {
          return entry().sliceClassificationMetrics;
        },
      },
      ` (slice ${JSON.stringify(slice)})`,
    );
  }

  /** Runs `log` on the slice's writer, reporting a MetricsError under `method` (the SDK's name). */
  private inSlice(method: string, slice: string, log: (writer: ClassificationMetricsLogger) => void): this {
    checkSliceName(method, slice);
    try {
      log(this.slice(slice));
    } catch (error) {
      if (error instanceof MetricsError) throw new MetricsError(`${method} (slice ${JSON.stringify(slice)})`, error.problem, error.fix);
      throw error;
    }
    return this;
  }

  /** Appends one ROC point to the slice (the SDK's `log_roc_reading`). */
  logRocReading(slice: string, reading: RocDataPoint): this {
    return this.inSlice('logRocReading', slice, (writer) => writer.logRocDataPoint(reading));
  }

  /** Appends ROC points to the slice, checking them all first (the SDK's `load_roc_readings`). */
  loadRocReadings(slice: string, readings: readonly RocDataPoint[]): this {
    return this.inSlice('loadRocReadings', slice, (writer) => writer.logRocDataPoints(readings));
  }

  /** Starts the slice's confusion matrix over `categories`, all cells 0 (the SDK's `set_confusion_matrix_categories`). */
  setConfusionMatrixCategories(slice: string, categories: readonly string[]): this {
    return this.inSlice('setConfusionMatrixCategories', slice, (writer) => writer.setConfusionMatrixCategories(categories));
  }

  /** Sets one row of the slice's confusion matrix (the SDK's `log_confusion_matrix_row`). */
  logConfusionMatrixRow(slice: string, rowCategory: string, row: ArrayLike<number>): this {
    return this.inSlice('logConfusionMatrixRow', slice, (writer) => writer.logConfusionMatrixRow(rowCategory, row));
  }

  /** Sets one cell of the slice's confusion matrix (the SDK's `log_confusion_matrix_cell`). */
  logConfusionMatrixCell(slice: string, rowCategory: string, colCategory: string, value: number): this {
    return this.inSlice('logConfusionMatrixCell', slice, (writer) => writer.logConfusionMatrixCell(rowCategory, colCategory, value));
  }

  /** Logs the slice's whole confusion matrix (the SDK's `load_confusion_matrix`). */
  loadConfusionMatrix(slice: string, categories: readonly string[], matrix: readonly ArrayLike<number>[]): this {
    return this.inSlice('loadConfusionMatrix', slice, (writer) => writer.logConfusionMatrix(categories, matrix));
  }
}

/**
 * The writer of a `system.SlicedClassificationMetrics` output:
 * `slicedClassificationMetricsOf(outputs.bySlice).slice('country=US').logConfusionMatrix(categories, matrix)`.
 */
export function slicedClassificationMetricsOf(target: MetadataTarget): SlicedClassificationMetricsLogger {
  metadataOf(target, 'slicedClassificationMetricsOf');
  return new SlicedClassificationMetricsLogger(target);
}

/**
 * Every reason the KFP UI would skip or refuse to plot a slice of this
 * `system.SlicedClassificationMetrics` metadata; empty when every slice renders.
 */
export function slicedClassificationMetricsProblems(metadata: unknown): string[] {
  if (!isRecord(metadata)) return ['metadata must be an object'];
  const slices = metadata['evaluationSlices'];
  if (slices === undefined) return [];
  if (!Array.isArray(slices)) return ['evaluationSlices must be an array'];
  const problems: string[] = [];
  slices.forEach((s, i) => {
    if (!isRecord(s)) {
      problems.push(`evaluationSlices[${i}] must be an object with slice and sliceClassificationMetrics`);
      return;
    }
    if (typeof s['slice'] !== 'string') problems.push(`evaluationSlices[${i}].slice must be a string`);
    if (!isRecord(s['sliceClassificationMetrics'])) {
      problems.push(`evaluationSlices[${i}].sliceClassificationMetrics must be an object`);
      return;
    }
    for (const problem of classificationMetricsProblems(s['sliceClassificationMetrics']))
      problems.push(`evaluationSlices[${i}] (${String(s['slice'])}): ${problem}`);
  });
  return problems;
}
