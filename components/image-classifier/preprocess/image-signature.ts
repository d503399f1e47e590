/**
 * What the near-duplicate search keeps of each image it compares, made once per image from the
 * pixels inspection decoded: the 16×16 grey thumbnail (and a colour one for colour images) for the
 * pixel check, and the hashes the candidate search looks up (pHash of the whole and of each crop
 * window, and the cosine hash of the grey thumbnail).
 */
import { cosineHash } from './cosine-hash';
import { CROP_WINDOWS, cropWindowHashHalves } from './crop-windows';
import { hashHalves, type HashHalves } from './hamming-index';
import { thumbnailOfLevels, thumbnailSignature, type Thumbnail, type ThumbnailSignature } from './thumbnail-similarity';

export interface ImageSignature extends ThumbnailSignature {
  readonly phash: HashHalves;
  /** cosineHash of the grey thumbnail. */
  readonly cosine: HashHalves;
  /** pHashes of CROP_WINDOWS, in that order. */
  readonly windowHashes: readonly HashHalves[];
  /** The colour thumbnail (three 16×16 planes) of a colour image. */
  readonly colour?: Thumbnail;
}

/** The hashes of an image the candidate search looks up besides its pHash: the bulk of a signature's cost. */
export interface SearchHashes {
  readonly cosine: HashHalves;
  readonly windowHashes: readonly HashHalves[];
}

/**
 * SearchHashes of 32×32 grey pixels. Inspection calls it right after each decode, on the main
 * thread while sharp decodes the next images on its own threads, so the search does not have to.
 */
export function searchHashes(grey: Uint8Array): SearchHashes {
  return { cosine: cosineHash(thumbnailSignature(grey).unit), windowHashes: cropWindowHashHalves(grey) };
}

export function imageSignature(item: {
  readonly phash: bigint;
  readonly thumbnail: Uint8Array;
  readonly colour?: Uint16Array;
  readonly hashes?: SearchHashes;
}): ImageSignature {
  const grey = thumbnailSignature(item.thumbnail);
  const hashes = item.hashes ?? { cosine: cosineHash(grey.unit), windowHashes: cropWindowHashHalves(item.thumbnail) };
  return {
    ...grey,
    phash: hashHalves(item.phash),
    cosine: hashes.cosine,
    windowHashes: hashes.windowHashes,
    ...(item.colour ? { colour: colourThumbnail(item.colour) } : {}),
  };
}

/** 2×2 sums (colour-thumbnail.ts) to grey levels 0–255. */
function colourThumbnail(sums: Uint16Array): Thumbnail {
  const levels = new Float32Array(sums.length);
  for (let i = 0; i < sums.length; i++) levels[i] = sums[i]! / 4;
  return thumbnailOfLevels(levels);
}

export const WINDOW_COUNT = CROP_WINDOWS.length;
