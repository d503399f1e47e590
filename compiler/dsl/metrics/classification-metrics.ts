/**
 * `system.ClassificationMetrics`: a confusion matrix and ROC points, in the metadata shape the KFP SDK's
 * `ClassificationMetrics` writes and the KFP UI / Vertex console plot:
 *
 *     { "confusionMatrix": { "annotationSpecs": [{"displayName": "cat"}, …], "rows": [{"row": [50, 3]}, …] },
 *       "confidenceMetrics": [{"confidenceThreshold": 0.9, "recall": 0.61, "falsePositiveRate": 0.02}, …] }
 *
 * Every method checks its arguments before it writes, so a MetricsError leaves the metadata as it was.
 */
import {
  categoryIndex,
  checkCategories,
  checkCount,
  checkedRow,
  confusionMatrixProblems,
  emptyConfusionMatrix,
  existingConfusionMatrix,
  type ConfusionMatrixMetadata,
} from './confusion-matrix';
import {
  appendConfidenceMetrics,
  confidenceMetricsProblems,
  rocCurvePoints,
  type ConfidenceMetric,
  type RocCurve,
  type RocDataPoint,
} from './confidence-metrics';
import { MetricsError } from './metrics-error';
import { isRecord, metadataOf, type MetadataTarget } from './metadata-target';

/** The two keys of `system.ClassificationMetrics` metadata that the UI plots; both optional. */
export type ClassificationMetricsMetadata = {
  readonly confusionMatrix?: ConfusionMatrixMetadata;
  readonly confidenceMetrics?: readonly ConfidenceMetric[];
};

/** Writes a confusion matrix and ROC points into a `system.ClassificationMetrics` artifact's metadata. */
export class ClassificationMetricsLogger {
  /**
   * @internal use `classificationMetricsOf` (or `SlicedClassificationMetricsLogger.slice`)
   * @param context appended to the method name in errors, e.g. ` (slice "US")`
   */
  constructor(
    private readonly target: MetadataTarget,
    private readonly context = '',
  ) {}

  private metadata(method: string): Record<string, unknown> {
    return metadataOf(this.target, method);
  }

  /** Appends one ROC point to `confidenceMetrics` (the SDK's `log_roc_data_point`). */
  logRocDataPoint(point: RocDataPoint): this {
    const method = `logRocDataPoint${this.context}`;
    appendConfidenceMetrics(method, () => this.metadata(method), [point]);
    return this;
  }

  /**
   * Appends a ROC curve given as parallel arrays, point by point (the SDK's `log_roc_curve`), e.g.
   * the `fpr`, `tpr` and `thresholds` a ROC routine returns.
   */
  logRocCurve(curve: RocCurve): this {
    const method = `logRocCurve${this.context}`;
    appendConfidenceMetrics(method, () => this.metadata(method), rocCurvePoints(method, curve));
    return this;
  }

  /** Appends ROC points given as objects; checks them all before appending any. */
  logRocDataPoints(points: readonly RocDataPoint[]): this {
    const method = `logRocDataPoints${this.context}`;
    if (!Array.isArray(points)) throw new MetricsError(method, 'points is not a list', 'pass an array of { fpr, tpr, threshold }');
    appendConfidenceMetrics(method, () => this.metadata(method), points);
    return this;
  }

  /**
   * Starts the confusion matrix over `categories` (class names in class-index order), all cells 0,
   * replacing any earlier one (the SDK's `set_confusion_matrix_categories`).
   */
  setConfusionMatrixCategories(categories: readonly string[]): this {
    const method = `setConfusionMatrixCategories${this.context}`;
    checkCategories(method, categories);
    this.metadata(method)['confusionMatrix'] = emptyConfusionMatrix(categories);
    return this;
  }

  /** Sets the row of true class `rowCategory`: one count per predicted class, in category order. */
  logConfusionMatrixRow(rowCategory: string, row: ArrayLike<number>): this {
    const method = `logConfusionMatrixRow${this.context}`;
    const { matrix, categories } = existingConfusionMatrix(method, this.metadata(method));
    const index = categoryIndex(method, rowCategory, categories);
    matrix.rows[index] = { row: checkedRow(method, rowCategory, row, categories) };
    return this;
  }

  /** Sets the count of samples of true class `rowCategory` predicted as `colCategory`. */
  logConfusionMatrixCell(rowCategory: string, colCategory: string, value: number): this {
    const method = `logConfusionMatrixCell${this.context}`;
    const { matrix, categories } = existingConfusionMatrix(method, this.metadata(method));
    const i = categoryIndex(method, rowCategory, categories);
    const j = categoryIndex(method, colCategory, categories);
    checkCount(method, rowCategory, colCategory, value);
    matrix.rows[i]!.row[j] = value;
    return this;
  }

  /**
   * Logs a whole confusion matrix: `matrix[i][j]` counts the samples of true class `categories[i]`
   * predicted as `categories[j]` (the SDK's `log_confusion_matrix`). Replaces any earlier one.
   */
  logConfusionMatrix(categories: readonly string[], matrix: readonly ArrayLike<number>[]): this {
    const method = `logConfusionMatrix${this.context}`;
    checkCategories(method, categories);
    if (!Array.isArray(matrix) || matrix.length !== categories.length) {
      throw new MetricsError(
        method,
        `the matrix has ${Array.isArray(matrix) ? `${matrix.length} rows` : 'no rows'}, but there are ${categories.length} categories`,
        'pass a square matrix with one row per category (true class), in the order of the categories',
      );
    }
    const rows = categories.map((category, i) => ({ row: checkedRow(method, category, matrix[i]!, categories) }));
    this.metadata(method)['confusionMatrix'] = { annotationSpecs: categories.map((displayName) => ({ displayName })), rows };
    return this;
  }
}

/**
 * The writer of a `system.ClassificationMetrics` output:
 * `classificationMetricsOf(outputs.classification).logConfusionMatrix(['cat', 'dog'], [[9, 1], [2, 8]])`.
 */
export function classificationMetricsOf(target: MetadataTarget): ClassificationMetricsLogger {
  metadataOf(target, 'classificationMetricsOf');
  return new ClassificationMetricsLogger(target);
}

/**
 * Every reason the KFP UI would show an error banner instead of a plot for this
 * `system.ClassificationMetrics` metadata; empty when it renders. For tests of your own components.
 */
export function classificationMetricsProblems(metadata: unknown): string[] {
  if (!isRecord(metadata)) return ['metadata must be an object'];
  const problems: string[] = [];
  if (metadata['confusionMatrix'] !== undefined) problems.push(...confusionMatrixProblems(metadata['confusionMatrix']));
  if (metadata['confidenceMetrics'] !== undefined) problems.push(...confidenceMetricsProblems(metadata['confidenceMetrics']));
  return problems;
}
