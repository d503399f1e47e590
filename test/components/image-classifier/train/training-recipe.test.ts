import sharp from 'sharp';
import { detectInputChannels, isGrayscaleImage, parseInputChannels } from '../../../../components/image-classifier/train/input-channels';
import { learningRateAt, parseSchedule } from '../../../../components/image-classifier/train/learning-rate-schedule';
import { augmentationFor, parseFlip, parseRecipe, RECIPE_DEFAULTS } from '../../../../components/image-classifier/train/recipe';
import {
  classWeights,
  parseClassWeighting,
  trainingTargets,
  validateLabelSmoothing,
} from '../../../../components/image-classifier/train/training-targets';
import { validateTrainOptions } from '../../../../components/image-classifier/train/training-loop';

describe('learning-rate schedule', () => {
  const schedule = { schedule: 'cosine', peak: 0.01, totalSteps: 110, warmupSteps: 10 } as const;

  it('warms up linearly to the peak, then follows a half cosine to 0 at the last step', () => {
    expect(learningRateAt(0, schedule)).toBeCloseTo(0.001, 12);
    expect(learningRateAt(4, schedule)).toBeCloseTo(0.005, 12);
    expect(learningRateAt(9, schedule)).toBeCloseTo(0.01, 12);
    expect(learningRateAt(10, schedule)).toBeCloseTo(0.01, 12);
    // Halfway through the 99 decay steps the cosine is at half the peak.
    expect(learningRateAt(10 + 49.5, schedule)).toBeCloseTo(0.005, 12);
    expect(learningRateAt(109, schedule)).toBeCloseTo(0, 12);
    const rates = Array.from({ length: 100 }, (_, i) => learningRateAt(10 + i, schedule));
    expect(rates.every((rate, i) => i === 0 || rate <= rates[i - 1]!)).toBe(true);
  });

  it('ends at finalFraction of the peak, and constant keeps the peak after the warm-up', () => {
    expect(learningRateAt(109, { ...schedule, finalFraction: 0.1 })).toBeCloseTo(0.001, 12);
    expect(learningRateAt(5, { ...schedule, schedule: 'constant' })).toBeCloseTo(0.006, 12);
    expect(learningRateAt(80, { ...schedule, schedule: 'constant' })).toBe(0.01);
    expect(learningRateAt(0, { ...schedule, warmupSteps: 0 })).toBe(0.01);
    expect(() => parseSchedule('step')).toThrow("learningRateSchedule must be one of cosine, constant, got 'step'");
  });
});

describe('training targets', () => {
  it('smooths one-hot rows to (1 − ε)·onehot + ε/K, each row summing to 1', () => {
    const rows = trainingTargets([2, 0], 4, 0.1);
    expect(Array.from(rows)).toEqual([0.025, 0.025, 0.925, 0.025, 0.925, 0.025, 0.025, 0.025].map((v) => expect.closeTo(v, 6)));
    expect(Array.from(trainingTargets([1], 3, 0))).toEqual([0, 1, 0]);
  });

  it('gives the label-smoothing loss: cross-entropy against the smoothed row', () => {
    // p = (0.7, 0.2, 0.1), label 0, ε = 0.3: −(0.8·ln 0.7 + 0.1·ln 0.2 + 0.1·ln 0.1).
    const target = trainingTargets([0], 3, 0.3);
    const p = [0.7, 0.2, 0.1];
    const loss = -p.reduce((sum, pk, k) => sum + target[k]! * Math.log(pk), 0);
    expect(loss).toBeCloseTo(-(0.8 * Math.log(0.7) + 0.1 * Math.log(0.2) + 0.1 * Math.log(0.1)), 6);
  });

  it("weighs classes scikit-learn's 'balanced' way and scales each row by its class weight", () => {
    // 6 images: 4 of class 0, 2 of class 1, none of class 2 → 6/(2·4), 6/(2·2), 0.
    const labels = [0, 0, 1, 0, 1, 0];
    const weights = classWeights(labels, 3, 'balanced');
    expect(Array.from(weights)).toEqual([0.75, 1.5, 0]);
    // The mean weight over the images is 1, so the loss keeps its scale.
    expect(labels.reduce((sum, label) => sum + weights[label]!, 0) / labels.length).toBeCloseTo(1, 6);
    expect(Array.from(classWeights(labels, 3, 'none'))).toEqual([1, 1, 1]);
    expect(Array.from(trainingTargets([1], 3, 0, weights))).toEqual([0, 1.5, 0]);
  });

  it('rejects bad settings naming the input', () => {
    expect(() => parseClassWeighting('auto')).toThrow("classWeights must be one of none, balanced, got 'auto'");
    expect(() => validateLabelSmoothing(0.5)).toThrow('labelSmoothing must be in [0, 0.5), got 0.5');
    expect(() => trainingTargets([3], 3, 0)).toThrow('label 3 of image 0 is outside the 3 classes of the label map');
  });
});

