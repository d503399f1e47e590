import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import sharp from 'sharp';
import { convertFashionMnist, existingSelection, officialIndexOf } from '../../../bench/fashion-mnist/convert';
import {
  FASHION_MNIST_CLASSES,
  FASHION_MNIST_FILES,
  FashionMnistMissingError,
  loadFashionMnist,
} from '../../../bench/fashion-mnist/dataset';
import { encodeIdx } from '../../../bench/fashion-mnist/idx';
import { sampleTrainingImages } from '../../../bench/fashion-mnist/sample';

const SIZE = 4;
/** Image i is filled with grey value i (mod 256) so every PNG can be traced back to its index. */
function writeTinyFashionMnist(dir: string, trainPerClass: number, testCount: number): void {
  const trainCount = trainPerClass * 10;
  const write = (name: string, shape: number[], data: Uint8Array) =>
    fs.writeFileSync(path.join(dir, name), zlib.gzipSync(encodeIdx(shape, data)));
  const images = (count: number, offset: number) =>
    Uint8Array.from({ length: count * SIZE * SIZE }, (_, i) => (Math.floor(i / (SIZE * SIZE)) + offset) % 256);
  write(FASHION_MNIST_FILES.trainImages, [trainCount, SIZE, SIZE], images(trainCount, 0));
  write(
    FASHION_MNIST_FILES.trainLabels,
    [trainCount],
    Uint8Array.from({ length: trainCount }, (_, i) => i % 10),
  );
  write(FASHION_MNIST_FILES.testImages, [testCount, SIZE, SIZE], images(testCount, 100));
  write(
    FASHION_MNIST_FILES.testLabels,
    [testCount],
    Uint8Array.from({ length: testCount }, (_, i) => (i * 3) % 10),
  );
}

describe('sampleTrainingImages', () => {
  const labels = Uint8Array.from({ length: 200 }, (_, i) => i % 4);

  it('takes val then train per class, disjoint, the same for the same seed', () => {
    const a = sampleTrainingImages(labels, 4, { perClass: 10, valPerClass: 3, seed: 1 });
    expect(a.train).toHaveLength(40);
    expect(a.val).toHaveLength(12);
    expect(new Set([...a.train, ...a.val]).size).toBe(52);
    for (let c = 0; c < 4; c++) expect(a.train.filter((i) => labels[i] === c)).toHaveLength(10);
    expect(sampleTrainingImages(labels, 4, { perClass: 10, valPerClass: 3, seed: 1 })).toEqual(a);
    expect(sampleTrainingImages(labels, 4, { perClass: 10, valPerClass: 3, seed: 2 }).train).not.toEqual(a.train);
  });

  it("'all' trains on every image not taken for validation", () => {
    const all = sampleTrainingImages(labels, 4, { perClass: 'all', valPerClass: 5, seed: 1 });
    expect(all.train).toHaveLength(180);
    expect(all.val).toHaveLength(20);
  });

  it('says which class is too small and what to lower', () => {
    expect(() => sampleTrainingImages(labels, 4, { perClass: 49, valPerClass: 2, seed: 1 })).toThrow(
      /class 0 has 50 training images, fewer than the 51 asked for .*lower --per-class/,
    );
  });
});

describe('convertFashionMnist', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fmnist-test-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('explains how to install the data set when it is missing', () => {
    expect(() => loadFashionMnist(path.join(root, 'nowhere'))).toThrow(FashionMnistMissingError);
    expect(() => loadFashionMnist(path.join(root, 'nowhere'))).toThrow(/sudo apt-get install dataset-fashion-mnist/);
  });

  it('writes grey PNGs with the original pixels and a manifest that fixes every split', async () => {
    const source = path.join(root, 'source');
    fs.mkdirSync(source);
    writeTinyFashionMnist(source, 5, 7);
    const out = path.join(root, 'out');
    const options = { perClass: 3, valPerClass: 1, seed: 9 };
    const selection = await convertFashionMnist(loadFashionMnist(source), out, options);
    expect(selection.train).toHaveLength(30);
    expect(selection.val).toHaveLength(10);
    expect(selection.testCount).toBe(7);

    const lines = fs.readFileSync(path.join(out, 'manifest.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('image,label,split');
    const rows = lines.slice(1).map((line) => line.split(','));
    expect(rows).toHaveLength(47);
    expect(rows.filter((r) => r[2] === 'test')).toHaveLength(7);
    expect(rows.filter((r) => r[2] === 'val')).toHaveLength(10);
    for (const [image, label, split] of rows) {
      const official = officialIndexOf(image!)!;
      expect(official.set).toBe(split === 'test' ? 'test' : 'train');
      const expectedLabel = official.set === 'train' ? official.index % 10 : (official.index * 3) % 10;
      expect(label).toBe(FASHION_MNIST_CLASSES[expectedLabel]);
      expect(image).toBe(`images/${label}/${path.posix.basename(image!)}`);
    }
    // The pixels survive: a test image and a val image decode to their grey values, one channel.
    const testRow = rows.find((r) => r[2] === 'test')!;
    expect(await sharp(path.join(out, testRow[0]!)).metadata()).toMatchObject({ format: 'png', width: SIZE, height: SIZE, channels: 1 });
    const data = await sharp(path.join(out, testRow[0]!)).extractChannel(0).raw().toBuffer();
    expect([...data]).toEqual(new Array(SIZE * SIZE).fill(100 + officialIndexOf(testRow[0]!)!.index));
    const valIndex = selection.val[0]!;
    const valRow = rows.find((r) => r[2] === 'val' && officialIndexOf(r[0]!)!.index === valIndex)!;
    expect([...(await sharp(path.join(out, valRow[0]!)).extractChannel(0).raw().toBuffer())]).toEqual(
      new Array(SIZE * SIZE).fill(valIndex),
    );

    expect(existingSelection(out, source, options)).toEqual(selection);
    expect(existingSelection(out, source, { ...options, seed: 10 })).toBeUndefined();
  });
});

describe('officialIndexOf', () => {
  it('reads the set and index from a converted file name, and nothing else', () => {
    expect(officialIndexOf('images/coat/train-00012.png')).toEqual({ set: 'train', index: 12 });
    expect(officialIndexOf('test-09999.png')).toEqual({ set: 'test', index: 9999 });
    expect(officialIndexOf('photo.png')).toBeUndefined();
  });
});
