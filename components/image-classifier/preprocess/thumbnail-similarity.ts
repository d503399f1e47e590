/**
 * The pixel check that confirms a near-duplicate candidate: normalised cross-correlation (NCC, the
 * Pearson correlation of grey values) of 16×16 thumbnails, leaving out pixels that a brightness
 * change clipped to white.
 *
 * Why: on small, low-detail images pHash alone cannot tell copies from look-alikes (Fashion-MNIST:
 * half of the distinct images have another within 6 of 64 pHash bits, bench/dedupe.ts). NCC ignores
 * brightness and contrast (it subtracts the mean and divides by the spread); 16×16 keeps the shape
 * and averages away JPEG noise and resampling differences. Brightening by 20 % saturates a light sky
 * to one flat white, which alone pulled the NCC of true copies down to 0.83 (bench/dedupe.ts), so
 * the check also compares with the other image brightened the same way and clipped.
 */
import { resampleWindow, SAMPLES_PER_PIXEL, type CropWindow } from './crop-windows';
import { PHASH_INPUT_SIZE } from './perceptual-hash';

// Bound once: under Jest every global lookup (`Math`) goes through the vm context's interceptor.
const { min, max, sqrt } = Math;

const SIDE = PHASH_INPUT_SIZE;
/** Side of the compared thumbnails. */
const FINE = 16;
const WHOLE: CropWindow = [0, 0, 1, 1];
/** A thumbnail pixel at or above this grey level may have been clipped by a brightness change. */
export const SATURATED = 240;
/** Fewest unclipped pixels (of 256) to fit the brightening to: a shape of about 3×3. */
const MIN_FITTED_PIXELS = 8;
/** Plain NCC under which the clipped comparison is not tried. */
const CLIP_CHECK_MIN_SIMILARITY = 0.8;

/** A 16×16 thumbnail of an image or of one of its crop windows. */
export interface Thumbnail {
  /** Grey levels 0–255, row-major. */
  readonly levels: Float32Array;
  /** Zero-mean, unit-length levels; all zeros for a flat thumbnail. */
  readonly unit: Float32Array;
  /** No contrast at all (one grey level): NCC is undefined for it. */
  readonly flat: boolean;
  /** Pixels at or above SATURATED. */
  readonly saturated: number;
}

/** What the similarity of an image needs, made once per image from its 32×32 grey pixels. */
export interface ThumbnailSignature extends Thumbnail {
  /** The 32×32 grey pixels, row-major (the pHash input), for crop windows. */
  readonly grey: Uint8Array;
}

export function thumbnailSignature(grey: Uint8Array): ThumbnailSignature {
  if (grey.length !== SIDE * SIDE)
    throw new Error(
      `a thumbnail signature needs ${SIDE}×${SIDE} = ${SIDE * SIDE} grey pixels, got ${grey.length}; resize to ${SIDE}×${SIDE} greyscale first.`,
    );
  return { grey, ...windowThumbnail(grey, WHOLE) };
}

/** The 16×16 thumbnail of a window of the image's 32×32 grey pixels. */
export function windowThumbnail(grey: Uint8Array, window: CropWindow): Thumbnail {
  const levels = resampleWindow(grey, window, FINE);
  for (let i = 0; i < levels.length; i++) levels[i]! /= SAMPLES_PER_PIXEL;
  return thumbnailOfLevels(levels);
}

/**
 * The thumbnail of grey levels 0–255, of any length: 16×16 grey, or the three 16×16 planes of a
 * colour thumbnail one after the other (colour-thumbnail.ts).
 */
export function thumbnailOfLevels(levels: Float32Array): Thumbnail {
  let saturated = 0;
  for (let i = 0; i < levels.length; i++) if (levels[i]! >= SATURATED) saturated++;
  const unit = normalise(levels);
  return { levels, unit, flat: isZero(unit), saturated };
}

/**
 * Similarity of two thumbnails in [-1, 1]: their NCC, or, where one has pixels at (nearly) white,
 * the NCC of that one with the other brightened to it and clipped, when higher. Two flat thumbnails
 * are 1 (same content up to brightness); a flat one and a textured one are 0.
 */
