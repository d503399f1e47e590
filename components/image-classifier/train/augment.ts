/**
 * Light, label-preserving augmentation for small classifiers, done while converting 8-bit pixels
 * (RGB or grayscale) to float32 (one pass over the pixels, no extra copy):
 *  - horizontal flip with probability 1/2 (fine for clothes or animals, wrong for digits or text);
 *  - vertical flip with probability 1/2, only where upside-down images keep their label (aerial
 *    or microscope images), off by default;
 *  - a random shift of up to ±maxShift of the side in each direction (a "small random crop": the
 *    window moves, edge pixels are repeated into the uncovered border);
 *  - brightness jitter: one offset in [-brightness, +brightness] added to every channel, then
 *    clamped to [0, 1].
 * All randomness comes from the `random` passed in, so a seed fixes the result.
 */
import type { Random } from '../preprocess/seeded-random';

export interface AugmentOptions {
  /** Horizontal (left-right) flips. */
  readonly flip: boolean;
  /** Vertical (upside-down) flips; omitted means off. */
  readonly verticalFlip?: boolean;
  /** Largest shift as a fraction of the image side, in [0, 0.5). 0.1 moves a 64-px image by up to 6 px. */
  readonly maxShift: number;
  /** Largest brightness offset, on the [0, 1] pixel scale, in [0, 1]. */
  readonly brightness: number;
}

export const NO_AUGMENTATION: AugmentOptions = { flip: false, maxShift: 0, brightness: 0 };
export const DEFAULT_AUGMENTATION: AugmentOptions = { flip: true, maxShift: 0.1, brightness: 0.1 };

export function validateAugmentOptions({ flip, verticalFlip, maxShift, brightness }: AugmentOptions): void {
  if (typeof flip !== 'boolean') throw new Error(`augmentation flip must be true or false, got ${JSON.stringify(flip)}.`);
  if (verticalFlip !== undefined && typeof verticalFlip !== 'boolean')
    throw new Error(`augmentation verticalFlip must be true or false, got ${JSON.stringify(verticalFlip)}.`);
  if (!(maxShift >= 0 && maxShift < 0.5))
    throw new Error(
      `augmentation maxShift must be a fraction of the image side in [0, 0.5), got ${maxShift}; 0.1 is usual, 0 turns shifting off.`,
    );
  if (!(brightness >= 0 && brightness <= 1))
    throw new Error(`augmentation brightness must be in [0, 1] (pixel scale), got ${brightness}; 0.1 is usual, 0 turns it off.`);
}

/**
 * The random choices for one image; drawn in a fixed order, four draws per image whatever is
 * enabled, and a fifth (the vertical flip) only when vertical flips are on, so turning them on
 * leaves every other setting's draws as they were.
 */
export interface ImageTransform {
  readonly flip: boolean;
  readonly verticalFlip?: boolean;
  readonly shiftY: number;
  readonly shiftX: number;
  readonly brightness: number;
}

export function drawTransform(options: AugmentOptions, size: number, random: Random): ImageTransform {
  const flip = random() < 0.5;
  const limit = Math.round(options.maxShift * size);
  const shiftY = Math.floor(random() * (2 * limit + 1)) - limit;
  const shiftX = Math.floor(random() * (2 * limit + 1)) - limit;
  const brightness = (random() * 2 - 1) * options.brightness;
  if (options.verticalFlip === true) return { flip: options.flip && flip, verticalFlip: random() < 0.5, shiftY, shiftX, brightness };
  return { flip: options.flip && flip, shiftY, shiftX, brightness };
}

const clampIndex = (i: number, size: number) => (i < 0 ? 0 : i >= size ? size - 1 : i);

/**
 * Writes the transformed image, as float32 in [0, 1], into `out` at `offset`. Output pixel (y, x)
 * shows source pixel (y − shiftY, x − shiftX), mirrored when flipped, clamped to the image.
 * `pixels` holds size·size·channels bytes (3: RGB, 1: grayscale).
 */
export function augmentToFloat(
  pixels: Uint8Array,
  size: number,
  transform: ImageTransform,
  out: Float32Array,
  offset: number,
  channels = 3,
): void {
  const { flip, shiftY, shiftX, brightness } = transform;
  for (let y = 0; y < size; y++) {
    const shiftedRow = clampIndex(y - shiftY, size);
    const sourceRow = (transform.verticalFlip === true ? size - 1 - shiftedRow : shiftedRow) * size;
    for (let x = 0; x < size; x++) {
      const shifted = clampIndex(x - shiftX, size);
      const source = (sourceRow + (flip ? size - 1 - shifted : shifted)) * channels;
      const target = offset + (y * size + x) * channels;
      for (let c = 0; c < channels; c++) {
        const value = pixels[source + c]! / 255 + brightness;
        out[target + c] = value < 0 ? 0 : Math.min(value, 1);
      }
    }
  }
}
