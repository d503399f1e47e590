/**
 * Reads and checks one manifest image: the file exists, sharp decodes it completely, and its
 * perceptual hash. One pass over every row, before anything is written.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import sharp from 'sharp';
import { missingFileMessage } from './image-location';
import { pHashOfImage } from './perceptual-hash';

export type InspectedImage =
  | {
      readonly ok: true;
      /** Size as displayed, after EXIF orientation. */
      readonly width: number;
      readonly height: number;
      /** sharp's name of the source format: jpeg, png, webp, … */
      readonly format: string;
      readonly phash: bigint;
      /** sha256 of the source file, hex. */
      readonly sha256: string;
    }
  | { readonly ok: false; readonly reason: 'missing' | 'undecodable'; readonly message: string };

/** Inspects the image at `localPath` (named `reference` in the manifest); never throws for a bad image. */
export async function inspectImage(reference: string, localPath: string): Promise<InspectedImage> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(localPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, reason: 'missing', message: missingFileMessage(reference, localPath) };
    if (code === 'EISDIR') return { ok: false, reason: 'missing', message: `${localPath} is a folder, not an image file` };
    throw error;
  }
  try {
    const metadata = await sharp(bytes).metadata();
    // Orientations 5–8 turn the image by 90°, which swaps the displayed width and height.
    const turned = (metadata.orientation ?? 1) >= 5;
    const phash = await pHashOfImage(bytes);
    return {
      ok: true,
      width: turned ? metadata.height : metadata.width,
      height: turned ? metadata.width : metadata.height,
      format: metadata.format,
      phash,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    };
  } catch (error) {
    return {
      ok: false,
      reason: 'undecodable',
      message: `${localPath} is not a readable image (${bytes.length} bytes): ${decodeErrorSummary(error)}; the file is truncated, damaged or not an image: re-export it or remove the row`,
    };
  }
}

/**
 * sharp's own clause of a decode error ("Input buffer has corrupt header"), without the libvips
 * detail after it: libvips keeps that detail in one process-wide buffer, so with several images
 * decoding at once it is sometimes empty or another image's, and reports must not depend on it.
 */
export function decodeErrorSummary(error: unknown): string {
  const first = (error instanceof Error ? error.message : String(error)).split('\n')[0].trim();
  const clause = first.split(':')[0].trim();
  return clause === '' || clause.startsWith('Vips') ? first.replace(/:\s*$/, '') : clause;
}
