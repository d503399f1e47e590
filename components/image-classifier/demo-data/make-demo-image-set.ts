/**
 * A small labelled image set for the demo pipeline and the tests, made on the spot and fully
 * determined by its seed: rendered shapes and textures (see render-shapes.ts) as PNG and JPEG
 * files, plus the flaws a real set has and preprocess must handle: near-duplicates (re-encoded or
 * resized copies of other images), corrupt files (a truncated JPEG, text named .png), a manifest
 * row whose file does not exist, a row with an empty label, and a few rows with a fixed split.
 *
 * Layout: `<dir>/manifest.csv` (header `image,label,split`) and `<dir>/images/*`.
 *
 * The set is a ground truth for the near-duplicate step, checked as it is made: every copy is
 * within DUPLICATE_MAX_BITS of its original by pHash, and any two other labelled images are at
 * least UNRELATED_MIN_BITS apart (an image that comes too close to an earlier one is redrawn).
 * Tiny synthetic images hash less stably than photos (a 2× upscale of a 32 px image can move 6
 * bits), so both margins are enforced here rather than assumed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { formatCsvRow } from '../preprocess/csv';
import type { SplitName } from '../preprocess/manifest';
import { hammingDistance, pHashOfImage } from '../preprocess/perceptual-hash';
import { seededRandom, shuffled, type Random } from '../preprocess/seeded-random';
import { DEMO_SHAPES, renderShape, type DemoShape, type RawImage } from './render-shapes';
import { itemAt } from '../../../compiler/util/checked-access';

export interface DemoImageSetOptions {
  /** Folder to write into; created if needed. Existing files of the same names are replaced. */
  readonly dir: string;
  /** How many classes (the first N of DEMO_SHAPES) or which ones. @default 4 */
  readonly classes?: number | readonly DemoShape[];
  /** Clean images per class. @default 24 */
  readonly perClass?: number;
  /** Width and height in pixels. @default 64 */
  readonly size?: number;
  /** @default 1 */
  readonly seed?: number;
  /** Near-duplicate copies of other images. @default 3 */
  readonly nearDuplicates?: number;
}

export type DemoRowKind = 'image' | 'near-duplicate' | 'corrupt' | 'missing' | 'empty-label';

export interface DemoRow {
  /** Path relative to the set's folder, as written in the manifest. */
  readonly image: string;
  /** '' for the empty-label row. */
  readonly label: string;
  readonly split?: SplitName;
  readonly kind: DemoRowKind;
  /** For a near-duplicate: the image it copies. */
  readonly duplicateOf?: string;
}

export interface DemoImageSet {
  readonly dir: string;
  readonly manifestPath: string;
  /** Class names, sorted. */
  readonly classes: string[];
  /** Every manifest row, in manifest order. */
  readonly rows: DemoRow[];
  /** Clean, unique, labelled images per class (near-duplicates and flawed rows not counted). */
  readonly perClass: Record<string, number>;
  readonly nearDuplicates: { image: string; of: string }[];
  /** Files that exist but are not decodable images. */
  readonly corrupt: string[];
  /** Rows whose file does not exist. */
  readonly missing: string[];
  readonly emptyLabel: string[];
  /** Rows that name their split in the manifest. */
  readonly fixedSplits: { image: string; split: SplitName }[];
}

/** How a near-duplicate differs from its original. */
const DUPLICATE_VARIANTS = ['jpeg-q85', 'upscaled-png', 'upscaled-jpeg'] as const;
/** A copy is kept only this close to its original (bits of 64), well inside preprocess's default 6. */
export const DUPLICATE_MAX_BITS = 2;
/** Labelled images that are not copies of each other are at least this far apart. */
export const UNRELATED_MIN_BITS = 12;
/** Redraws allowed for one image before giving up (measured: about 4 images in 100 need one in a set of 1000). */
const MAX_REDRAWS = 50;

