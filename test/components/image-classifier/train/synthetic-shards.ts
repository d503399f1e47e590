// Tiny image sets for the train tests: two easily separable classes (dark vs bright noisy
// squares), encoded as PNG, written as a preprocess-style Dataset folder.
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { labelMapJson } from '../../../../components/image-classifier/preprocess/label-map';
import { seededRandom } from '../../../../components/image-classifier/preprocess/seeded-random';
import type { LabelledImage } from '../../../../components/image-classifier/train/image-dataset';
import { imageExample } from '../../../../components/image-classifier/lib/tfrecord/image-example';
import { ShardedTFRecordWriter } from '../../../../components/image-classifier/lib/tfrecord/tfrecord-writer';

export const CLASSES = ['dark', 'bright'];

/** Raw RGB of one image: class 0 around 0.25 brightness, class 1 around 0.75, ±0.2 noise per pixel. */
export function syntheticRgb(label: number, size: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  const base = label === 0 ? 0.25 : 0.75;
  const rgb = new Uint8Array(size * size * 3);
  for (let i = 0; i < rgb.length; i++) rgb[i] = Math.round(255 * Math.min(1, Math.max(0, base + (random() - 0.5) * 0.4)));
  return rgb;
}

export async function encodePng(rgb: Uint8Array, width: number, height = width): Promise<Buffer> {
  return sharp(rgb, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

/** `count` images alternating between the classes, as the train pipeline sees them. */
export async function syntheticImages(count: number, size: number, seed: number): Promise<LabelledImage[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => ({
      encoded: await encodePng(syntheticRgb(i % 2, size, seed * 1000 + i), size),
      label: i % 2,
      filename: `image-${i}.png`,
    })),
  );
}

/** Writes `images` as `<dir>/<split>-0000k-of-0000n.tfrecord` plus label_map.json, like preprocess. */
export function writeDatasetFolder(dir: string, split: string, images: readonly LabelledImage[], size: number, shards = 2): void {
  fs.mkdirSync(dir, { recursive: true });
  const writer = new ShardedTFRecordWriter({ prefix: path.join(dir, split), shardCount: shards, fsync: false });
  for (const image of images) {
    writer.writeExample(
      imageExample({
        encoded: image.encoded,
        format: 'PNG',
        height: size,
        width: size,
        label: image.label,
        text: CLASSES[image.label]!,
        filename: image.filename,
      }),
    );
  }
  writer.close();
  fs.writeFileSync(path.join(dir, 'label_map.json'), labelMapJson(CLASSES));
}
