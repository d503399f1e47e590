/**
 * Finds the kept images worth a pixel check against a new one, from hashes alone:
 *   - whole: pHashes within the caller's radius, or cosine hashes (cosine-hash.ts) within
 *     COSINE_HASH_RADIUS: re-encodes, resizes and brightness changes of the whole image;
 *   - crops: a crop window's pHash of one within the crop radius of the other's whole pHash, in
 *     both directions (the cropped copy may be the kept one): crop-windows.ts.
 * The candidates of one query are flags and bit masks in arrays indexed by image, reset by a
 * stamp, so a query makes no objects per candidate (on Fashion-MNIST a query has dozens).
 */
import { HammingIndex } from './hamming-index';
import { WINDOW_COUNT, type ImageSignature } from './image-signature';

/**
 * Cosine-hash bits within which a pair is a whole-image candidate. Pairs the pixel check accepts
 * correlate ≥ 0.995, at most 5.7° apart: 2 bits of 64 on average (binomial, p = 5.7 / 180), more
 * than 6 with probability 0.5 % (0.03 % at 0.998). Wider radii cost more than they catch: on
 * 21,000 Fashion-MNIST images, whose outlines correlate highly, a query has 79 candidates within
 * 6 bits, 212 within 8 and 445 within 10 (bench/dedupe.ts prints the count).
 */
export const COSINE_HASH_RADIUS = 6;

/** Bit of a candidate's window mask: window w of the kept image lined up with the new one's whole. */
export const twinWindowBit = (window: number) => 1 << window;
/** Bit of a candidate's window mask: window w of the new image lined up with the kept one's whole. */
export const itemWindowBit = (window: number) => 1 << (WINDOW_COUNT + window);

export class CandidateSearch {
  private readonly whole: HammingIndex;
  private readonly cosine = new HammingIndex(COSINE_HASH_RADIUS);
  /** Kept images' crop windows, id = image × WINDOW_COUNT + window. */
  private readonly windows: HammingIndex;
  /** Kept images' whole pHashes, looked up with a new image's windows. */
  private readonly wholeForWindows: HammingIndex;
  private stamps = new Int32Array(0);
  private stamp = 0;
  private wholeFlags = new Uint8Array(0);
  private masks = new Int32Array(0);

  constructor(wholeRadius: number, cropRadius: number) {
    this.whole = new HammingIndex(wholeRadius);
    this.windows = new HammingIndex(cropRadius);
    this.wholeForWindows = new HammingIndex(cropRadius);
  }

  add(image: number, signature: ImageSignature): void {
    this.whole.add(image, signature.phash);
    this.cosine.add(image, signature.cosine);
    this.wholeForWindows.add(image, signature.phash);
    signature.windowHashes.forEach((hash, window) => this.windows.add(image * WINDOW_COUNT + window, hash));
  }

  /**
   * Kept images that are candidates for `signature`, ascending; isWhole and windowMask tell why,
   * until the next query.
   */
  candidatesOf(signature: ImageSignature, imageCount: number): readonly number[] {
    if (this.stamps.length < imageCount) {
      this.stamps = new Int32Array(imageCount);
      this.wholeFlags = new Uint8Array(imageCount);
      this.masks = new Int32Array(imageCount);
    }
    const stamp = ++this.stamp;
    const list: number[] = [];
    const touch = (image: number) => {
      if (this.stamps[image] === stamp) return;
      this.stamps[image] = stamp;
      this.wholeFlags[image] = 0;
      this.masks[image] = 0;
      list.push(image);
    };
    const markWhole = (image: number) => {
      touch(image);
      this.wholeFlags[image] = 1;
    };
    this.whole.forEachWithin(signature.phash, markWhole);
    this.cosine.forEachWithin(signature.cosine, markWhole);
    this.windows.forEachWithin(signature.phash, (id) => {
      const image = Math.floor(id / WINDOW_COUNT);
      touch(image);
      this.masks[image]! |= twinWindowBit(id % WINDOW_COUNT);
    });
    signature.windowHashes.forEach((hash, window) =>
      this.wholeForWindows.forEachWithin(hash, (image) => {
        touch(image);
        this.masks[image]! |= itemWindowBit(window);
      }),
    );
    return list.sort((a, b) => a - b);
  }

  isWhole(image: number): boolean {
    return this.wholeFlags[image] === 1;
  }

  windowMask(image: number): number {
    return this.masks[image]!;
  }
}
