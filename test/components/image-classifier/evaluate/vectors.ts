/**
 * Reference test vectors (V1, V2, V3 and the edge vector E), whose expected values a plain-Python and a
 * JS implementation agree on to the last bit, and torchmetrics 1.9.0 reproduces (ECE, MCE, RMS); and the
 * seeded generator V3 is built from. bench/evaluate.ts reuses the generator for its million rows.
 */

/** Rounds to 10 decimals, the precision the expected values are written at. */
export const round10 = (value: number): number => Number(value.toFixed(10));

export const V1 = {
  classes: 3,
  labels: [0, 1, 0, 1, 0],
  probabilities: Float64Array.from([0.9, 0.05, 0.05, 0.7, 0.2, 0.1, 0.55, 0.4, 0.05, 0.2, 0.75, 0.05, 0.1, 0.28, 0.62]),
};

const v2Positive = [0.95, 0.92, 0.91, 0.3, 0.35, 0.62, 0.45, 0.52];
export const V2 = {
  classes: 2,
  labels: [1, 1, 0, 0, 1, 1, 1, 0],
  probabilities: Float64Array.from(v2Positive.flatMap((p) => [1 - p, p])),
};

export const EDGE = {
  classes: 2,
  labels: [0, 1],
  probabilities: Float64Array.from([0.5, 0.5, 0.55, 0.45]),
};

/** Marsaglia xorshift32 returning u = x / 2^32 from the updated state, as V3's generator is specified. */
export function xorshift32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state ^ (state << 13)) >>> 0;
    state = (state ^ (state >>> 17)) >>> 0;
    state = (state ^ (state << 5)) >>> 0;
    return state / 4294967296;
  };
}

export const V3_SEED = 2463534242;

/**
 * V3's logits and labels: per sample one draw for the label, K draws for z_k = 4(u − 0.5), one draw
 * for the boost z_y += 3u, then logits 2·z.
 */
export function makeV3(samples = 1000, classes = 10, seed = V3_SEED): { logits: Float64Array; labels: Int32Array } {
  const next = xorshift32(seed);
  const logits = new Float64Array(samples * classes);
  const labels = new Int32Array(samples);
  const z = new Float64Array(classes);
  for (let i = 0; i < samples; i++) {
    const y = Math.floor(next() * classes);
    labels[i] = y;
    for (let k = 0; k < classes; k++) z[k] = 4 * (next() - 0.5);
    z[y]! += 3 * next();
    for (let k = 0; k < classes; k++) logits[i * classes + k] = 2 * z[k]!;
  }
  return { logits, labels };
}
