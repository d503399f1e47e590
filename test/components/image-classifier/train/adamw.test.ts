import * as tf from '@tensorflow/tfjs';
import { AdamW, decaysKernels } from '../../../../components/image-classifier/train/adamw';
import { setTrainingBackend } from '../../../../components/image-classifier/train/wasm-gradients';

beforeAll(() => setTrainingBackend('cpu'));

/** Runs `steps` updates of a loss on one variable named `name` and returns its final values. */
function optimise(optimizer: tf.Optimizer, name: string, start: number[], steps: number): Float32Array {
  const w = tf.variable(tf.tensor1d(start), true, name);
  const target = tf.tensor1d(start.map((_, i) => i - 1));
  try {
    for (let s = 0; s < steps; s++) optimizer.minimize(() => tf.sum(tf.square(tf.sub(w, target))) as tf.Scalar);
    return w.dataSync() as Float32Array;
  } finally {
    tf.dispose([w, target]);
    optimizer.dispose();
  }
}

describe('AdamW', () => {
  // tfjs Adam keeps β^t in float32 variables, we in float64: the results agree to 1e-4 after 25 steps.
  it('with no weight decay takes the same steps as tfjs Adam', () => {
    const ours = optimise(new AdamW({ learningRate: 0.05, weightDecay: 0 }), 'adamw-equal/kernel', [0.5, -2, 3], 25);
    const stock = optimise(tf.train.adam(0.05), 'adam-equal/kernel', [0.5, -2, 3], 25);
    Array.from(ours).forEach((value, i) => expect(value).toBeCloseTo(stock[i]!, 4));
  });

  it('decays kernels by lr·λ·w per step, decoupled from the gradient', () => {
    // Zero gradient (the loss ignores w): Adam's term is 0, so only the decay moves w.
    const w = tf.variable(tf.tensor1d([2, -4]), true, 'decay-only/kernel');
    const optimizer = new AdamW({ learningRate: 0.1, weightDecay: 0.5 });
    for (let s = 0; s < 3; s++) optimizer.applyGradients({ 'decay-only/kernel': tf.zeros([2]) });
    // Each step multiplies by (1 − lr·λ) = 0.95.
    expect(Array.from(w.dataSync())).toEqual([expect.closeTo(2 * 0.95 ** 3, 6), expect.closeTo(-4 * 0.95 ** 3, 6)]);
    tf.dispose(w);
    optimizer.dispose();
  });

  it('does not decay biases or batch-norm parameters', () => {
    for (const name of ['decay-skip/bias', 'decay-skip_bn/gamma', 'decay-skip_bn/beta']) {
      const w = tf.variable(tf.tensor1d([2]), true, name);
      const optimizer = new AdamW({ learningRate: 0.1, weightDecay: 0.5 });
      optimizer.applyGradients({ [name]: tf.zeros([1]) });
      expect(w.dataSync()[0]).toBe(2);
      tf.dispose(w);
      optimizer.dispose();
    }
    expect(['conv1/kernel', 'block1_1_depthwise/depthwise_kernel', 'hidden/kernel'].every(decaysKernels)).toBe(true);
    expect(['conv1/bias', 'norm1/gamma', 'norm1/moving_mean'].some(decaysKernels)).toBe(false);
  });

  it('uses the learning rate set before each step (what the schedule does)', () => {
    const w = tf.variable(tf.tensor1d([1]), true, 'lr-change/bias');
    const optimizer = new AdamW({ learningRate: 0.1, weightDecay: 0 });
    // Adam's first step moves each weight by lr·sign(g) (m̂ / √v̂ = ±1).
    optimizer.applyGradients({ 'lr-change/bias': tf.ones([1]) });
    expect(w.dataSync()[0]).toBeCloseTo(0.9, 5);
    optimizer.learningRate = 0.01;
    optimizer.applyGradients({ 'lr-change/bias': tf.ones([1]) });
    expect(w.dataSync()[0]).toBeCloseTo(0.89, 5);
    tf.dispose(w);
    optimizer.dispose();
  });

  it('rejects a bad weight decay with the usual range', () => {
    expect(() => new AdamW({ learningRate: 0.001, weightDecay: -1 })).toThrow(
      'weightDecay must be in [0, 1), got -1; 0.0001–0.05 is usual for AdamW, 0 turns it off.',
    );
  });
});
