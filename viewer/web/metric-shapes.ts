/**
 * The shapes of KFP's classification metadata the artifact page draws, read without a DOM (tested in
 * Node): a ClassificationMetrics' curves from its `confidenceMetrics`, and the slices of a
 * SlicedClassificationMetrics (`{ evaluationSlices: [{ slice, sliceClassificationMetrics }] }`, as
 * the KFP SDK and compiler/dsl/metrics write it).
 */
export type Point = readonly [number, number];

export interface ConfidenceCurves {
  /** (false positive rate, recall), by rate. */
  readonly roc: readonly Point[];
  /** (recall, precision), by recall: only from points that carry precision. */
  readonly precisionRecall: readonly Point[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Precision-recall comes only from points that carry precision (Vertex's evaluation shape does).
 * KFP's log_roc_data_point writes threshold, recall and FPR alone, and precision cannot be derived
 * from those: precision = recall·P / (recall·P + FPR·N) needs the counts of positives P and
 * negatives N of the curve's binary question, which the artifact does not record (its confusion
 * matrix counts classes, not that question). Such an artifact gets its ROC curve only.
 */
export function confidenceCurves(metadata: Readonly<Record<string, unknown>>): ConfidenceCurves | undefined {
  const points = Array.isArray(metadata['confidenceMetrics']) ? metadata['confidenceMetrics'].filter(isRecord) : [];
  if (points.length === 0) return undefined;
  const finite = (point: readonly [unknown, unknown]): point is Point => Number.isFinite(point[0]) && Number.isFinite(point[1]);
  const roc = points.map((p) => [p['falsePositiveRate'], p['recall']] as const).filter(finite);
  const precisionRecall = points.map((p) => [p['recall'], p['precision']] as const).filter(finite);
  const byX = (a: Point, b: Point) => a[0] - b[0] || a[1] - b[1];
  return { roc: [...roc].sort(byX), precisionRecall: [...precisionRecall].sort(byX) };
}

export interface EvaluationSlice {
  readonly slice: string;
  readonly metrics: Readonly<Record<string, unknown>>;
}

/** The slices of SlicedClassificationMetrics metadata, each with its ClassificationMetrics metadata. */
export function evaluationSlices(metadata: Readonly<Record<string, unknown>>): EvaluationSlice[] {
  const slices = Array.isArray(metadata['evaluationSlices']) ? metadata['evaluationSlices'] : [];
  return slices.filter(isRecord).map((entry) => ({
    slice: typeof entry['slice'] === 'string' ? entry['slice'] : JSON.stringify(entry['slice']),
    metrics: isRecord(entry['sliceClassificationMetrics']) ? entry['sliceClassificationMetrics'] : {},
  }));
}
