/**
 * The crops a near-duplicate search lines up: a copy cropped by 5 % (a corner, one side, or 2.5 %
 * all round) resized back is, pixel for pixel, the matching window of its original. Each window is
 * resampled from the image's 32×32 grey pixels (the pHash input), so its pHash can be compared with
 * the copy's own pHash and its thumbnail with the copy's thumbnail.
 *
 * Why windows and not a wider pHash radius: a 5 % crop moves pHash by up to 32 of 64 bits on 28 px
 * Fashion-MNIST and 18 on 64–128 px scenes (bench/dedupe.ts), as far as unrelated images; the
 * window's pHash lies within a few bits of the cropped copy's.
 */
import type { HashHalves } from './hamming-index';
import { PHASH_INPUT_SIZE, pHashHalvesFromGrey } from './perceptual-hash';

// Bound once: under Jest every global lookup (`Math`) goes through the vm context's interceptor.
const { min, max, floor, round } = Math;

const SIDE = PHASH_INPUT_SIZE;
/** Samples per output pixel along each axis: averages rather than picks when shrinking. */
const SUPERSAMPLE = 2;

/** [x0, y0, width, height] as fractions of the image. */
export type CropWindow = readonly [number, number, number, number];

/** The share of each side a cropped copy keeps. */
const KEEP = 0.95;
const CUT = 1 - KEEP;

/**
 * The indexed windows: the 4 corners, each side cut alone (left, right, top, bottom), and the
 * centre (2.5 % off every side).
 */
export const CROP_WINDOWS: readonly CropWindow[] = [
  [0, 0, KEEP, KEEP],
  [CUT, 0, KEEP, KEEP],
  [0, CUT, KEEP, KEEP],
  [CUT, CUT, KEEP, KEEP],
  [CUT, 0, KEEP, 1],
  [0, 0, KEEP, 1],
  [0, CUT, 1, KEEP],
  [0, 0, 1, KEEP],
  [CUT / 2, CUT / 2, KEEP, KEEP],
];

/**
 * The windows the pixel check tries once window `index` made a pair a candidate: the window itself
 * and the same anchor keeping 97.5 % and 92.5 %, since a copy's crop is whole pixels, not exactly
 * 5 % (1 of 28 px is 3.6 %; 2 of 64 px all round is 6.25 %).
 */
export const WINDOWS_NEAR = 3;

export function windowsNear(index: number): readonly CropWindow[] {
  const near = NEAR_WINDOWS[index];
  if (!near) throw new RangeError(`crop window ${index} does not exist; there are ${CROP_WINDOWS.length}.`);
  return near;
}

/** Made once: the same window objects every time, so their sample plans are found by identity. */
const NEAR_WINDOWS: readonly (readonly CropWindow[])[] = CROP_WINDOWS.map((window) => {
  const [x0, y0, width, height] = window;
  // Offsets are 0, half or all of the cut; scaled with it so the anchor stays put.
  const at = (keep: number): CropWindow => {
    const scale = (1 - keep) / CUT;
    return [x0 * scale, y0 * scale, width === 1 ? 1 : keep, height === 1 ? 1 : keep];
  };
  return [window, at(0.975), at(0.925)];
});

/** pHashes of CROP_WINDOWS of the image given by its 32×32 grey pixels, in that order, as 32-bit halves (hamming-index.ts). */
export function cropWindowHashHalves(grey: Uint8Array): HashHalves[] {
  return CROP_WINDOWS.map((window) => pHashHalvesFromGrey(toBytes(resampleWindow(grey, window, SIDE))));
}

/**
 * The window of the 32×32 grey pixels, bilinearly sampled SUPERSAMPLE² times per output pixel
 * into side × side values (each a sum of SUPERSAMPLE² samples, so up to 4 × 255).
 *
 * Bilinear sampling is separable: each source row is interpolated across once per sample column,
 * and the output blends two such rows, with the sample positions of each (window, side) computed
 * once. The arithmetic per sample is the same as interpolating the 2×2 neighbourhood in place.
 */
export function resampleWindow(grey: Uint8Array, window: CropWindow, side: number): Float32Array {
  const { xs, ys } = samplePlan(window, side);
  const columns = side * SUPERSAMPLE;
  // Module-level scratch, large enough for any side used here (it runs synchronously): no garbage per call.
  if (rowScratch.length < SIDE * columns) rowScratch = new Float64Array(SIDE * columns);
  const rows = rowScratch;
  for (let r = 0; r < SIDE; r++) {
    const base = r * SIDE;
    for (let k = 0; k < columns; k++) {
      const xi = xs.index[k]!;
      const fx = xs.fraction[k]!;
      rows[r * columns + k] = grey[base + xi]! * (1 - fx) + grey[base + xi + 1]! * fx;
    }
  }
  const out = new Float32Array(side * side);
  for (let j = 0; j < side; j++) {
    for (let i = 0; i < side; i++) {
      let sum = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        const yi = ys.index[j * SUPERSAMPLE + sy]!;
        const fy = ys.fraction[j * SUPERSAMPLE + sy]!;
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const k = i * SUPERSAMPLE + sx;
          sum += rows[yi * columns + k]! * (1 - fy) + rows[(yi + 1) * columns + k]! * fy;
        }
      }
      out[j * side + i] = sum;
    }
  }
  return out;
}

let rowScratch = new Float64Array(SIDE * SIDE * SUPERSAMPLE);

/** Where the samples of one axis fall: the left (or top) source pixel and the weight of the next. */
interface AxisSamples {
  readonly index: Int32Array;
  readonly fraction: Float64Array;
}

/** Sample plans by window object and side (windows are few, fixed objects: windowsNear). */
const plans = new WeakMap<CropWindow, Map<number, { xs: AxisSamples; ys: AxisSamples }>>();

function samplePlan(window: CropWindow, side: number): { xs: AxisSamples; ys: AxisSamples } {
  let bySide = plans.get(window);
  if (!bySide) plans.set(window, (bySide = new Map()));
  let plan = bySide.get(side);
  if (!plan) {
    const [x0, y0, width, height] = window;
    plan = { xs: axisSamples(x0, width, side), ys: axisSamples(y0, height, side) };
    bySide.set(side, plan);
  }
  return plan;
}

function axisSamples(start: number, extent: number, side: number): AxisSamples {
  const step = (extent * SIDE) / (side * SUPERSAMPLE);
  const index = new Int32Array(side * SUPERSAMPLE);
  const fraction = new Float64Array(side * SUPERSAMPLE);
  for (let k = 0; k < side * SUPERSAMPLE; k++) {
    // Pixel centres sit at integer + 0.5; the clamps keep the 2×2 neighbourhood inside.
    const at = min(SIDE - 1, max(0, start * SIDE + (k + 0.5) * step - 0.5));
    index[k] = min(SIDE - 2, floor(at));
    fraction[k] = at - index[k]!;
  }
  return { index, fraction };
}

/** Sums of SUPERSAMPLE² samples back to grey levels. */
function toBytes(sums: Float32Array): Uint8Array {
  const bytes = new Uint8Array(sums.length);
  for (let i = 0; i < sums.length; i++) bytes[i] = round(sums[i]! / (SUPERSAMPLE * SUPERSAMPLE)); // `!`: i < sums.length
  return bytes;
}

export const SAMPLES_PER_PIXEL = SUPERSAMPLE * SUPERSAMPLE;