export function thumbnailSimilarity(a: Thumbnail, b: Thumbnail): number {
  if (a.flat || b.flat) return a.flat && b.flat ? 1 : 0;
  return similarityFromCorrelation(a, b, dot(a.unit, b.unit));
}

/** thumbnailSimilarity of two textured thumbnails whose NCC (dot of units) the caller has. */
export function similarityFromCorrelation(a: Thumbnail, b: Thumbnail, correlation: number): number {
  let best = correlation;
  // Clipping a light sky pulled true copies down to 0.83 at worst; pairs further apart are unrelated.
  if (best < CLIP_CHECK_MIN_SIMILARITY) return best;
  if (b.saturated > 0) best = max(best, clippedCorrelation(a.levels, b.levels));
  if (a.saturated > 0) best = max(best, clippedCorrelation(b.levels, a.levels));
  return best;
}

/**
 * NCC of `clipped` with `source` brightened as `clipped` was and cut at `clipped`'s white, or -1
 * when that cannot be fitted: the brightening (gain and offset) is the least-squares fit of
 * `clipped` to `source` over the pixels where `clipped` is below SATURATED, so it says nothing
 * about the white pixels, and only a source that is bright where `clipped` is white matches them.
 */
function clippedCorrelation(source: Float32Array, clipped: Float32Array): number {
  const length = source.length;
  // One pass fits the brightening (sums over the unclipped pixels) and one scores it; no arrays
  // are made: this runs for most candidate pairs of bright images.
  let n = 0;
  let sumSource = 0;
  let sumClipped = 0;
  let sumSquaresSource = 0;
  let sumProducts = 0;
  let white = 0;
  for (let i = 0; i < length; i++) {
    const c = clipped[i]!;
    if (c > white) white = c;
    if (c >= SATURATED) continue;
    const s = source[i]!;
    n++;
    sumSource += s;
    sumClipped += c;
    sumSquaresSource += s * s;
    sumProducts += s * c;
  }
  if (n < (MIN_FITTED_PIXELS * length) / 256) return -1;
  const meanSource = sumSource / n;
  const meanClipped = sumClipped / n;
  const varSource = sumSquaresSource - n * meanSource * meanSource;
  const covariance = sumProducts - n * meanSource * meanClipped;
  if (!(varSource > 0) || covariance <= 0) return -1;
  const gain = covariance / varSource;
  let sumP = 0;
  let sumPP = 0;
  let sumC = 0;
  let sumCC = 0;
  let sumPC = 0;
  for (let i = 0; i < length; i++) {
    const p = min(white, meanClipped + gain * (source[i]! - meanSource));
    const c = clipped[i]!;
    sumP += p;
    sumPP += p * p;
    sumC += c;
    sumCC += c * c;
    sumPC += p * c;
  }
  const spreadP = sumPP - (sumP * sumP) / length;
  const spreadC = sumCC - (sumC * sumC) / length;
  // normalise()'s rule: a spread under 1/8 grey level per pixel is flat, and correlates 0.
  if (spreadP < length / 64 || spreadC < length / 64) return 0;
  return (sumPC - (sumP * sumC) / length) / sqrt(spreadP * spreadC);
}

/** A zero-mean, unit-length copy; a flat input becomes all zeros. */
function normalise(levels: Float32Array): Float32Array {
  const values = Float32Array.from(levels);
  let mean = 0;
  for (const value of values) mean += value;
  mean /= values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) {
    values[i]! -= mean;
    squares += values[i]! * values[i]!;
  }
  // A spread under about 1/8 grey level per pixel is a flat image, where dividing would only
  // amplify rounding.
  const length = sqrt(squares);
  const scale = length < sqrt(values.length) / 8 ? 0 : 1 / length;
  for (let i = 0; i < values.length; i++) values[i]! *= scale;
  return values;
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

function isZero(values: Float32Array): boolean {
  return values.every((value) => value === 0);
}
