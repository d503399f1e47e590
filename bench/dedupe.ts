/**
 * Near-duplicate removal on real data: Fashion-MNIST (Debian package dataset-fashion-mnist; 28×28
 * grey IDX files) and photo-like 64–256 px scenes (bench/dedupe-scenes.ts). Prints:
 *   - the time to encode the images as PNG and inspect them as preprocess does (4 in flight);
 *   - the share removed by today's rule (findDuplicates: pHash, cosine-hash and crop-window
 *     candidates, thumbnail similarity ≥ the default, not transitive) beside the old rule (pHash ≤ 6,
 *     transitive groups), the median time of each over 3 runs with the load average, and the share
 *     removed at other similarity thresholds;
 *   - how many cosine-hash neighbours an image has within several radii (candidate-search.ts);
 *   - for planted copies of Fashion-MNIST images and of scenes, and for the scenes' look-alikes, the
 *     similarity findDuplicates gives each pair (or "no candidate") and how many the default catches.
 *
 *   npm run bench:dedupe [perClass=1000 | full]
 * "full" takes all 70,000 images (train and t10k); that run takes several minutes on two busy cores.
 * Missing data: sudo apt-get install dataset-fashion-mnist
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import * as zlib from 'node:zlib';
import sharp from 'sharp';
import { inspectImage } from '../components/image-classifier/preprocess/image-inspection';
import { mapConcurrent } from '../components/image-classifier/preprocess/map-concurrent';
import { findDuplicates, type DedupeItem } from '../components/image-classifier/preprocess/near-duplicates';
import { hammingDistance, pHashFromGrey, pixelsOfImage } from '../components/image-classifier/preprocess/perceptual-hash';
import { HammingIndex } from '../components/image-classifier/preprocess/hamming-index';
import { imageSignature } from '../components/image-classifier/preprocess/image-signature';
import { COSINE_HASH_RADIUS } from '../components/image-classifier/preprocess/candidate-search';
import { DEFAULT_DEDUPE_MIN_SIMILARITY, DEFAULT_DEDUPE_THRESHOLD } from '../components/image-classifier/preprocess/preprocess-images';
import { seededRandom } from '../components/image-classifier/preprocess/seeded-random';
import { concurrencyLimit } from '../components/image-classifier/lib/storage/concurrency-limit';
import type { FileSource } from '../components/image-classifier/lib/storage/file-source';
import { HALF_SIZE, PLANTED, randomShape, renderScene, SKIES, type Variant } from './dedupe-scenes';
import { itemAt } from '../compiler/util/checked-access';

const DIR = '/usr/share/datasets/fashion-mnist';
const SIDE = 28;
const IN_FLIGHT = 4;
const RUNS = 3;

function readIdx(file: string): Buffer {
  const bytes = zlib.gunzipSync(fs.readFileSync(file));
  const dimensions = bytes[3];
  if (dimensions === undefined) throw new Error(`${file} is too short to be an IDX file`);
  return bytes.subarray(4 + 4 * dimensions);
}

/** The rule before issue 15: pHash within 6 bits, groups closed transitively, one kept per group. */
function oldRuleRemoved(hashes: bigint[]): number {
  const parent = hashes.map((_, i) => i);
  // `!`: every index here is below hashes.length, the length of parent.
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const buckets = new Map<string, number[]>();
  hashes.forEach((hash, i) => {
    for (let band = 0; band < 7; band++) {
      const start = Math.floor((band * 64) / 7);
      const end = Math.floor(((band + 1) * 64) / 7);
      const key = `${band}:${(BigInt.asUintN(64, hash) >> BigInt(64 - end)) & ((1n << BigInt(end - start)) - 1n)}`;
      const bucket = buckets.get(key) ?? [];
      for (const j of bucket)
        if (find(i) !== find(j) && hammingDistance(hash, hashes[j]!) <= 6) parent[Math.max(find(i), find(j))] = Math.min(find(i), find(j));
      bucket.push(i);
      buckets.set(key, bucket);
    }
  });
  return hashes.filter((_, i) => find(i) !== i).length;
}

async function itemOf(encoded: Buffer): Promise<DedupeItem> {
  const { grey, colour } = await pixelsOfImage(encoded);
  return {
    sha256: createHash('sha256').update(encoded).digest('hex'),
    phash: pHashFromGrey(grey),
    thumbnail: grey,
    ...(colour ? { colour } : {}),
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const loadAverage = () =>
  os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(' / ');

/** Neighbours per image within each cosine-hash radius: what a wider radius would cost (candidate-search.ts). */
function cosineNeighbours(items: readonly DedupeItem[]): string {
  const signatures = items.map((item) => imageSignature(item));
  return [4, COSINE_HASH_RADIUS, 8, 10]
    .map((radius) => {
      const index = new HammingIndex(radius);
      let pairs = 0;
      signatures.forEach((signature, i) => {
        index.forEachWithin(signature.cosine, () => pairs++);
        index.add(i, signature.cosine);
      });
      return `${radius} bits: ${(pairs / items.length).toFixed(1)}`;
    })
    .join(', ');
}

/** The similarity findDuplicates gives a copy of an original, or undefined when it is no candidate. */
function pairSimilarity(original: DedupeItem, copy: DedupeItem): number | undefined {
  const [, match] = findDuplicates([original, { ...copy, sha256: `${copy.sha256}-copy` }], {
    maxHashDistance: DEFAULT_DEDUPE_THRESHOLD,
    minSimilarity: -1,
  }).removedAs;
  return match?.similarity;
}

const lowest = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return [0, 1, 5, 50]
    .map((p) => itemAt(sorted, Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length)), 'similarity').toFixed(4))
    .join(' / ');
};

