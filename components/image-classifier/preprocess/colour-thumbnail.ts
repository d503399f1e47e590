/**
 * The two views of an image's 32×32 RGB pixels the near-duplicate search keeps: grey levels (the
 * pHash input, and the pixel check of crops) and, for images with colour, a 16×16 colour
 * thumbnail for the pixel check of whole images.
 *
 * Why colour: a brightness change acts on each of R, G and B (gain, then clipping at 255), and a
 * grey level mixes the three, so where one channel clips (a sky whose blue is already 255) grey
 * no longer follows one gain: in the scenes of planted-near-duplicates.test.ts a +10 % and a +20 %
 * copy correlated only 0.992 and 0.989 with their originals in grey, under a look-alike's 0.9948,
 * and 0.9997 and 0.9984 with the three planes side by side, one gain for all. Grey images need no
 * colour view: their planes are equal, and the colour correlation is the grey one.
 */

/** Side of the colour thumbnail: half the 32 px decode, each value a 2×2 sum. */
export const COLOUR_SIDE = 16;

export interface ImagePixels {
  /** side × side grey levels, row-major. */
  readonly grey: Uint8Array;
  /**
   * Three COLOUR_SIDE² planes (R, then G, then B), each value the sum of a 2×2 block (0–1020);
   * absent when every pixel is grey (R = G = B).
   */
  readonly colour?: Uint16Array;
}

/**
 * Splits interleaved RGB pixels (side × side × 3, side = 2 × COLOUR_SIDE) into the two views.
 * Grey is ITU-R BT.601 luma of the sRGB values (JPEG's Y): an equal R, G and B is that level.
 */
export function imagePixelsFromRgb(rgb: Uint8Array, side: number): ImagePixels {
  if (rgb.length !== side * side * 3 || side !== 2 * COLOUR_SIDE) {
    throw new Error(
      `expected ${2 * COLOUR_SIDE}×${2 * COLOUR_SIDE} RGB pixels (${12 * COLOUR_SIDE * COLOUR_SIDE} bytes), got ${rgb.length} bytes for side ${side}.`,
    );
  }
  const grey = new Uint8Array(side * side);
  let coloured = false;
  for (let p = 0; p < side * side; p++) {
    const r = rgb[3 * p]!;
    const g = rgb[3 * p + 1]!;
    const b = rgb[3 * p + 2]!;
    if (r !== g || g !== b) coloured = true;
    grey[p] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
  }
  if (!coloured) return { grey };
  const plane = COLOUR_SIDE * COLOUR_SIDE;
  const colour = new Uint16Array(3 * plane);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const cell = (y >> 1) * COLOUR_SIDE + (x >> 1);
      const p = 3 * (y * side + x);
      colour[cell]! += rgb[p]!;
      colour[plane + cell]! += rgb[p + 1]!;
      colour[2 * plane + cell]! += rgb[p + 2]!;
    }
  }
  return { grey, colour };
}