function resolveClasses(classes: DemoImageSetOptions['classes']): DemoShape[] {
  if (classes === undefined) return DEMO_SHAPES.slice(0, 4);
  if (typeof classes === 'number') {
    if (!Number.isInteger(classes) || classes < 1 || classes > DEMO_SHAPES.length) {
      throw new Error(
        `makeDemoImageSet: classes must be 1–${DEMO_SHAPES.length} (there are ${DEMO_SHAPES.length} shapes: ${DEMO_SHAPES.join(', ')}), got ${classes}.`,
      );
    }
    return DEMO_SHAPES.slice(0, classes);
  }
  const unknown = classes.filter((name) => !DEMO_SHAPES.includes(name));
  if (unknown.length > 0 || classes.length === 0)
    throw new Error(`makeDemoImageSet: classes must be names from ${DEMO_SHAPES.join(', ')}, got ${JSON.stringify(classes)}.`);
  return [...new Set(classes)];
}

function encoder(image: RawImage): Sharp {
  return sharp(image.pixels, { raw: { width: image.width, height: image.height, channels: image.channels } });
}

async function encodeSource(image: RawImage, random: Random): Promise<{ bytes: Buffer; ext: 'png' | 'jpg' }> {
  // About a third PNG, the rest JPEG at varying quality, like a folder collected from many sources.
  if (random() < 1 / 3) return { bytes: await encoder(image).png().toBuffer(), ext: 'png' };
  return {
    bytes: await encoder(image)
      .jpeg({ quality: 80 + Math.floor(random() * 16) })
      .toBuffer(),
    ext: 'jpg',
  };
}

async function nearDuplicate(
  original: Buffer,
  variant: (typeof DUPLICATE_VARIANTS)[number],
  size: number,
): Promise<{ bytes: Buffer; ext: 'png' | 'jpg' }> {
  switch (variant) {
    case 'jpeg-q85':
      return { bytes: await sharp(original).jpeg({ quality: 85 }).toBuffer(), ext: 'jpg' };
    case 'upscaled-png':
      return {
        bytes: await sharp(original)
          .resize(size * 2)
          .png()
          .toBuffer(),
        ext: 'png',
      };
    case 'upscaled-jpeg':
      return {
        bytes: await sharp(original)
          .resize(Math.round(size * 1.5))
          .jpeg({ quality: 90 })
          .toBuffer(),
        ext: 'jpg',
      };
  }
}

/** Draws an image of `shape` at least UNRELATED_MIN_BITS from every earlier one. */
async function drawUnrelated(shape: DemoShape, size: number, random: Random, earlier: readonly { hash: bigint }[]) {
  for (let attempt = 0; attempt <= MAX_REDRAWS; attempt++) {
    const encoded = await encodeSource(renderShape(shape, size, random), random);
    const hash = await pHashOfImage(encoded.bytes);
    if (earlier.every((other) => hammingDistance(hash, other.hash) >= UNRELATED_MIN_BITS)) return { ...encoded, hash };
  }
  throw new Error(
    `makeDemoImageSet: could not draw a ${shape} ${UNRELATED_MIN_BITS}+ pHash bits from the ${earlier.length} images before it; use fewer images per class or a larger size.`,
  );
}

const pad = (n: number) => String(n).padStart(3, '0');

