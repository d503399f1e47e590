/**
 * Decides which images are copies of another: exact copies by content hash (sha256 of the file),
 * near-duplicates by a candidate search (candidate-search.ts: whole-image pHash within the radius
 * or cosine hash within its radius, or a crop window's pHash within CROP_HASH_RADIUS of the other
 * whole) confirmed by a pixel check (thumbnail-similarity.ts) of the wholes, in grey and in colour,
 * and of the windows that lined up.
 *
 * Not transitive: an image is removed only when it matches an image already KEPT. Grouping by
 * transitive closure (a~b, b~c ⇒ a~c) chains look-alikes of one class into large groups and threw
 * away 38–50 % of real, distinct Fashion-MNIST images; here a chain a~b~c with a and c far apart
 * keeps a and c.
 *
 * Order: rows whose split the manifest fixes come first and are never removed (the manifest's
 * split is the user's decision; for the official test set of a benchmark, removing rows would
 * change the benchmark); then the other rows in manifest order. A fixed row that matches a kept
 * fixed row of another split is leakage, reported, not resolved.
 */
import { KfpTsError } from '../../../compiler/errors/kfp-ts-error';
import { CandidateSearch, itemWindowBit, twinWindowBit } from './candidate-search';
import { CROP_WINDOWS, windowsNear, WINDOWS_NEAR } from './crop-windows';
import { halvesDistance } from './hamming-index';
import { imageSignature, WINDOW_COUNT, type ImageSignature, type SearchHashes } from './image-signature';
import { similarityFromCorrelation, thumbnailSimilarity, windowThumbnail, type Thumbnail } from './thumbnail-similarity';

// Bound once: under Jest every global lookup (`Math`) goes through the vm context's interceptor.
const { max, min } = Math;

/**
 * pHash bits between a crop window of one image and the whole of another for the pair to be a crop
 * candidate (bench/dedupe.ts measures the planted crops' distances).
 */
export const CROP_HASH_RADIUS = 7;
/**
 * Below this NCC of the wholes, a pair is no crop of the other: 5 % crops of 28 px Fashion-MNIST
 * images correlate 0.89 or more with their original uncropped (bench/dedupe.ts).
 */
const CROP_CHECK_MIN_SIMILARITY = 0.8;
/** Whole-image candidates this close get every window tried (few pairs: see candidateSimilarity). */
const ALL_WINDOWS_MIN_SIMILARITY = 0.98;
const ALL_WINDOWS = CROP_WINDOWS.reduce((mask, _, window) => mask | twinWindowBit(window) | itemWindowBit(window), 0);

export interface DedupeItem {
  readonly sha256: string;
  readonly phash: bigint;
  /** The 32×32 grey pixels the pHash was taken from. */
  readonly thumbnail: Uint8Array;
  /** A colour image's colour thumbnail (colour-thumbnail.ts); absent for grey images. */
  readonly colour?: Uint16Array;
  /** searchHashes(thumbnail) when the caller made them already (image-signature.ts); else made here. */
  readonly hashes?: SearchHashes;
  /** The split the manifest fixes for this row, if any: such a row is never removed. */
  readonly fixedSplit?: string;
}

export interface DedupeOptions {
  /**
   * pHash candidates: pairs at most this many bits apart (of 64) get the pixel check; negative
   * turns near-duplicate detection off (exact copies are still removed).
   */
  readonly maxHashDistance: number;
  /** Thumbnail similarity (NCC, thumbnail-similarity.ts) at or above which a candidate is a near-duplicate. */
  readonly minSimilarity: number;
}

export type MatchReason = 'exact' | 'near';

export interface Match {
  /** Index of the kept item matched. */
  readonly twin: number;
  readonly reason: MatchReason;
  /** pHash bits apart. */
  readonly distance: number;
  /** Thumbnail similarity; 1 for an exact copy. */
  readonly similarity: number;
}

export interface LeakagePair extends Match {
  /** Index of the later fixed item, kept in its own split. */
  readonly item: number;
}

export interface DedupeResult {
  /** For each item: the kept item it copies (then it is removed), or undefined (kept). */
  readonly removedAs: (Match | undefined)[];
  /** Fixed items matching a fixed item of another split, in processing order. */
  readonly leakage: LeakagePair[];
}

export class DedupeOptionsError extends KfpTsError {
  override readonly name = 'DedupeOptionsError';
}

export function validateDedupeOptions(options: DedupeOptions): void {
  const { maxHashDistance, minSimilarity } = options;
  if (!Number.isInteger(maxHashDistance) || maxHashDistance < -1 || maxHashDistance > 64) {
    throw new DedupeOptionsError(
      `dedupeThreshold is ${maxHashDistance}; use 0–64 pHash bits (12 is the measured default), or -1 to keep near-duplicates.`,
    );
  }
  if (!(minSimilarity >= -1 && minSimilarity <= 1)) {
    throw new DedupeOptionsError(
      `dedupeMinSimilarity is ${minSimilarity}; use a correlation in [-1, 1] (0.995 is the measured default; higher removes fewer images).`,
    );
  }
}

