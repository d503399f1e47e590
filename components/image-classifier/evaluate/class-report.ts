/**
 * Per-class precision, recall and F1 from a confusion matrix.
 *
 * A ratio with a zero denominator (a class never predicted, or absent from the labels) is reported
 * as 0, like scikit-learn's default `zero_division`, so every value stays a JSON number.
 */

/** K × K counts, row-major: `[true * K + predicted]`. */
export type ConfusionCounts = Float64Array;

export interface ClassMetrics {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Samples whose true label is this class. */
  readonly support: number;
  /** Samples predicted as this class. */
  readonly predicted: number;
}

export interface ClassReport {
  readonly perClass: readonly ClassMetrics[];
  /** Unweighted means over classes. */
  readonly macroPrecision: number;
  readonly macroRecall: number;
  readonly macroF1: number;
}

/** Precision, recall, F1 and support per class, and their macro means. */
export function classReport(confusion: ConfusionCounts, classes: number): ClassReport {
  if (confusion.length !== classes * classes) {
    throw new Error(`confusion matrix has ${confusion.length} cells, expected ${classes} × ${classes} = ${classes * classes}`);
  }
  const perClass: ClassMetrics[] = [];
  let precisionSum = 0;
  let recallSum = 0;
  let f1Sum = 0;
  for (let k = 0; k < classes; k++) {
    let support = 0;
    let predicted = 0;
    for (let j = 0; j < classes; j++) {
      // `!`: j, k < classes, and confusion is classes × classes.
      support += confusion[k * classes + j]!;
      predicted += confusion[j * classes + k]!;
    }
    const truePositives = confusion[k * classes + k]!;
    const precision = predicted === 0 ? 0 : truePositives / predicted;
    const recall = support === 0 ? 0 : truePositives / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    perClass.push({ precision, recall, f1, support, predicted });
    precisionSum += precision;
    recallSum += recall;
    f1Sum += f1;
  }
  return { perClass, macroPrecision: precisionSum / classes, macroRecall: recallSum / classes, macroF1: f1Sum / classes };
}
