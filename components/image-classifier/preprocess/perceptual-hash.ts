/**
 * 64-bit perceptual hashes, their Hamming distance, and the 32×32 grey pixels they are taken from.
 *
 * pHash finds near-duplicate candidates (shared/reference/tfrecord-and-images.md §7, measured on
 * 640×480 photos: re-encoding, 50 % downscaling and +10 % brightness move it by ≤ 2 bits of 64,
 * 5 % crops by up to 12). On small, low-detail images distinct images come as close (Fashion-MNIST:
 * half within 6 bits of another), so a candidate is confirmed by thumbnail-similarity.ts.
 */
import sharp from 'sharp';

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

/**
 * pHash of 32×32 grey pixels (row-major): the 8×8 lowest DCT-II frequencies (rows first, then
 * columns), each bit 1 when its coefficient is above the median of the 63 AC coefficients.
 * Bits are row-major over the 8×8 block, the first one the most significant.
 */
export function pHashFromGrey(pixels: Uint8Array): bigint {
  const n = PHASH_INPUT_SIZE;
  const k = LOW_FREQUENCIES;
  if (pixels.length !== n * n) throw new Error(`pHash needs ${n}×${n} = ${n * n} grey pixels, got ${pixels.length}; resize to ${n}×${n} greyscale first.`);
  // Row transform: rows[y * k + u] = Σx pixel(x, y) cos(u, x).
  const rows = new Float64Array(n * k);
  for (let y = 0; y < n; y++) {
    for (let u = 0; u < k; u++) {
      let sum = 0;
      for (let x = 0; x < n; x++) sum += pixels[y * n + x] * COSINES[u * n + x];
      rows[y * k + u] = sum;
    }
  }
  // Column transform over the 8 kept columns: coefficients[v * k + u].
  const coefficients = new Float64Array(k * k);
  for (let v = 0; v < k; v++) {
    for (let u = 0; u < k; u++) {
      let sum = 0;
      for (let y = 0; y < n; y++) sum += rows[y * k + u] * COSINES[v * n + y];
      coefficients[v * k + u] = sum;
    }
  }
  const ac = Array.from(coefficients.subarray(1)).sort((a, b) => a - b);
  const median = ac[(ac.length - 1) / 2];
  let hash = 0n;
  for (let i = 0; i < k * k; i++) hash = (hash << 1n) | (coefficients[i] > median ? 1n : 0n);
  return hash;
}

/**
 * Decodes an encoded image (EXIF orientation applied, as a person sees it) into the 32×32 grey
 * pixels that pHash and the near-duplicate pixel check (thumbnail-similarity.ts) both start from.
 * Throws sharp's error when the bytes are not a complete image.
 */
export async function greyThumbnailOfImage(encoded: Buffer): Promise<Uint8Array> {
  const grey = await sharp(encoded, { failOn: 'warning' })
    .rotate()
    .greyscale()
    .resize(PHASH_INPUT_SIZE, PHASH_INPUT_SIZE, { fit: 'fill' })
    .raw()
    .toBuffer();
  // A copy of its own: a view would keep whatever larger buffer sharp's bytes live in.
  return new Uint8Array(grey);
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
