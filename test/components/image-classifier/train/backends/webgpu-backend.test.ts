// The real WebGPU route without a GPU: dawn.node's null device (flag backend=null) behind
// @tensorflow/tfjs-backend-webgpu. The null device computes nothing, so this proves the wiring —
// globals, navigator.gpu, registration order, a full training step with asynchronous reads — not
// numbers; those come from bench/train-gpu.ts on a real GPU.
import * as tf from '@tensorflow/tfjs';
import { hasVulkanLoader } from '../../../../../components/image-classifier/train/backends/dawn';
import { activateWebGpu } from '../../../../../components/image-classifier/train/backends/webgpu-backend';
import { DEFAULT_CNN, buildCnn } from '../../../../../components/image-classifier/train/cnn';

afterAll(async () => {
  await tf.setBackend('cpu');
});

it('activates tfjs webgpu on the null device and runs a training step and an async read', async () => {
  const activation = await activateWebGpu({ flags: ['backend=null'] });
  expect(activation.device).toBe('Dawn null device (computes nothing)');
  expect(tf.getBackend()).toBe('webgpu');
  const model = buildCnn({ ...DEFAULT_CNN, imageSize: 16, numClasses: 3, seed: 1 });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const x = tf.zeros([4, 16, 16, 3]);
  const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0], 'int32'), 3);
  const result = (await model.trainOnBatch(x, y)) as number[];
  expect(result).toHaveLength(2);
  const probabilities = model.predict(x) as tf.Tensor;
  expect((await probabilities.data()).length).toBe(12);
  tf.dispose([x, y, probabilities]);
  model.dispose();
  // A second activation reuses the registered backend instead of requiring the package again.
  await expect(activateWebGpu({ flags: ['backend=null'] })).resolves.toEqual(activation);
}, 60_000);

// Where a Vulkan loader exists, a real adapter may be found and taken: the refusal needs a GPU-less machine.
(hasVulkanLoader() ? it.skip : it)('refuses the null device unless it was asked for with backend=null', async () => {
  await expect(activateWebGpu({ flags: [] })).rejects.toThrow(/^webgpu: /);
});
