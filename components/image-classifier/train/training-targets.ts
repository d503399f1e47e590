/**
 * The target rows the loss is computed against: one-hot labels, smoothed and weighted.
 *
 * Label smoothing (Szegedy et al. 2016): target = (1 − ε)·onehot + ε/K, which stops the network
 * pushing logits to infinity for the training labels and so overconfidence on new images.
 *
 * Class weights: tfjs-layers' categoricalCrossentropy is −Σ_k target_k·log p_k with the target
 * not renormalised, so scaling an image's target row by w scales its loss (and gradient) by w,
 * the same as Keras's class_weight; trainOnBatch has no class_weight of its own. The accuracy
 * metric takes the argmax of the row, which neither smoothing nor weighting changes.
 */
export const CLASS_WEIGHTINGS = ['none', 'balanced'] as const;
export type ClassWeighting = (typeof CLASS_WEIGHTINGS)[number];

export function parseClassWeighting(value: string): ClassWeighting {
  if ((CLASS_WEIGHTINGS as readonly string[]).includes(value)) return value as ClassWeighting;
  throw new Error(
    `classWeights must be one of ${CLASS_WEIGHTINGS.join(', ')}, got '${value}'; 'balanced' weighs each class by images / (classes · images of the class), for imbalanced data.`,
  );
}

export function validateLabelSmoothing(value: number): void {
  if (!(value >= 0 && value < 0.5)) throw new Error(`labelSmoothing must be in [0, 0.5), got ${value}; 0.1 is usual, 0 turns it off.`);
}

/**
 * scikit-learn's 'balanced' weights: n / (K · n_k), so the mean weight over the images is 1 and
 * every class contributes equally to the loss. A class without training images gets weight 0.
 */
export function classWeights(labels: ArrayLike<number>, numClasses: number, weighting: ClassWeighting): Float32Array {
  const weights = new Float32Array(numClasses).fill(1);
  if (weighting === 'none') return weights;
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]!]!++;
  const present = counts.filter((count) => count > 0).length;
  for (let k = 0; k < numClasses; k++) weights[k] = counts[k]! > 0 ? labels.length / (present * counts[k]!) : 0;
  return weights;
}

/** Row-major [labels.length, numClasses] targets. */
export function trainingTargets(labels: ArrayLike<number>, numClasses: number, smoothing: number, weights?: Float32Array): Float32Array {
  const out = new Float32Array(labels.length * numClasses);
  const off = smoothing / numClasses;
  const on = 1 - smoothing + off;
  for (let n = 0; n < labels.length; n++) {
    const label = labels[n]!;
    if (!Number.isInteger(label) || label < 0 || label >= numClasses)
      throw new Error(`label ${label} of image ${n} is outside the ${numClasses} classes of the label map.`);
    const w = weights ? weights[label]! : 1;
    const row = n * numClasses;
    for (let k = 0; k < numClasses; k++) out[row + k] = (k === label ? on : off) * w;
  }
  return out;
}