/** Writes the image set and its manifest; returns what was written, for tests and the demo. */
export async function makeDemoImageSet(options: DemoImageSetOptions): Promise<DemoImageSet> {
  const classes = resolveClasses(options.classes);
  const perClass = options.perClass ?? 24;
  const size = options.size ?? 64;
  const duplicateCount = options.nearDuplicates ?? 3;
  if (!Number.isInteger(perClass) || perClass < 2)
    throw new Error(`makeDemoImageSet: perClass must be a whole number ≥ 2, got ${perClass}.`);
  if (!Number.isInteger(size) || size < 16) throw new Error(`makeDemoImageSet: size must be a whole number of pixels ≥ 16, got ${size}.`);
  const copyable = classes.length * perClass - 2; // every image but the two pinned to a split
  if (!Number.isInteger(duplicateCount) || duplicateCount < 0 || duplicateCount > copyable) {
    throw new Error(
      `makeDemoImageSet: nearDuplicates must be a whole number from 0 to ${copyable} (one copy per image at most), got ${duplicateCount}.`,
    );
  }
  const random = seededRandom(options.seed ?? 1);
  const imagesDir = path.join(options.dir, 'images');
  fs.mkdirSync(imagesDir, { recursive: true });
  const write = (name: string, bytes: Buffer | string) => fs.writeFileSync(path.join(imagesDir, name), bytes);

  const rows: DemoRow[] = [];
  const originals: { image: string; label: string; bytes: Buffer; hash: bigint }[] = [];
  for (const shape of classes) {
    for (let i = 0; i < perClass; i++) {
      const { bytes, ext, hash } = await drawUnrelated(shape, size, random, originals);
      const image = `images/${shape}_${pad(i)}.${ext}`;
      write(path.basename(image), bytes);
      originals.push({ image, label: shape, bytes, hash });
      rows.push({ image, label: shape, kind: 'image' });
    }
  }

  // A few rows name their split; the rest are left to the stratified split.
  const fixedSplits: { image: string; split: SplitName }[] = [];
  const fixRow = (index: number, split: SplitName) => {
    const row = { ...itemAt(rows, index, 'row'), split };
    rows[index] = row;
    fixedSplits.push({ image: row.image, split });
  };
  fixRow(perClass - 1, 'test');
  fixRow((classes.length > 1 ? perClass : 0) + perClass - 2, 'val');

  const nearDuplicates: { image: string; of: string }[] = [];
  const copied = new Set<number>(fixedSplits.map(({ image }) => originals.findIndex((o) => o.image === image)));
  for (let d = 0; d < duplicateCount; d++) {
    // Spread the originals over the classes; skip fixed-split rows and ones already copied.
    const start = (d * perClass + Math.floor(perClass / 2)) % originals.length;
    const variant = itemAt(DUPLICATE_VARIANTS, d % DUPLICATE_VARIANTS.length, 'variant');
    let made: { source: (typeof originals)[number]; bytes: Buffer; ext: string } | undefined;
    for (let step = 0; step < originals.length && !made; step++) {
      const index = (start + step) % originals.length;
      if (copied.has(index)) continue;
      const source = itemAt(originals, index, 'original');
      const copy = await nearDuplicate(source.bytes, variant, size);
      if (hammingDistance(await pHashOfImage(copy.bytes), source.hash) > DUPLICATE_MAX_BITS) continue;
      copied.add(index);
      made = { source, ...copy };
    }
    if (!made)
      throw new Error(
        `makeDemoImageSet: no image survives a ${variant} copy within ${DUPLICATE_MAX_BITS} pHash bits; use a larger size (got ${size}).`,
      );
    const image = `${made.source.image.replace(/\.\w+$/, '')}_copy${d}.${made.ext}`;
    write(path.basename(image), made.bytes);
    nearDuplicates.push({ image, of: made.source.image });
    rows.push({ image, label: made.source.label, kind: 'near-duplicate', duplicateOf: made.source.image });
  }

  const firstClass = itemAt(classes, 0, 'class');
  const lastClass = itemAt(classes, classes.length - 1, 'class');
  const truncated = 'images/broken_000.jpg';
  const jpeg = await encoder(renderShape(firstClass, size, random))
    .jpeg({ quality: 90 })
    .toBuffer();
  write(path.basename(truncated), jpeg.subarray(0, Math.floor(jpeg.length * 0.4)));
  const notAnImage = 'images/notes_001.png';
  write(path.basename(notAnImage), 'these are notes, not an image\n');
  rows.push({ image: truncated, label: firstClass, kind: 'corrupt' });
  rows.push({ image: notAnImage, label: lastClass, kind: 'corrupt' });

  const missing = 'images/missing_000.jpg';
  rows.push({ image: missing, label: firstClass, kind: 'missing' });

  const drawn = await drawUnrelated(lastClass, size, random, originals);
  const unlabelled = `images/unlabelled_000.${drawn.ext}`;
  write(path.basename(unlabelled), drawn.bytes);
  rows.push({ image: unlabelled, label: '', kind: 'empty-label' });

  const manifestRows = shuffled(rows, random);
  const manifestPath = path.join(options.dir, 'manifest.csv');
  const lines = [
    formatCsvRow(['image', 'label', 'split']),
    ...manifestRows.map((row) => formatCsvRow([row.image, row.label, row.split ?? ''])),
  ];
  fs.writeFileSync(manifestPath, `${lines.join('\n')}\n`);

  return {
    dir: options.dir,
    manifestPath,
    classes: [...classes].sort(),
    rows: manifestRows,
    perClass: Object.fromEntries(classes.map((shape) => [shape, perClass])),
    nearDuplicates,
    corrupt: [truncated, notAnImage],
    missing: [missing],
    emptyLabel: [unlabelled],
    fixedSplits,
  };
}
