/**
 * Decides which images are copies of another: exact copies by content hash (sha256 of the file),
 * near-duplicates by a candidate search (whole-image pHash within the radius, or a crop window's
 * pHash within CROP_HASH_RADIUS of the other whole, crop-windows.ts) confirmed by a pixel check
 * (thumbnail-similarity.ts) of the wholes and of the windows that lined up.
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
import { HammingIndex } from './hamming-index';
import { CROP_WINDOWS, cropWindowHashes, windowsNear, WINDOWS_NEAR } from './crop-windows';
import { hammingDistance } from './perceptual-hash';
import { thumbnailSignature, thumbnailSimilarity, windowThumbnail, type Thumbnail, type ThumbnailSignature } from './thumbnail-similarity';

// Bound once: under Jest every global lookup (`Math`) goes through the vm context's interceptor.
const { floor, max, min } = Math;

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
const ALL_WINDOWS: Candidate['windows'] = CROP_WINDOWS.flatMap((_, window) => [
  { cropped: 'twin' as const, window },
  { cropped: 'item' as const, window },
]);

export interface DedupeItem {
  readonly sha256: string;
  readonly phash: bigint;
  /** The 32×32 grey pixels the pHash was taken from. */
  readonly thumbnail: Uint8Array;
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
    throw new DedupeOptionsError(`dedupeThreshold is ${maxHashDistance}; use 0–64 pHash bits (12 is the measured default), or -1 to keep near-duplicates.`);
  }
  if (!(minSimilarity >= -1 && minSimilarity <= 1)) {
    throw new DedupeOptionsError(`dedupeMinSimilarity is ${minSimilarity}; use a correlation in [-1, 1] (0.995 is the measured default; higher removes fewer images).`);
  }
}

export function findDuplicates(items: readonly DedupeItem[], options: DedupeOptions): DedupeResult {
  validateDedupeOptions(options);
  const near = options.maxHashDistance >= 0;
  const cropRadius = min(options.maxHashDistance, CROP_HASH_RADIUS);
  const index = near ? new HammingIndex(options.maxHashDistance) : undefined;
  // Crop candidates: a kept image's windows against a later image's whole pHash, and a later
  // image's windows against kept images' whole pHashes (the cropped copy may come first).
  const windowIndex = near ? new HammingIndex(cropRadius) : undefined;
  const wholeIndex = near ? new HammingIndex(cropRadius) : undefined;
  const signatures: (ImageSignature | undefined)[] = new Array(items.length);
  const signatureOf = (i: number) => (signatures[i] ??= imageSignature(items[i]));
  const windows = new WindowThumbnails((i) => items[i].thumbnail);
  const keptBySha = new Map<string, number>();
  const removedAs: (Match | undefined)[] = new Array(items.length).fill(undefined);
  const leakage: LeakagePair[] = [];

  /** Kept items this one copies, best first (exact copies, then by similarity, then by order). */
  const matchesOf = (i: number): Match[] => {
    const item = items[i];
    const matches: Match[] = [];
    const exact = keptBySha.get(item.sha256);
    if (exact !== undefined) matches.push({ twin: exact, reason: 'exact', distance: 0, similarity: 1 });
    if (index && windowIndex && wholeIndex) {
      const candidates = new Map<number, Candidate>();
      const candidate = (twin: number) => {
        let found = candidates.get(twin);
        if (!found) candidates.set(twin, (found = { whole: false, windows: [] }));
        return found;
      };
      for (const hit of index.within(item.phash)) candidate(hit.id).whole = true;
      for (const hit of windowIndex.within(item.phash)) candidate(floor(hit.id / CROP_WINDOWS.length)).windows.push({ cropped: 'twin', window: hit.id % CROP_WINDOWS.length });
      const own = signatureOf(i);
      own.windowHashes.forEach((hash, window) => {
        for (const hit of wholeIndex.within(hash)) candidate(hit.id).windows.push({ cropped: 'item', window });
      });
      for (const [twin, found] of [...candidates].sort((x, y) => x[0] - y[0])) {
        if (twin === exact) continue;
        const similarity = candidateSimilarity(twin, i, signatureOf(twin), own, found, windows.of);
        if (similarity >= options.minSimilarity) matches.push({ twin, reason: 'near', distance: hammingDistance(items[twin].phash, item.phash), similarity });
      }
    }
    return matches.sort((a, b) => (a.reason === b.reason ? 0 : a.reason === 'exact' ? -1 : 1) || b.similarity - a.similarity || a.twin - b.twin);
  };
  const keep = (i: number) => {
    if (!keptBySha.has(items[i].sha256)) keptBySha.set(items[i].sha256, i);
    if (!index || !windowIndex || !wholeIndex) return;
    index.add(i, items[i].phash);
    wholeIndex.add(i, items[i].phash);
    signatureOf(i).windowHashes.forEach((hash, window) => windowIndex.add(i * CROP_WINDOWS.length + window, hash));
  };

  const fixed = items.flatMap((item, i) => (item.fixedSplit !== undefined ? [i] : []));
  const free = items.flatMap((item, i) => (item.fixedSplit === undefined ? [i] : []));
  for (const i of fixed) {
    for (const match of matchesOf(i)) if (items[match.twin].fixedSplit !== items[i].fixedSplit) leakage.push({ item: i, ...match });
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

/** Why a kept image is a candidate for an item: its whole pHash, and which crop windows lined up. */
export interface Candidate {
  whole: boolean;
  readonly windows: { readonly cropped: 'twin' | 'item'; readonly window: number }[];
}

interface ImageSignature extends ThumbnailSignature {
  readonly windowHashes: readonly bigint[];
}

function imageSignature(item: DedupeItem): ImageSignature {
  return { ...thumbnailSignature(item.thumbnail), windowHashes: cropWindowHashes(item.thumbnail) };
}

/**
 * The best thumbnail similarity of a candidate pair: whole against whole when the pHashes are
 * close, and, for each crop window that lined up, the window of one against the other whole. The
 * windows are skipped for pairs whose wholes correlate under CROP_CHECK_MIN_SIMILARITY: they are
 * no crop of each other, and on Fashion-MNIST crop-window hashes line up for many such pairs.
 */
export function candidateSimilarity(
  twinIndex: number,
  itemIndex: number,
  twin: ThumbnailSignature,
  item: ThumbnailSignature,
  candidate: Candidate,
  windowOf: (index: number, window: number, near: number) => Thumbnail,
): number {
  let best = candidate.whole ? thumbnailSimilarity(twin, item) : -1;
  if (twin.flat || item.flat || dot(twin.unit, item.unit) < CROP_CHECK_MIN_SIMILARITY) return best;
  // Close wholes are tried at every window too: resampling shifts an upscaled copy by part of a
  // pixel, which a 2.5 % window lines up again (the demo set's 2× PNG copies of 32 px JPEGs).
  const windows = best >= ALL_WINDOWS_MIN_SIMILARITY ? ALL_WINDOWS : candidate.windows;
  for (const { cropped, window } of windows) {
    const [source, other] = cropped === 'twin' ? [twinIndex, item] : [itemIndex, twin];
    for (let near = 0; near < WINDOWS_NEAR; near++) best = max(best, thumbnailSimilarity(windowOf(source, window, near), other));
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
    return (thumbnails[slot] ??= windowThumbnail(this.greyOf(index), windowsNear(window)[near]));
  };
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}
