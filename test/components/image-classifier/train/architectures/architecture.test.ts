// Every architecture builds with fixed names and seeded weights, takes 1 or 3 channels, and trains on
// wasm with the project's gradient kernels exactly as on cpu (the reference): the gradients of every
// weight agree, through batch norm, depthwise convolutions, ReLU6 and residual adds.
import * as tf from '@tensorflow/tfjs';
import {
  ARCHITECTURES,
  buildClassifier,
  parseArchitecture,
  validateArchitectureOptions,
  type Architecture,
  type ArchitectureOptions,
} from '../../../../../components/image-classifier/train/architectures/architecture';
import { AdamW } from '../../../../../components/image-classifier/train/adamw';
import { DEFAULT_CNN } from '../../../../../components/image-classifier/train/cnn';
import { RELATIVE_TOLERANCE, onBackend, seededValues } from '../wasm-gradients/gradient-helpers';

const SIZE = 16;
const IMAGES = 4;
const CLASSES = 3;

const options = (architecture: Architecture, overrides: Partial<ArchitectureOptions> = {}): ArchitectureOptions => ({
  ...DEFAULT_CNN,
  architecture,
  imageSize: SIZE,
  channels: 1,
  numClasses: CLASSES,
  filters: 8,
  blocks: 2,
  denseUnits: 8,
  // Dropout off: its masks are drawn per backend call and would make the two backends' losses differ.
  dropout: 0,
  seed: 5,
  ...overrides,
});

