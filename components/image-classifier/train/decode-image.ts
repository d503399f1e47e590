/**
 * Turns a stored image into the network's input pixels: decoded with sharp (on libuv's thread
 * pool, so decoding overlaps a training step running on the main thread), alpha flattened onto
 * white, sRGB, scaled to cover size×size and centre-cropped (the preprocess step already stores
 * images at a fixed size, when the sizes agree this is a no-op), 8-bit RGB (or, for a grayscale
 * network, libvips's 'b-w' luminance: one channel), row-major HWC.
 */
import sharp, { type OutputInfo } from 'sharp';

/**
 * Bytes that sharp could not decode, carrying the very bytes that failed: callers decide what the
 * failure means from this object, not from its text, which holds libvips' error buffer. That
 * buffer is process-wide, so under concurrent decodes it may hold another image's error as well.
 */
export class ImageDecodeError extends Error {
  override readonly name = 'ImageDecodeError';
  constructor(
    message: string,
    /** The encoded bytes that failed (the same object the caller passed). */
    readonly encoded: Uint8Array,
  ) {
    super(message);
  }
}

/** Raw RGB bytes of `encoded` at size×size (length size·size·3). */
export function decodeToRgb(encoded: Uint8Array, size: number, what = 'image'): Promise<Uint8Array> {
  return decodePixels(encoded, size, 3, what);
}

/** Raw bytes of `encoded` at size×size with `channels` 3 (sRGB) or 1 (luminance), length size·size·channels. */
export async function decodePixels(encoded: Uint8Array, size: number, channels: number, what = 'image'): Promise<Uint8Array> {
  if (channels !== 1 && channels !== 3) throw new Error(`decoding ${what}: channels must be 1 (grayscale) or 3 (RGB), got ${channels}.`);
  let result: { data: Buffer; info: OutputInfo };
  try {
    result = await sharp(encoded)
      .flatten({ background: '#ffffff' })
      .toColourspace(channels === 3 ? 'srgb' : 'b-w')
      .resize(size, size, { fit: 'cover', position: 'centre' })
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new ImageDecodeError(
      `cannot decode ${what}: ${(error as Error).message}; the record's image bytes are damaged or not an image, re-run preprocess.`,
      encoded,
    );
  }
  const { data, info } = result;
  if (info.width !== size || info.height !== size || info.channels !== channels) {
    throw new Error(`decoding ${what} gave ${info.width}×${info.height}×${info.channels}, expected ${size}×${size}×${channels}.`);
  }
  return data;
}

/** Pixels as float32 in [0, 1] (value / 255), the scaling recorded in preprocessing.json. */
export function rgbToFloat(rgb: Uint8Array, out = new Float32Array(rgb.length), offset = 0): Float32Array {
  for (let i = 0; i < rgb.length; i++) out[offset + i] = rgb[i]! / 255;
  return out;
}
