/**
 * Whether the network should take grayscale (1 channel) or RGB (3) input, decided from the data:
 * the preprocess step stores every image as an sRGB JPEG, so grayscale sources (scans, X-rays,
 * Fashion-MNIST) arrive with three equal channels. A grayscale network reads one third of the
 * pixels and its first convolution costs a third as much, with nothing lost.
 *
 * An image counts as grayscale when no pixel's channels differ by more than GRAY_TOLERANCE: a
 * JPEG of a gray image stores neutral chroma, which decodes to equal channels up to the rounding
 * of the YCbCr → RGB conversion. Every training image is checked (decoded at its stored size,
 * on sharp's thread pool), stopping at the first colour image.
 */
import sharp, { type OutputInfo } from 'sharp';
import type { LabelledImage } from './image-dataset';

/** Largest channel difference, in 8-bit levels, that still counts as gray. */
export const GRAY_TOLERANCE = 2;
/** Images decoded at once: enough to keep sharp's pool busy, few enough to stop soon after a colour image. */
const CHUNK = 64;

export type InputChannels = 1 | 3;

/** 0 = decide from the images; 1 or 3 forces it. */
export function parseInputChannels(value: number): 0 | InputChannels {
  if (value === 0 || value === 1 || value === 3) return value;
  throw new Error(`inputChannels must be 0 (decide from the training images), 1 (grayscale) or 3 (RGB), got ${value}.`);
}

/** True when every pixel of `encoded` has R, G and B within GRAY_TOLERANCE of each other. */
export async function isGrayscaleImage(encoded: Uint8Array, what = 'image'): Promise<boolean> {
  let decoded: { data: Buffer; info: OutputInfo };
  try {
    decoded = await sharp(encoded).flatten({ background: '#ffffff' }).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new Error(
      `cannot decode ${what} to check its colours: ${(error as Error).message}; the record's image bytes are damaged or not an image, re-run preprocess.`,
    );
  }
  const { data, info } = decoded;
  if (info.channels === 1) return true;
  for (let i = 0; i + 2 < data.length; i += info.channels) {
    const r = data[i]!;
    const g = data[i + 1]!;
    const b = data[i + 2]!;
    if (Math.abs(r - g) > GRAY_TOLERANCE || Math.abs(g - b) > GRAY_TOLERANCE || Math.abs(r - b) > GRAY_TOLERANCE) return false;
  }
  return true;
}

export interface ChannelsDecision {
  readonly channels: InputChannels;
  /** For the log and the model's metadata. */
  readonly reason: string;
}

/** 1 when every image is grayscale, else 3 (naming the first colour image found). */
export async function detectInputChannels(images: readonly LabelledImage[]): Promise<ChannelsDecision> {
  if (images.length === 0)
    throw new Error(
      'cannot decide the input channels from an empty train split; pass inputChannels 1 or 3, or give preprocess more images.',
    );
  for (let start = 0; start < images.length; start += CHUNK) {
    const chunk = images.slice(start, start + CHUNK);
    const gray = await Promise.all(chunk.map((image, i) => isGrayscaleImage(image.encoded, `image ${start + i} (${image.filename})`)));
    const colour = gray.indexOf(false);
    if (colour >= 0) return { channels: 3, reason: `RGB: ${chunk[colour]!.filename} has colour` };
  }
  return { channels: 1, reason: `grayscale: all ${images.length} training images have equal R, G and B (±${GRAY_TOLERANCE})` };
}
