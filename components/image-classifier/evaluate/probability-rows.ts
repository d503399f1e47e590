/**
 * Flat row-major matrices of class scores (n rows × K classes) and the conversions between logits and
 * probabilities. Flat typed arrays instead of arrays of arrays: one allocation, no per-row objects,
 * and the hot loops index straight into memory (see bench/evaluate.ts).
 *
 * Everything is computed in float64 even when the model produced float32 (so the metrics do not
 * depend on the model's precision, and match a float64 reference to the last bit): reading
 * a Float32Array element gives the exact double of that float32.
 */

/** A flat n × K matrix: row i is `values[i*K .. i*K+K)`. */
export type ScoreRows = Float64Array | Float32Array;

/** Probabilities below this count as this value in logs, so ln never returns -Infinity (NLL stays finite). */
export const PROBABILITY_FLOOR = 1e-12;

/**
 * How far a probability row's sum may stray from 1. Generous enough for float32 softmax outputs of
 * hundreds of classes, tight enough to catch logits passed where probabilities belong.
 */
export const ROW_SUM_TOLERANCE = 1e-3;

/** Number of rows of an n × K matrix, after checking the lengths agree with the labels. */
export function rowCount(values: ScoreRows, classes: number, labels: ArrayLike<number>, what = 'probabilities'): number {
  if (!Number.isInteger(classes) || classes < 2) {
    throw new Error(`classes must be an integer >= 2, got ${classes}: pass the number of columns of the ${what} matrix`);
  }
  if (values.length !== labels.length * classes) {
    throw new Error(
      `${what} has ${values.length} values but ${labels.length} labels × ${classes} classes = ${labels.length * classes}: ` +
        `pass one row of ${classes} values per label, row-major`,
    );
  }
  if (labels.length === 0) throw new Error('no samples: pass at least one row and one label');
  return labels.length;
}

/** Throws, naming the sample, unless `label` is an integer class index in [0, classes). */
export function checkLabel(label: number, index: number, classes: number): void {
  if (!(Number.isInteger(label) && label >= 0 && label < classes)) {
    throw new Error(`label of sample ${index} is ${label}; labels must be 0-based class indices in [0, ${classes - 1}]`);
  }
}

/** Throws, naming every problem found in the row, unless all values are finite. */
export function checkFiniteRows(values: ScoreRows, classes: number, what: string): void {
  for (let j = 0; j < values.length; j++) {
    if (!Number.isFinite(values[j])) {
      throw new Error(`${what} row ${Math.floor(j / classes)} column ${j % classes} is ${values[j]}; every value must be finite`);
    }
  }
}

/**
 * Row-wise softmax of `logits / temperature`, max-subtracted so large logits cannot overflow:
 * `p_k = exp(w_k − max w) / Σ_j exp(w_j − max w)` with `w = z / T` (temperature scaling divides the logits).
 */
export function softmaxRows(logits: ScoreRows, classes: number, temperature = 1): Float64Array {
  if (!(temperature > 0 && Number.isFinite(temperature))) {
    throw new Error(`temperature must be a finite number > 0, got ${temperature}`);
  }
  if (!Number.isInteger(classes) || classes < 1 || logits.length % classes !== 0) {
    throw new Error(`logits has ${logits.length} values, not a whole number of rows of ${classes} classes`);
  }
  checkFiniteRows(logits, classes, 'logits');
  const out = new Float64Array(logits.length);
  const scaled = new Float64Array(classes);
  for (let base = 0; base < logits.length; base += classes) {
    let max = -Infinity;
    for (let k = 0; k < classes; k++) {
      const w = logits[base + k]! / temperature; // `!`: base + k < logits.length, a whole number of rows
      scaled[k] = w;
      if (w > max) max = w;
    }
    let sum = 0;
    for (let k = 0; k < classes; k++) {
      const e = Math.exp(scaled[k]! - max);
      out[base + k] = e;
      sum += e;
    }
    for (let k = 0; k < classes; k++) out[base + k] = out[base + k]! / sum;
  }
  return out;
}

/**
 * Logits that reproduce the given probabilities under softmax: `ln(max(p, 1e-12))`. softmax is
 * invariant to a per-row constant, so these are as good as the model's own logits for temperature
 * scaling when only probabilities were saved; the floor keeps a 0 from turning into -Infinity.
 */
export function logitsFromProbabilities(probabilities: ScoreRows): Float64Array {
  const out = new Float64Array(probabilities.length);
  for (let j = 0; j < probabilities.length; j++) out[j] = Math.log(Math.max(probabilities[j]!, PROBABILITY_FLOOR));
  return out;
}
