/**
 * The stored form of every training image: EXIF orientation applied, scaled to cover size×size and
 * centre-cropped, alpha flattened onto white, sRGB, JPEG. One size and one format make every
 * record the same size class and make decoding at training time cheap and uniform.
 */
import sharp from 'sharp';

export interface EncodeOptions {
  /** Output width and height in pixels. */
  readonly size: number;
  /** JPEG quality, 1–100. */
  readonly quality: number;
}

export interface EncodedImage {
  readonly encoded: Buffer;
  readonly format: 'JPEG';
  readonly width: number;
  readonly height: number;
}

export function validateEncodeOptions({ size, quality }: EncodeOptions): void {
  if (!Number.isInteger(size) || size < 8 || size > 4096)
    throw new Error(`imageSize must be a whole number of pixels in [8, 4096], got ${size}; 64–256 is usual for classifiers.`);
  if (!Number.isInteger(quality) || quality < 1 || quality > 100)
    throw new Error(`jpegQuality must be a whole number in [1, 100], got ${quality}; 90 keeps artefacts invisible.`);
}

export async function resizeAndEncode(source: Buffer, options: EncodeOptions): Promise<EncodedImage> {
  const { data, info } = await sharp(source, { failOn: 'warning' })
    .rotate()
    .resize(options.size, options.size, { fit: 'cover', position: 'centre' })
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .jpeg({ quality: options.quality, chromaSubsampling: '4:2:0' })
    .toBuffer({ resolveWithObject: true });
  return { encoded: data, format: 'JPEG', width: info.width, height: info.height };
}
