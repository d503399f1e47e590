import { COLOUR_SIDE, imagePixelsFromRgb } from '../../../../components/image-classifier/preprocess/colour-thumbnail';

const SIDE = 2 * COLOUR_SIDE;

describe('imagePixelsFromRgb', () => {
  it('gives grey images their level and no colour view', () => {
    const rgb = new Uint8Array(SIDE * SIDE * 3).map((_, i) => Math.floor(i / 3) % 256);
    const pixels = imagePixelsFromRgb(rgb, SIDE);
    expect(pixels.colour).toBeUndefined();
    expect(Array.from(pixels.grey.subarray(0, 4))).toEqual([0, 1, 2, 3]);
  });

  it('sums 2×2 blocks into R, G and B planes, and weighs grey as BT.601 luma', () => {
    const rgb = new Uint8Array(SIDE * SIDE * 3);
    // Top-left 2×2 block red 200, the pixel right of it green 100.
    for (const p of [0, 1, SIDE, SIDE + 1]) rgb[3 * p] = 200;
    rgb[3 * 2 + 1] = 100;
    const { grey, colour } = imagePixelsFromRgb(rgb, SIDE);
    const plane = COLOUR_SIDE * COLOUR_SIDE;
    expect([colour![0], colour![plane], colour![2 * plane]]).toEqual([800, 0, 0]);
    expect([colour![1], colour![plane + 1]]).toEqual([0, 100]);
    expect([grey[0], grey[2]]).toEqual([Math.round(0.299 * 200), Math.round(0.587 * 100)]);
  });

  it('says what size it needs', () => {
    expect(() => imagePixelsFromRgb(new Uint8Array(10), SIDE)).toThrow('expected 32×32 RGB pixels (3072 bytes), got 10 bytes for side 32.');
  });
});
