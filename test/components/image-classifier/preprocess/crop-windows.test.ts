import {
  CROP_WINDOWS,
  resampleWindow,
  windowsNear,
  type CropWindow,
} from '../../../../components/image-classifier/preprocess/crop-windows';

/** The definition, sample by sample: bilinear at 2×2 points per output pixel, summed. */
function reference(grey: Uint8Array, [x0, y0, width, height]: CropWindow, side: number): Float32Array {
  const out = new Float32Array(side * side);
  const at = (start: number, extent: number, k: number) => {
    const position = Math.min(31, Math.max(0, start * 32 + (k + 0.5) * ((extent * 32) / (side * 2)) - 0.5));
    const index = Math.min(30, Math.floor(position));
    return [index, position - index] as const;
  };
  for (let j = 0; j < side; j++)
    for (let i = 0; i < side; i++) {
      let sum = 0;
      for (let sy = 0; sy < 2; sy++) {
        const [yi, fy] = at(y0, height, j * 2 + sy);
        for (let sx = 0; sx < 2; sx++) {
          const [xi, fx] = at(x0, width, i * 2 + sx);
          const top = grey[yi * 32 + xi]! * (1 - fx) + grey[yi * 32 + xi + 1]! * fx;
          const bottom = grey[(yi + 1) * 32 + xi]! * (1 - fx) + grey[(yi + 1) * 32 + xi + 1]! * fx;
          sum += top * (1 - fy) + bottom * fy;
        }
      }
      out[j * side + i] = sum;
    }
  return out;
}

describe('resampleWindow', () => {
  const grey = Uint8Array.from({ length: 1024 }, (_, p) => (p * 7919 + (p >> 3) * 31) % 256);

  it('gives exactly the bilinear samples of every window the search uses, at both sizes', () => {
    const windows = [[0, 0, 1, 1] as CropWindow, ...CROP_WINDOWS.flatMap((_, w) => windowsNear(w))];
    for (const window of windows)
      for (const side of [16, 32]) expect(resampleWindow(grey, window, side)).toEqual(reference(grey, window, side));
  });

  it('names a window that does not exist', () => {
    expect(() => windowsNear(CROP_WINDOWS.length)).toThrow('crop window 9 does not exist; there are 9.');
  });
});