/** The gradients of the mean cross-entropy with respect to every trainable weight, by the weight's layer-given name. */
function weightGradients(model: tf.LayersModel, channels: number): Map<string, Float32Array> {
  const x = tf.tensor4d(
    seededValues(IMAGES * SIZE * SIZE * channels, 11).map((v) => v + 0.5),
    [IMAGES, SIZE, SIZE, channels],
  );
  const y = tf.oneHot(tf.tensor1d([0, 1, 2, 1], 'int32'), CLASSES);
  const weights = model.trainableWeights;
  try {
    const { grads } = tf.variableGrads(
      () => tf.losses.softmaxCrossEntropy(y, tf.log(model.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar,
      weights.map((w) => (w as unknown as { val: tf.Variable }).val),
    );
    // Variable names carry a per-process suffix (kernel_7); the weights' original names do not.
    const out = new Map(
      weights.map((w) => [w.originalName, grads[(w as unknown as { val: tf.Variable }).val.name]!.dataSync() as Float32Array]),
    );
    tf.dispose(Object.values(grads));
    return out;
  } finally {
    tf.dispose([x, y]);
  }
}

beforeAll(() => onBackend('cpu', async () => undefined));

describe('buildClassifier', () => {
  it.each(ARCHITECTURES)(
    '%s: takes [size, size, channels], ends in a softmax named probabilities, same seed same weights',
    (architecture) => {
      for (const channels of [1, 3]) {
        const [a, b] = [buildClassifier(options(architecture, { channels })), buildClassifier(options(architecture, { channels }))];
        try {
          expect(a.inputs[0]!.shape).toEqual([null, SIZE, SIZE, channels]);
          expect(a.outputs[0]!.shape).toEqual([null, CLASSES]);
          expect(a.layers.at(-1)!.name).toBe('probabilities');
          expect(JSON.stringify(a.toJSON(null, false))).toBe(JSON.stringify(b.toJSON(null, false)));
          a.getWeights().forEach((weight, i) => expect(Array.from(weight.dataSync())).toEqual(Array.from(b.getWeights()[i]!.dataSync())));
        } finally {
          a.dispose();
          b.dispose();
        }
      }
    },
  );

  it('builds the layers each architecture promises', () => {
    const classes = (architecture: Architecture) => {
      const model = buildClassifier(options(architecture));
      const names = model.layers.map((layer) => layer.getClassName());
      model.dispose();
      return names;
    };
    expect(classes('two-conv')).toEqual(['Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dense', 'Dense']);
    expect(classes('resnet-small')).toEqual(expect.arrayContaining(['BatchNormalization', 'Add', 'GlobalAveragePooling2D']));
    expect(classes('mobilenet-v2-small')).toEqual(expect.arrayContaining(['DepthwiseConv2D', 'BatchNormalization', 'ReLU', 'Add']));
    // two-conv at 28×28×1 and 10 classes is the standard network's 225,034 parameters.
    const standard = buildClassifier(options('two-conv', { imageSize: 28, numClasses: 10 }));
    expect(standard.countParams()).toBe(225_034);
    standard.dispose();
  });

  it('rejects bad options naming the input and how to fix it', () => {
    expect(() => parseArchitecture('resnet50')).toThrow(
      "architecture must be one of small-cnn, two-conv, resnet-small, mobilenet-v2-small, got 'resnet50'",
    );
    expect(() => validateArchitectureOptions(options('two-conv', { channels: 2 }))).toThrow(
      'inputChannels must be 1 (grayscale) or 3 (RGB), got 2',
    );
    expect(() => validateArchitectureOptions(options('two-conv', { imageSize: 8 }))).toThrow(
      'imageSize must be a whole number in [10, 4096] for two-conv, got 8',
    );
    expect(() => validateArchitectureOptions(options('mobilenet-v2-small', { filters: 2 }))).toThrow(
      'filters must be a whole number in [4, 256] for mobilenet-v2-small',
    );
    expect(() => validateArchitectureOptions(options('resnet-small', { dropout: 1 }))).toThrow('dropout must be in [0, 1), got 1');
    expect(() => validateArchitectureOptions(options('small-cnn', { numClasses: 1 }))).toThrow(
      'numClasses must be a whole number in [2, 100000], got 1',
    );
  });
});

describe.each(ARCHITECTURES)('%s on wasm', (architecture) => {
  afterAll(() => onBackend('cpu', async () => undefined));

  it('computes the same weight gradients as cpu, and a few AdamW steps lower the loss', async () => {
    const gradients = async (backend: 'cpu' | 'wasm') =>
      onBackend(backend, async () => {
        const model = buildClassifier(options(architecture));
        try {
          return weightGradients(model, 1);
        } finally {
          model.dispose();
        }
      });
    const cpu = await gradients('cpu');
    const wasm = await gradients('wasm');
    expect([...wasm.keys()].sort()).toEqual([...cpu.keys()].sort());
    // Some gradients are 0 in exact arithmetic (a batch norm's beta whose output feeds another
    // batch norm through a convolution: the shift is normalised away) and come out as ±1e-8 float
    // noise on both backends. Errors are therefore measured against each weight's own scale, but
    // at least a hundredth of the model's largest gradient.
    const modelScale = Math.max(...[...cpu.values()].map((g) => Math.max(...Array.from(g, Math.abs))));
    for (const [name, expected] of cpu) {
      const actual = wasm.get(name)!;
      let difference = 0;
      let scale = modelScale * 1e-2;
      expected.forEach((value, i) => {
        difference = Math.max(difference, Math.abs(actual[i]! - value));
        scale = Math.max(scale, Math.abs(value));
      });
      expect({ name, error: difference / scale < RELATIVE_TOLERANCE ? 'ok' : difference / scale }).toEqual({ name, error: 'ok' });
    }

    await onBackend('wasm', async () => {
      const model = buildClassifier(options(architecture));
      const optimizer = new AdamW({ learningRate: 0.01, weightDecay: 0.01 });
      model.compile({ optimizer, loss: 'categoricalCrossentropy' });
      const x = tf.tensor4d(
        seededValues(IMAGES * SIZE * SIZE, 3).map((v) => v + 0.5),
        [IMAGES, SIZE, SIZE, 1],
      );
      const y = tf.oneHot(tf.tensor1d([0, 1, 2, 1], 'int32'), CLASSES);
      try {
        const losses: number[] = [];
        for (let step = 0; step < 8; step++) losses.push((await model.trainOnBatch(x, y)) as number);
        expect(losses.every(Number.isFinite)).toBe(true);
        expect(losses.at(-1)!).toBeLessThan(losses[0]!);
      } finally {
        tf.dispose([x, y]);
        model.dispose();
        optimizer.dispose();
      }
    });
  }, 180_000);
});