describe('recipe inputs', () => {
  it('maps flip choices onto the augmentation and rejects unknown ones', () => {
    expect(augmentationFor('horizontal', 0.1, 0.1)).toEqual({ flip: true, verticalFlip: false, maxShift: 0.1, brightness: 0.1 });
    expect(augmentationFor('none', 0, 0)).toMatchObject({ flip: false, verticalFlip: false });
    expect(augmentationFor('both', 0, 0)).toMatchObject({ flip: true, verticalFlip: true });
    expect(() => parseFlip('mirror')).toThrow(
      "flip must be one of none, horizontal, vertical, both, got 'mirror'; use 'none' where a mirrored image would change its label",
    );
    expect(parseRecipe(RECIPE_DEFAULTS)).toEqual({
      architecture: 'two-conv',
      inputChannels: 0,
      schedule: 'cosine',
      classWeights: 'none',
      flip: 'horizontal',
    });
  });

  it('checks the new training options with clear errors', () => {
    const base = { epochs: 5, batchSize: 8, learningRate: 0.001, patience: 0, imageSize: 16, numClasses: 2, seed: 1 };
    expect(() => validateTrainOptions({ ...base, weightDecay: 2 })).toThrow('weightDecay must be in [0, 1), got 2');
    expect(() => validateTrainOptions({ ...base, warmupEpochs: -1 })).toThrow('warmupEpochs must be in [0, 1000], got -1');
    expect(() => validateTrainOptions({ ...base, labelSmoothing: -0.1 })).toThrow('labelSmoothing must be in [0, 0.5), got -0.1');
  });
});

describe('input channels', () => {
  const jpeg = (pixel: (x: number, y: number) => [number, number, number]) => {
    const size = 12;
    const raw = Buffer.alloc(size * size * 3);
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) raw.set(pixel(x, y), (y * size + x) * 3);
    return sharp(raw, { raw: { width: size, height: size, channels: 3 } })
      .jpeg({ quality: 90, chromaSubsampling: '4:2:0' })
      .toBuffer();
  };

  it('finds JPEGs of gray images gray, and a colour image not', async () => {
    const gray = await jpeg((x, y) => [x * 20, x * 20, x * 20].map((v) => (v + y * 3) % 256) as [number, number, number]);
    const tinted = await jpeg((x) => [x * 20, x * 20, Math.min(255, x * 20 + 30)]);
    expect(await isGrayscaleImage(gray)).toBe(true);
    expect(await isGrayscaleImage(tinted)).toBe(false);
    const images = (list: Buffer[]) => list.map((encoded, i) => ({ encoded, label: 0, filename: `img-${i}.jpg` }));
    expect(await detectInputChannels(images([gray, gray]))).toEqual({
      channels: 1,
      reason: 'grayscale: all 2 training images have equal R, G and B (±2)',
    });
    expect(await detectInputChannels(images([gray, tinted, gray]))).toEqual({ channels: 3, reason: 'RGB: img-1.jpg has colour' });
  });

  it('rejects bad settings and undecodable images with a clear error', async () => {
    expect(() => parseInputChannels(2)).toThrow(
      'inputChannels must be 0 (decide from the training images), 1 (grayscale) or 3 (RGB), got 2',
    );
    await expect(detectInputChannels([])).rejects.toThrow('cannot decide the input channels from an empty train split');
    await expect(detectInputChannels([{ encoded: Buffer.from('not an image'), label: 0, filename: 'broken.jpg' }])).rejects.toThrow(
      /^cannot decode image 0 \(broken\.jpg\) to check its colours: .*re-run preprocess\.$/,
    );
  });
});
