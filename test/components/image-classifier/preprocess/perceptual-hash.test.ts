import sharp from 'sharp';
import {
  hammingDistance,
  hashToHex,
  hashToSignedInt64,
  pHashFromGrey,
  pHashOfImage,
} from '../../../../components/image-classifier/preprocess/perceptual-hash';
import { seededRandom } from '../../../../components/image-classifier/preprocess/seeded-random';

/** A smooth-ish random 32×32 grey image in [lo, hi]: distinct DCT coefficients, no clipping. */
function greyImage(seed: number, lo = 20, hi = 200): Uint8Array {
  const random = seededRandom(seed);
  const pixels = new Uint8Array(32 * 32);
  const a = random() * 6;
  const b = random() * 6;
  for (let y = 0; y < 32; y++) {
    for (let x = 0; x < 32; x++) {
      const wave = (Math.sin(x / (2 + a)) + Math.cos(y / (2 + b)) + Math.sin((x + y) / 5)) / 3;
      pixels[y * 32 + x] = Math.round(lo + ((wave + 1) / 2) * (hi - lo - 10) + random() * 10);
    }
  }
  return pixels;
}

const popcount = (hash: bigint) => hammingDistance(hash, 0n);

describe('pHash', () => {
  it('sets the DC bit and exactly 31 of the 63 AC bits (those above their median)', () => {
    for (const seed of [1, 2, 3]) {
      const hash = pHashFromGrey(greyImage(seed));
      expect(hash >> 63n).toBe(1n);
      expect(popcount(hash)).toBe(32);
    }
  });

  it('ignores a uniform brightness change (only the DC coefficient moves)', () => {
    const pixels = greyImage(4);
    const brighter = pixels.map((value) => value + 40);
    expect(pHashFromGrey(brighter)).toBe(pHashFromGrey(pixels));
  });

  it('flips every AC bit but the median one when the image is inverted', () => {
    const pixels = greyImage(5);
    const inverted = pixels.map((value) => 255 - value);
    expect(hammingDistance(pHashFromGrey(pixels), pHashFromGrey(inverted))).toBe(62);
  });

  it('hashes an encoded image as its 32×32 grey pixels', async () => {
    const pixels = greyImage(6);
    const png = await sharp(Buffer.from(pixels), { raw: { width: 32, height: 32, channels: 1 } })
      .png()
      .toBuffer();
    expect(await pHashOfImage(png)).toBe(pHashFromGrey(pixels));
  });

  it('tells the caller what input it needs', () => {
    expect(() => pHashFromGrey(new Uint8Array(100))).toThrow(
      'pHash needs 32×32 = 1024 grey pixels, got 100; resize to 32×32 greyscale first.',
    );
  });

  it('rejects bytes that are not an image', async () => {
    await expect(pHashOfImage(Buffer.from('not an image'))).rejects.toThrow(/unsupported image format/);
  });
});

describe('hash helpers', () => {
  it('counts differing bits over all 64', () => {
    expect(hammingDistance(0n, 0xffffffffffffffffn)).toBe(64);
    expect(hammingDistance(0x8000000000000001n, 1n)).toBe(1);
    expect(hammingDistance(0xf0n, 0x0fn)).toBe(8);
    expect(hammingDistance(0x123456789abcdef0n, 0x123456789abcdef0n)).toBe(0);
  });

  it('formats hashes as 16 hex digits and as the signed int64 a feature stores', () => {
    expect(hashToHex(0xabcn)).toBe('0000000000000abc');
    expect(hashToSignedInt64(0xffffffffffffffffn)).toBe(-1n);
    expect(hashToSignedInt64(0x7fffffffffffffffn)).toBe(0x7fffffffffffffffn);
  });
});