export function findDuplicates(items: readonly DedupeItem[], options: DedupeOptions): DedupeResult {
  validateDedupeOptions(options);
  const near = options.maxHashDistance >= 0;
  const search = near ? new CandidateSearch(options.maxHashDistance, min(options.maxHashDistance, CROP_HASH_RADIUS)) : undefined;
  const signatures: (ImageSignature | undefined)[] = new Array(items.length);
  const signatureOf = (i: number) => (signatures[i] ??= imageSignature(items[i]!));
  const windows = new WindowThumbnails((i) => items[i]!.thumbnail);
  const keptBySha = new Map<string, number>();
  const removedAs: (Match | undefined)[] = new Array(items.length).fill(undefined);
  const leakage: LeakagePair[] = [];

  /** Kept items this one copies, best first (exact copies, then by similarity, then by order). */
  const matchesOf = (i: number): Match[] => {
    const item = items[i]!;
    const matches: Match[] = [];
    const exact = keptBySha.get(item.sha256);
    if (exact !== undefined) matches.push({ twin: exact, reason: 'exact', distance: 0, similarity: 1 });
    if (search) {
      const own = signatureOf(i);
      for (const twin of search.candidatesOf(own, items.length)) {
        if (twin === exact) continue;
        const twinSignature = signatureOf(twin);
        const similarity = candidateSimilarity(twin, i, twinSignature, own, search.isWhole(twin), search.windowMask(twin), windows.of);
        if (similarity >= options.minSimilarity)
          matches.push({ twin, reason: 'near', distance: halvesDistance(twinSignature.phash, own.phash), similarity });
      }
    }
    return matches.sort(
      (a, b) => (a.reason === b.reason ? 0 : a.reason === 'exact' ? -1 : 1) || b.similarity - a.similarity || a.twin - b.twin,
    );
  };
  const keep = (i: number) => {
    if (!keptBySha.has(items[i]!.sha256)) keptBySha.set(items[i]!.sha256, i);
    search?.add(i, signatureOf(i));
  };

  const fixed = items.flatMap((item, i) => (item.fixedSplit !== undefined ? [i] : []));
  const free = items.flatMap((item, i) => (item.fixedSplit === undefined ? [i] : []));
  for (const i of fixed) {
    for (const match of matchesOf(i)) if (items[match.twin]!.fixedSplit !== items[i]!.fixedSplit) leakage.push({ item: i, ...match });
    keep(i);
  }
  for (const i of free) {
    const [best] = matchesOf(i);
    if (best) {
      removedAs[i] = best;
      // Only kept images are compared again: the memory goes with the removed ones.
      signatures[i] = undefined;
    } else keep(i);
  }
  return { removedAs, leakage };
}

/**
 * Similarity of two whole images: of their colour thumbnails when both have colour, else of their
 * grey ones. Colour follows a brightness change channel by channel (colour-thumbnail.ts), and a
 * colour difference that grey hides is a real one: in planted-near-duplicates.test.ts a look-alike
 * scene with one small shape added correlates 0.9951 in grey but 0.9943 in colour, while every
 * planted copy reaches 0.9974 or more.
 */
function wholeSimilarity(twin: ImageSignature, item: ImageSignature, greyCorrelation: number): number {
  if (twin.colour && item.colour) return thumbnailSimilarity(twin.colour, item.colour);
  return twin.flat || item.flat ? thumbnailSimilarity(twin, item) : similarityFromCorrelation(twin, item, greyCorrelation);
}

/**
 * The best thumbnail similarity of a candidate pair: whole against whole when the hashes of the
 * wholes are close, and, for each crop window that lined up (windowMask: candidate-search.ts),
 * the window of one against the other whole. The windows are skipped for pairs whose wholes
 * correlate under CROP_CHECK_MIN_SIMILARITY: they are no crop of each other, and on Fashion-MNIST
 * crop-window hashes line up for many such pairs.
 */
export function candidateSimilarity(
  twinIndex: number,
  itemIndex: number,
  twin: ImageSignature,
  item: ImageSignature,
  whole: boolean,
  windowMask: number,
  windowOf: (index: number, window: number, near: number) => Thumbnail,
): number {
  // The wholes' NCC once: the grey check and the crop gate both start from it.
  const correlation = dot(twin.unit, item.unit);
  let best = whole ? wholeSimilarity(twin, item, correlation) : -1;
  if (twin.flat || item.flat || correlation < CROP_CHECK_MIN_SIMILARITY) return best;
  // Close wholes are tried at every window too: resampling shifts an upscaled copy by part of a
  // pixel, which a 2.5 % window lines up again (the demo set's 2× PNG copies of 32 px JPEGs).
  const mask = best >= ALL_WINDOWS_MIN_SIMILARITY ? ALL_WINDOWS : windowMask;
  for (let window = 0; window < WINDOW_COUNT; window++) {
    if (mask & twinWindowBit(window))
      for (let near = 0; near < WINDOWS_NEAR; near++) best = max(best, thumbnailSimilarity(windowOf(twinIndex, window, near), item));
    if (mask & itemWindowBit(window))
      for (let near = 0; near < WINDOWS_NEAR; near++) best = max(best, thumbnailSimilarity(windowOf(itemIndex, window, near), twin));
  }
  return best;
}

/**
 * The window thumbnails of images, made when first asked for and kept for up to `capacity`
 * images at a time (27 × 2 KiB each at most), dropped all at once when full: memory stays bounded
 * on any data set, and the images compared next, the recent ones, are made again at most once.
 */
class WindowThumbnails {
  private readonly cache = new Map<number, Thumbnail[]>();
  constructor(
    private readonly greyOf: (index: number) => Uint8Array,
    private readonly capacity = 8192,
  ) {}
  readonly of = (index: number, window: number, near: number): Thumbnail => {
    let thumbnails = this.cache.get(index);
    if (!thumbnails) {
      if (this.cache.size >= this.capacity) this.cache.clear();
      this.cache.set(index, (thumbnails = []));
    }
    const slot = window * WINDOWS_NEAR + near;
    return (thumbnails[slot] ??= windowThumbnail(this.greyOf(index), windowsNear(window)[near]!));
  };
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}
