/**
 * Reads and checks one manifest image: the file exists, sharp decodes it completely, and its
 * perceptual hash. One pass over every row, before anything is written.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { ConcurrencyLimit } from '../lib/storage/concurrency-limit';
import type { FileSource } from '../lib/storage/file-source';
import { isGcsUri } from '../lib/storage/gcs-uri';
import { isUnreadableFileError } from '../lib/storage/read-errors';
import { searchHashes, type SearchHashes } from './image-signature';
import { pHashFromGrey, pixelsOfImage } from './perceptual-hash';

export type InspectedImage =
  | {
      readonly ok: true;
      /** Size as displayed, after EXIF orientation. */
      readonly width: number;
      readonly height: number;
      /** sharp's name of the source format: jpeg, png, webp, … */
      readonly format: string;
      readonly phash: bigint;
      /** The 32×32 grey pixels the pHash was taken from, for the near-duplicate pixel check. */
      readonly thumbnail: Uint8Array;
      /** The colour thumbnail of a colour image (colour-thumbnail.ts), for the same check. */
      readonly colour?: Uint16Array;
      /** The near-duplicate search's other hashes of the thumbnail (image-signature.ts). */
      readonly hashes?: SearchHashes;
      /** sha256 of the source file, hex. */
      readonly sha256: string;
    }
  | { readonly ok: false; readonly reason: 'missing' | 'unreadable' | 'undecodable'; readonly message: string };

/** Said after a local file is not found: the usual cause is a path written relative to the wrong folder. */
const RELATIVE_PATH_HINT = "; paths in the manifest are relative to the manifest's folder, absolute, or gs:// URIs";

/**
 * Inspects the image at `location` (named `reference` in the manifest), read through `files`.
 * Never throws for a bad image: a missing or forbidden file or object is reported as 'missing', a
 * special file (FIFO, device, looping link) or one over `maxBytes` as 'unreadable'.
 * Errors that concern every read (Cloud Storage credentials or endpoint) do throw. `decodeLimit`
 * bounds the decodes in flight, apart from the reads (downloads want more in flight).
 */
export async function inspectImage(
  reference: string,
  location: string,
  files: FileSource,
  decodeLimit: ConcurrencyLimit = (task) => task(),
  maxBytes?: number,
): Promise<InspectedImage> {
  let bytes: Buffer;
  try {
    bytes = await files.read(location, 'image file', maxBytes);
  } catch (error) {
    if (!isUnreadableFileError(error)) throw error;
    // A FIFO, a device, a looping link or an over-size file exists but is not an image to read.
    if (error.reason === 'not-a-file' || error.reason === 'too-large') return { ok: false, reason: 'unreadable', message: error.message };
    const hint = error.reason === 'missing' && !isGcsUri(reference) ? RELATIVE_PATH_HINT : '';
    return { ok: false, reason: 'missing', message: `${error.message}${hint}` };
  }
  const image = bytes;
  const inspected: InspectedImage = await decodeLimit(async () => {
    try {
      const metadata = await sharp(image).metadata();
      // Orientations 5–8 turn the image by 90°, which swaps the displayed width and height.
      const turned = (metadata.orientation ?? 1) >= 5;
      const pixels = await pixelsOfImage(image);
      const thumbnail = pixels.grey;
      return {
        ok: true,
        ...(pixels.colour ? { colour: pixels.colour } : {}),
        width: turned ? metadata.height : metadata.width,
        height: turned ? metadata.width : metadata.height,
        format: metadata.format,
        phash: pHashFromGrey(thumbnail),
        thumbnail,
        sha256: createHash('sha256').update(image).digest('hex'),
      };
    } catch (error) {
      return {
        ok: false,
        reason: 'undecodable',
        message: `${location} is not a readable image (${image.length} bytes): ${decodeErrorSummary(error)}; the file is truncated, damaged or not an image: re-export it or remove the row`,
      };
    }
  });
  // Outside the decode limit: the hashing runs here, on this thread, while the next decodes run on sharp's.
  return inspected.ok ? { ...inspected, hashes: searchHashes(inspected.thumbnail) } : inspected;
}

/**
 * sharp's own clause of a decode error ("Input buffer has corrupt header"), without the libvips
 * detail after it: libvips keeps that detail in one process-wide buffer, so with several images
 * decoding at once it is sometimes empty or another image's, and reports must not depend on it.
 */
export function decodeErrorSummary(error: unknown): string {
  const [firstLine = ''] = (error instanceof Error ? error.message : String(error)).split('\n');
  const first = firstLine.trim();
  const [clause = ''] = first.split(':').map((part) => part.trim());
  return clause === '' || clause.startsWith('Vips') ? first.replace(/:\s*$/, '') : clause;
}
