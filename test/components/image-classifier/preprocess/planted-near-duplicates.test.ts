/**
 * Every planted near-duplicate is removed and no distinct image is: made-up photos (a gradient sky,
 * overlapping shapes, noise) with copies that are re-encoded (JPEG q60–95, PNG), resized (0.5×, 0.75×, 2×),
 * cropped by 5 % (corner, side, centre) and brightened or darkened by 10–20 %, run through the whole
 * preprocess step. Look-alikes (the same scene with one shape moved or recoloured) must stay.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { preprocessImages } from '../../../../components/image-classifier/preprocess/preprocess-images';
import { seededRandom } from '../../../../components/image-classifier/preprocess/seeded-random';
import { randomShape, renderScene } from '../../../../bench/dedupe-scenes';
import { defined } from '../../../support/defined';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-planted-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

type Variant = (image: Buffer, side: number) => Promise<{ bytes: Buffer; ext: string }>;
const jpeg =
  (quality: number): Variant =>
  async (image) => ({ bytes: await sharp(image).jpeg({ quality }).toBuffer(), ext: 'jpg' });
const VARIANTS: Record<string, Variant> = {
  'jpeg-q60': jpeg(60),
  'jpeg-q95': jpeg(95),
  'png': async (image) => ({ bytes: await sharp(image).png({ compressionLevel: 2 }).toBuffer(), ext: 'png' }),
  'half-size': async (image, side) => ({
    bytes: await sharp(image)
      .resize(side / 2, side / 2)
      .png()
      .toBuffer(),
    ext: 'png',
  }),
  'three-quarter-size': async (image, side) => ({
    bytes: await sharp(image)
      .resize(Math.round(side * 0.75), Math.round(side * 0.75))
      .png()
      .toBuffer(),
    ext: 'png',
  }),
  'double-size': async (image, side) => ({
    bytes: await sharp(image)
      .resize(side * 2, side * 2)
      .jpeg({ quality: 90 })
      .toBuffer(),
    ext: 'jpg',
  }),
  'crop-corner-5%': async (image, side) => ({
    bytes: await sharp(image)
      .extract({ left: 0, top: 0, width: Math.round(side * 0.95), height: Math.round(side * 0.95) })
      .png()
      .toBuffer(),
    ext: 'png',
  }),
  'crop-side-5%': async (image, side) => ({
    bytes: await sharp(image)
      .extract({ left: Math.round(side * 0.05), top: 0, width: Math.round(side * 0.95), height: side })
      .png()
      .toBuffer(),
    ext: 'png',
  }),
  'crop-centre-5%': async (image, side) => {
    const margin = Math.round(side * 0.025);
    return {
      bytes: await sharp(image)
        .extract({ left: margin, top: margin, width: side - 2 * margin, height: side - 2 * margin })
        .jpeg({ quality: 90 })
        .toBuffer(),
      ext: 'jpg',
    };
  },
  'brighter-10%': async (image) => ({ bytes: await sharp(image).linear(1.1, 0).png().toBuffer(), ext: 'png' }),
  'brighter-20%': async (image) => ({ bytes: await sharp(image).linear(1.2, 0).jpeg({ quality: 90 }).toBuffer(), ext: 'jpg' }),
  'darker-10%': async (image) => ({ bytes: await sharp(image).linear(0.9, 0).png().toBuffer(), ext: 'png' }),
  'darker-20%': async (image) => ({ bytes: await sharp(image).linear(0.8, 0).png().toBuffer(), ext: 'png' }),
};

describe('preprocess removes planted near-duplicates and keeps distinct images', () => {
  const SIDES = [64, 96, 128];
  const SCENES_PER_CLASS = 12;
  let removed: Map<string, string>;
  let planted: Map<string, string>;
  let distinct: string[];
  let report: Awaited<ReturnType<typeof preprocessImages>>['report'];

  beforeAll(async () => {
    const random = seededRandom(2024);
    const dir = path.join(root, 'data');
    fs.mkdirSync(path.join(dir, 'images'), { recursive: true });
    const rows: string[] = ['image,label'];
    const write = (name: string, bytes: Buffer, label: string) => {
      fs.writeFileSync(path.join(dir, 'images', name), bytes);
      rows.push(`images/${name},${label}`);
    };
    planted = new Map();
    distinct = [];
    const originals: { name: string; bytes: Buffer; side: number; label: string }[] = [];
    for (const label of ['beach', 'field']) {
      const sky: [string, string] = label === 'beach' ? ['#8fc6ff', '#f2e2b0'] : ['#b8d8ff', '#4f8f3a'];
      for (let s = 0; s < SCENES_PER_CLASS; s++) {
        const side = defined(SIDES[s % SIDES.length], 'a side');
        // Low-detail scenes (one or two shapes) as well as busy ones.
        const shapes = Array.from({ length: 1 + (s % 5) }, () => randomShape(random, side));
        const name = `${label}-${s}.png`;
        const bytes = await renderScene(side, sky, shapes, random);
        write(name, bytes, label);
        distinct.push(name);
        originals.push({ name, bytes, side, label });
        // A look-alike: the same scene with one more shape in black or white (visible in grey).
        const moved = [...shapes, { ...randomShape(random, side), colour: s % 2 === 0 ? '#000000' : '#ffffff' }];
        const lookAlike = `${label}-${s}-look-alike.png`;
        write(lookAlike, await renderScene(side, sky, moved, random), label);
        distinct.push(lookAlike);
      }
    }
    // Each variant of several originals, every side among them.
    let n = 0;
    for (const [variant, make] of Object.entries(VARIANTS)) {
      for (let k = 0; k < 3; k++) {
        const original = defined(originals[(n++ * 5) % originals.length], 'an original');
        const copy = await make(original.bytes, original.side);
        const name = `${original.name.replace('.png', '')}-${variant}-${k}.${copy.ext}`;
        write(name, copy.bytes, original.label);
        planted.set(name, original.name);
      }
    }
    fs.writeFileSync(path.join(dir, 'manifest.csv'), `${rows.join('\n')}\n`);
    const out = path.join(root, 'out');
    const result = await preprocessImages({
      manifest: path.join(dir, 'manifest.csv'),
      outputs: {
        train: path.join(out, 'train'),
        val: path.join(out, 'val'),
        test: path.join(out, 'test'),
        labelMap: path.join(out, 'label_map.json'),
        reportMarkdown: path.join(out, 'report.md'),
        reportJson: path.join(out, 'report.json'),
      },
      imageSize: 16,
      maxBadFraction: 0,
    });
    report = result.report;
    removed = new Map(
      report.duplicateGroups.flatMap((group) =>
        group.removed.map((row) => [path.basename(row.image), path.basename(group.kept.image)] as [string, string]),
      ),
    );
  }, 120_000);

  it('removes every planted copy as a copy of its original', () => {
    const missed = [...planted.keys()].filter((copy) => removed.get(copy) !== planted.get(copy));
    expect(missed.map((copy) => `${copy} → ${removed.get(copy) ?? 'kept'}`)).toEqual([]);
  });

  it('keeps every distinct image, look-alikes included', () => {
    expect(distinct.filter((name) => removed.has(name))).toEqual([]);
    expect(report.duplicatesRemoved).toBe(planted.size);
  });

  it('counts the removed rows per class', () => {
    const perClass = { beach: 0, field: 0 };
    for (const copy of planted.keys()) perClass[copy.startsWith('beach') ? 'beach' : 'field']++;
    expect(report.removedPerClass).toEqual(perClass);
  });
});