async function plantedRow(name: string, make: Variant, originals: { bytes: Buffer; side: number; item: DedupeItem }[]): Promise<string> {
  const similarities: number[] = [];
  let noCandidate = 0;
  for (const original of originals) {
    const similarity = pairSimilarity(original.item, await itemOf(await make(original.bytes, original.side)));
    if (similarity === undefined) noCandidate++;
    similarities.push(similarity ?? -1);
  }
  const caught = similarities.filter((s) => s >= DEFAULT_DEDUPE_MIN_SIMILARITY).length;
  return `| ${name} | ${originals.length} | ${caught} | ${noCandidate} | ${lowest(similarities)} |`;
}

async function fashionMnist(arg: string): Promise<void> {
  const perClass = arg === 'full' ? Infinity : Number(arg);
  const images = [readIdx(`${DIR}/train-images-idx3-ubyte.gz`), readIdx(`${DIR}/t10k-images-idx3-ubyte.gz`)];
  const labels = [readIdx(`${DIR}/train-labels-idx1-ubyte.gz`), readIdx(`${DIR}/t10k-labels-idx1-ubyte.gz`)];
  const picked: { file: number; index: number; label: number }[] = [];
  const counts = new Array(10).fill(0);
  for (let file = 0; file < (arg === 'full' ? 2 : 1); file++) {
    const fileLabels = itemAt(labels, file, 'label file');
    for (const [index, label] of fileLabels.entries()) {
      if (counts[label] < perClass) {
        counts[label]++;
        picked.push({ file, index, label });
      }
    }
  }
  console.log(
    `Fashion-MNIST: ${picked.length} images (${arg === 'full' ? 'all of train and t10k' : `first ${perClass} per class of train`}); machine busy (2 cores shared by several engineers).`,
  );

  let start = performance.now();
  const pngs = await mapConcurrent(picked, IN_FLIGHT, ({ file, index }) =>
    sharp(Buffer.from(itemAt(images, file, 'image file').subarray(index * SIDE * SIDE, (index + 1) * SIDE * SIDE)), {
      raw: { width: SIDE, height: SIDE, channels: 1 },
    })
      .png()
      .toBuffer(),
  );
  const encodeSeconds = (performance.now() - start) / 1000;
  // Inspected as preprocess does: sharp metadata, the 32×32 thumbnails, pHash, the search's other
  // hashes (crop windows, cosine) and sha256.
  const files = { read: async (location: string) => pngs[Number(location)] } as unknown as FileSource;
  const decodeLimit = concurrencyLimit(IN_FLIGHT);
  start = performance.now();
  const inspected = await mapConcurrent(pngs, IN_FLIGHT, (_, i) => inspectImage(String(i), String(i), files, decodeLimit));
  const inspectSeconds = (performance.now() - start) / 1000;
  const items: DedupeItem[] = inspected.map((inspection) => {
    if (!inspection.ok) throw new Error(inspection.message);
    const { sha256, phash, thumbnail, colour, hashes } = inspection;
    return { sha256, phash, thumbnail, ...(colour ? { colour } : {}), ...(hashes ? { hashes } : {}) };
  });
  console.log(
    `encode as PNG: ${encodeSeconds.toFixed(1)} s; inspect (decode, thumbnails, pHash, crop-window and cosine hashes, sha256; ${IN_FLIGHT} in flight): ${inspectSeconds.toFixed(1)} s`,
  );

  // Medians of RUNS runs each, the old rule (the baseline) and today's alternating, under the same load.
  const newTimes: number[] = [];
  const oldTimes: number[] = [];
  let result!: ReturnType<typeof findDuplicates>;
  let oldRemoved = 0;
  for (let run = 0; run < RUNS; run++) {
    start = performance.now();
    oldRemoved = oldRuleRemoved(items.map((item) => item.phash));
    oldTimes.push((performance.now() - start) / 1000);
    start = performance.now();
    result = findDuplicates(items, { maxHashDistance: DEFAULT_DEDUPE_THRESHOLD, minSimilarity: DEFAULT_DEDUPE_MIN_SIMILARITY });
    newTimes.push((performance.now() - start) / 1000);
  }
  const newSeconds = median(newTimes);
  const oldSeconds = median(oldTimes);
  const removed = result.removedAs.filter(Boolean).length;
  const perClassRemoved = new Array(10).fill(0);
  result.removedAs.forEach((match, i) => match && perClassRemoved[itemAt(picked, i, 'picked image').label]++);
  const share = (n: number) => `${((n / items.length) * 100).toFixed(2)} %`;

  console.log(`\n${RUNS} runs each, median time; load average (1/5/15 min) now ${loadAverage()} on ${os.availableParallelism()} CPU(s)`);
  console.log('\n| rule | removed | share | time |\n|---|---:|---:|---:|');
  console.log(`| old: pHash ≤ 6, transitive groups | ${oldRemoved} | ${share(oldRemoved)} | ${oldSeconds.toFixed(1)} s |`);
  console.log(
    `| new (default): pHash ≤ ${DEFAULT_DEDUPE_THRESHOLD} or crop window, similarity ≥ ${DEFAULT_DEDUPE_MIN_SIMILARITY}, vs kept only | ${removed} | ${share(removed)} | ${newSeconds.toFixed(1)} s |`,
  );
  // Each threshold is a full run: only on small subsets (findDuplicates takes minutes on 10,000).
  for (const minSimilarity of items.length <= 2000 ? [0.98, 0.99, 0.993, 0.997] : []) {
    const other = findDuplicates(items, { maxHashDistance: DEFAULT_DEDUPE_THRESHOLD, minSimilarity }).removedAs.filter(Boolean).length;
    console.log(`| new, similarity ≥ ${minSimilarity} | ${other} | ${share(other)} | |`);
  }
  console.log(`removed per class (0–9) at the default: ${perClassRemoved.join(', ')}`);
  console.log(`cosine-hash neighbours per image (kept before it) within: ${cosineNeighbours(items)}`);

  const originals = Array.from({ length: Math.min(200, pngs.length) }, (_, k) => {
    const i = Math.floor((k * pngs.length) / Math.min(200, pngs.length));
    return { bytes: itemAt(pngs, i, 'image'), side: SIDE, item: itemAt(items, i, 'item') };
  });
  console.log(
    `\nPlanted copies of Fashion-MNIST images (28 px):\n\n| copy | pairs | caught | no candidate | similarity min / p1 / p5 / p50 |\n|---|---:|---:|---:|---|`,
  );
  for (const [name, make] of Object.entries(PLANTED)) console.log(await plantedRow(name, make, originals));
  console.log(await plantedRow('resize 0.5× (14 px; not required)', HALF_SIZE, originals));
}

