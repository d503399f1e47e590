import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import {
  DUPLICATE_MAX_BITS,
  UNRELATED_MIN_BITS,
  makeDemoImageSet,
  type DemoImageSet,
} from '../../../../components/image-classifier/demo-data/make-demo-image-set';
import { readManifest } from '../../../../components/image-classifier/preprocess/manifest';
import { hammingDistance, pHashOfImage } from '../../../../components/image-classifier/preprocess/perceptual-hash';
import { defined } from '../../../support/defined';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-demo-data-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const options = { classes: 3, perClass: 12, size: 32, seed: 5 } as const;
let set: DemoImageSet;
beforeAll(async () => {
  set = await makeDemoImageSet({ dir: path.join(root, 'a'), ...options });
});

const read = (dir: string, image: string) => fs.readFileSync(path.join(dir, image));

describe('makeDemoImageSet', () => {
  it('writes a manifest with one row per file and says what each row is', () => {
    expect(set.classes).toEqual(['circle', 'square', 'triangle']);
    expect(set.perClass).toEqual({ circle: 12, square: 12, triangle: 12 });
    const kinds: Record<string, number> = {};
    for (const row of set.rows) kinds[row.kind] = (kinds[row.kind] ?? 0) + 1;
    expect(kinds).toEqual({ image: 36, 'near-duplicate': 3, corrupt: 2, missing: 1, 'empty-label': 1 });
    const manifest = readManifest(set.manifestPath);
    expect(manifest.rows.map(({ image, label, split }) => ({ image, label, split }))).toEqual(
      set.rows.map(({ image, label, split }) => ({ image, label, split })),
    );
    expect(fs.readFileSync(set.manifestPath, 'utf8').split('\n')[0]).toBe('image,label,split');
  });

  it('pins a few rows to a split and leaves the rest empty', () => {
    expect(set.fixedSplits.map((row) => row.split)).toEqual(['test', 'val']);
    expect(set.rows.filter((row) => row.split !== undefined)).toHaveLength(2);
  });

  it('writes decodable PNG and JPEG images of the requested size', async () => {
    const formats = new Set<string>();
    for (const row of set.rows.filter((r) => r.kind === 'image' || r.kind === 'empty-label')) {
      const metadata = await sharp(read(set.dir, row.image)).metadata();
      expect([metadata.width, metadata.height]).toEqual([32, 32]);
      formats.add(metadata.format);
    }
    expect([...formats].sort()).toEqual(['jpeg', 'png']);
  });

  it('writes corrupt files that sharp refuses, and no file for the missing row', async () => {
    for (const image of set.corrupt) await expect(sharp(read(set.dir, image), { failOn: 'warning' }).raw().toBuffer()).rejects.toThrow();
    expect(fs.existsSync(path.join(set.dir, defined(set.missing[0], 'a missing image')))).toBe(false);
    expect(set.rows.find((row) => row.kind === 'empty-label')!.label).toBe('');
  });

  it('is a pHash ground truth: copies close to their original, everything else far apart', async () => {
    const hashes = new Map<string, bigint>();
    for (const row of set.rows.filter((r) => r.kind === 'image' || r.kind === 'near-duplicate'))
      hashes.set(row.image, await pHashOfImage(read(set.dir, row.image)));
    for (const { image, of } of set.nearDuplicates)
      expect(hammingDistance(hashes.get(image)!, hashes.get(of)!)).toBeLessThanOrEqual(DUPLICATE_MAX_BITS);
    const twins = new Set(set.nearDuplicates.flatMap(({ image, of }) => [`${image}|${of}`, `${of}|${image}`]));
    const images = [...hashes.keys()];
    let closest = 64;
    for (let i = 0; i < images.length; i++) {
      for (let j = i + 1; j < images.length; j++) {
        if (!twins.has(`${images[i]}|${images[j]}`))
          closest = Math.min(closest, hammingDistance(hashes.get(images[i]!)!, hashes.get(images[j]!)!));
      }
    }
    expect(closest).toBeGreaterThanOrEqual(UNRELATED_MIN_BITS - DUPLICATE_MAX_BITS);
  });

  it('is byte-identical for the same seed and differs for another', async () => {
    const again = await makeDemoImageSet({ dir: path.join(root, 'b'), ...options });
    const other = await makeDemoImageSet({ dir: path.join(root, 'c'), ...options, seed: 6 });
    expect(fs.readFileSync(again.manifestPath, 'utf8')).toBe(fs.readFileSync(set.manifestPath, 'utf8'));
    for (const row of set.rows.filter((r) => r.kind !== 'missing'))
      expect(read(again.dir, row.image).equals(read(set.dir, row.image))).toBe(true);
    expect(fs.readFileSync(other.manifestPath, 'utf8')).not.toBe(fs.readFileSync(set.manifestPath, 'utf8'));
  });

  it('rejects options it cannot honour', async () => {
    await expect(makeDemoImageSet({ dir: root, classes: 9 })).rejects.toThrow(
      'makeDemoImageSet: classes must be 1–6 (there are 6 shapes: circle, square, triangle, stripes, ring, checker), got 9.',
    );
    await expect(makeDemoImageSet({ dir: root, classes: ['circle', 'hexagon' as never] })).rejects.toThrow(/classes must be names from/);
  });
});
