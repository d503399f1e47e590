/**
 * 64-bit perceptual hashes, their Hamming distance, and the 32×32 grey pixels they are taken from.
 *
 * pHash finds near-duplicate candidates (measured on synthetic 640×480 JPEGs: re-encoding, 50 % downscaling and +10 % brightness move it by ≤ 2 bits of 64,
 * 5 % crops by up to 12). On small, low-detail images distinct images come as close (Fashion-MNIST:
 * half within 6 bits of another), so a candidate is confirmed by thumbnail-similarity.ts.
 */
import sharp from 'sharp';
import { imagePixelsFromRgb, type ImagePixels } from './colour-thumbnail';

// Bound once: under Jest every global lookup (`Math`) goes through the vm context's interceptor.
const { imul } = Math;

/** pHash input: the image as 32×32 grey pixels. */
export const PHASH_INPUT_SIZE = 32;
const LOW_FREQUENCIES = 8;

/**
 * COSINES[u * 32 + x] = cos((2x + 1) u π / 64): the DCT-II basis for the 8 lowest frequencies
 * over 32 samples. Only those 8 are ever needed, so the transform is 32×8 per row, not 32×32.
 */
const COSINES = (() => {
  const n = PHASH_INPUT_SIZE;
  const table = new Float64Array(LOW_FREQUENCIES * n);
  for (let u = 0; u < LOW_FREQUENCIES; u++) {
    for (let x = 0; x < n; x++) table[u * n + x] = Math.cos(((2 * x + 1) * u * Math.PI) / (2 * n));
  }
  return table;
})();

const ROWS_SCRATCH = new Float64Array(PHASH_INPUT_SIZE * LOW_FREQUENCIES);
const COEFFICIENTS_SCRATCH = new Float64Array(LOW_FREQUENCIES * LOW_FREQUENCIES);
const AC_SCRATCH = new Float64Array(LOW_FREQUENCIES * LOW_FREQUENCIES - 1);

/**
 * pHash of 32×32 grey pixels (row-major): the 8×8 lowest DCT-II frequencies (rows first, then
 * columns), each bit 1 when its coefficient is above the median of the 63 AC coefficients.
 * Bits are row-major over the 8×8 block, the first one the most significant.
 */
export function pHashFromGrey(pixels: Uint8Array): bigint {
  const { high, low } = pHashHalvesFromGrey(pixels);
  return (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
}

/**
 * pHashFromGrey as its two 32-bit halves (signed ints; `high` holds the first 32 bits), the form
 * the near-duplicate search compares: no BigInt on the way, which cost more than the transform.
 */
export function pHashHalvesFromGrey(pixels: Uint8Array): { high: number; low: number } {
  const n = PHASH_INPUT_SIZE;
  const k = LOW_FREQUENCIES;
  if (pixels.length !== n * n)
    throw new Error(`pHash needs ${n}×${n} = ${n * n} grey pixels, got ${pixels.length}; resize to ${n}×${n} greyscale first.`);
  // Row transform: rows[y * k + u] = Σx pixel(x, y) cos(u, x).
  // Module-level scratch (the hash runs synchronously, ten times per image): no garbage per call.
  const rows = ROWS_SCRATCH;
  for (let y = 0; y < n; y++) {
    for (let u = 0; u < k; u++) {
      let sum = 0;
      for (let x = 0; x < n; x++) sum += pixels[y * n + x]! * COSINES[u * n + x]!;
      rows[y * k + u] = sum;
    }
  }
  // Column transform over the 8 kept columns: coefficients[v * k + u].
  const coefficients = COEFFICIENTS_SCRATCH;
  for (let v = 0; v < k; v++) {
    for (let u = 0; u < k; u++) {
      let sum = 0;
      for (let y = 0; y < n; y++) sum += rows[y * k + u]! * COSINES[v * n + y]!;
      coefficients[v * k + u] = sum;
    }
  }
  // A typed array sorts numerically without a comparator.
  const ac = AC_SCRATCH;
  ac.set(coefficients.subarray(1));
  ac.sort();
  const median = ac[(ac.length - 1) / 2]!;
  let high = 0;
  let low = 0;
  for (let i = 0; i < 32; i++) high = (high << 1) | (coefficients[i]! > median ? 1 : 0);
  for (let i = 32; i < 64; i++) low = (low << 1) | (coefficients[i]! > median ? 1 : 0);
  return { high, low };
}

/**
 * Decodes an encoded image (EXIF orientation applied, as a person sees it; transparency flattened
 * onto white, as the stored training images are) into 32×32 RGB pixels, once, and returns the
 * views the near-duplicate search uses: the grey pHash input and, for colour images, the colour
 * thumbnail (colour-thumbnail.ts). Throws sharp's error when the bytes are not a complete image.
 */
export async function pixelsOfImage(encoded: Buffer): Promise<ImagePixels> {
  const rgb = await sharp(encoded, { failOn: 'warning' })
    .rotate()
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .resize(PHASH_INPUT_SIZE, PHASH_INPUT_SIZE, { fit: 'fill' })
    .raw()
    .toBuffer();
  return imagePixelsFromRgb(rgb, PHASH_INPUT_SIZE);
}

/** The 32×32 grey pixels of pixelsOfImage. */
export async function greyThumbnailOfImage(encoded: Buffer): Promise<Uint8Array> {
  return (await pixelsOfImage(encoded)).grey;
}

/** The pHash of an encoded image; throws sharp's error when the bytes are not a complete image. */
export async function pHashOfImage(encoded: Buffer): Promise<bigint> {
  return pHashFromGrey(await greyThumbnailOfImage(encoded));
}

/** Number of differing bits between two 64-bit hashes (0–64). */
export function hammingDistance(a: bigint, b: bigint): number {
  const x = a ^ b;
  return popcount32(Number(x & 0xffffffffn)) + popcount32(Number((x >> 32n) & 0xffffffffn));
}

function popcount32(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** 16 lowercase hex digits, the form hashes take in reports and JSON. */
export function hashToHex(hash: bigint): string {
  return BigInt.asUintN(64, hash).toString(16).padStart(16, '0');
}

/** The hash as a signed int64, the form the `image/phash` feature stores it in. */
export function hashToSignedInt64(hash: bigint): bigint {
  return BigInt.asIntN(64, hash);
}