async function scenes(): Promise<void> {
  const random = seededRandom(15);
  const sides = [64, 96, 128, 256];
  const originals: { bytes: Buffer; side: number; item: DedupeItem }[] = [];
  const lookAlikeSimilarities: number[] = [];
  let lookAlikeCandidates = 0;
  for (let s = 0; s < 60; s++) {
    const side = itemAt(sides, s % sides.length, 'side');
    const sky = itemAt(SKIES, s % SKIES.length, 'sky');
    const shapes = Array.from({ length: 1 + (s % 5) }, () => randomShape(random, side));
    const bytes = await renderScene(side, sky, shapes, random);
    const item = await itemOf(bytes);
    originals.push({ bytes, side, item });
    const extra = { ...randomShape(random, side), colour: s % 2 === 0 ? '#000000' : '#ffffff' };
    const similarity = pairSimilarity(item, await itemOf(await renderScene(side, sky, [...shapes, extra], random)));
    if (similarity !== undefined) lookAlikeCandidates++;
    lookAlikeSimilarities.push(similarity ?? -1);
  }
  console.log(
    `\nPhoto-like scenes (60 originals, 64–256 px, 1–5 shapes, grain):\n\n| copy | pairs | caught | no candidate | similarity min / p1 / p5 / p50 |\n|---|---:|---:|---:|---|`,
  );
  for (const [name, make] of Object.entries(PLANTED)) console.log(await plantedRow(name, make, originals));
  console.log(await plantedRow('resize 0.5×', HALF_SIZE, originals));
  const sorted = [...lookAlikeSimilarities].sort((a, b) => b - a);
  console.log(
    `look-alikes (one shape added): ${lookAlikeCandidates} of 60 candidates, similarity max / 2nd / 5th / median ${[0, 1, 4, 30].map((k) => itemAt(sorted, k, 'look-alike similarity').toFixed(4)).join(' / ')}; removed at the default: ${sorted.filter((s) => s >= DEFAULT_DEDUPE_MIN_SIMILARITY).length}`,
  );
}

async function main(): Promise<void> {
  if (!fs.existsSync(`${DIR}/train-images-idx3-ubyte.gz`)) {
    console.error(`Fashion-MNIST is not installed (${DIR}); install it with: sudo apt-get install dataset-fashion-mnist`);
    process.exit(1);
  }
  const arg = process.argv[2] ?? '1000';
  if (arg !== 'full' && !(Number(arg) >= 1)) {
    console.error(`usage: npm run bench:dedupe [perClass | full]; got ${arg}`);
    process.exit(1);
  }
  await fashionMnist(arg);
  await scenes();
}

void main();
