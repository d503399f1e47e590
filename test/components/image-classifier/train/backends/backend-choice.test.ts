// Backend selection without a GPU: the `auto` order and its fallbacks are walked with replaced
// activators (each one that succeeds really switches tfjs, so the final "is it active" check runs);
// forced backends fail with guidance instead of falling back.
import * as tf from '@tensorflow/tfjs';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import {
  BACKEND_PREFERENCES,
  DEFAULT_ACTIVATORS,
  chooseTrainingBackend,
  parseBackendPreference,
  type BackendActivators,
} from '../../../../../components/image-classifier/train/backend-choice';

const NO_ADAPTER = { found: false as const, reason: 'no Vulkan loader (libvulkan.so.1) on this machine' };

function activators(overrides: Partial<BackendActivators>): BackendActivators {
  return {
    findTensorflow: () => undefined,
    activateTensorflow: async () => {
      throw new Error('not installed');
    },
    probeWebGpu: async () => NO_ADAPTER,
    activateWebGpu: async () => {
      throw new Error('no adapter');
    },
    activateWasm: DEFAULT_ACTIVATORS.activateWasm,
    activateCpu: DEFAULT_ACTIVATORS.activateCpu,
    ...overrides,
  };
}

/** A stand-in 'tensorflow' or 'webgpu' backend: cpu's kernels are not registered for it, but selection never runs one. */
async function registerStandIn(name: string): Promise<{ device: string }> {
  if (tf.findBackendFactory(name) == null) tf.registerBackend(name, () => new MathBackendCPU());
  if (!(await tf.setBackend(name))) throw new Error(`could not switch to the stand-in ${name}`);
  return { device: `stand-in ${name}` };
}

afterEach(async () => {
  await tf.setBackend('cpu');
  for (const name of ['tensorflow', 'webgpu']) if (tf.findBackendFactory(name) != null) tf.removeBackend(name);
});

describe('parseBackendPreference', () => {
  it('accepts auto and the four backends, in auto order', () => {
    expect(BACKEND_PREFERENCES).toEqual(['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu']);
    for (const name of BACKEND_PREFERENCES) expect(parseBackendPreference(name)).toBe(name);
  });
  it('rejects others, pointing from "gpu" to the two GPU backends', () => {
    expect(() => parseBackendPreference('gpu')).toThrow(
      "backend must be one of auto, tensorflow, webgpu, wasm, cpu, got 'gpu' ('tensorflow' is tfjs-node-gpu on CUDA, 'webgpu' is Dawn on Vulkan)",
    );
    expect(() => parseBackendPreference('webgl')).toThrow("got 'webgl'; 'auto' picks the first that works in that order.");
  });
});

describe('auto', () => {
  it('takes tensorflow first when tfjs-node-gpu is installed, without probing for a WebGPU adapter', async () => {
    const probeWebGpu = jest.fn(async () => NO_ADAPTER);
    const lines: string[] = [];
    const choice = await chooseTrainingBackend(
      'auto',
      (line) => lines.push(line),
      activators({
        findTensorflow: () => '@tensorflow/tfjs-node-gpu',
        activateTensorflow: (name) => registerStandIn('tensorflow').then(() => ({ device: `libtensorflow (CUDA) via ${name}` })),
        probeWebGpu,
      }),
    );
    expect(choice).toEqual({
      requested: 'auto',
      backend: 'tensorflow',
      device: 'libtensorflow (CUDA) via @tensorflow/tfjs-node-gpu',
      reason: 'auto: @tensorflow/tfjs-node-gpu is installed',
    });
    expect(probeWebGpu).not.toHaveBeenCalled();
    expect(lines).toEqual([
      'tfjs backend: tensorflow on libtensorflow (CUDA) via @tensorflow/tfjs-node-gpu (auto: @tensorflow/tfjs-node-gpu is installed)',
    ]);
  });

  it('takes webgpu when tfjs-node is missing and an adapter is found, and says what it skipped', async () => {
    const choice = await chooseTrainingBackend(
      'auto',
      undefined,
      activators({
        probeWebGpu: async () => ({ found: true, gpu: { requestAdapter: async () => null }, device: 'NVIDIA H100 80GB HBM3 (Vulkan)' }),
        activateWebGpu: () => registerStandIn('webgpu'),
      }),
    );
    expect(choice.backend).toBe('webgpu');
    expect(choice.device).toBe('stand-in webgpu');
    expect(choice.reason).toBe(
      'auto: a WebGPU adapter was found; skipped tensorflow: neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node is installed',
    );
    expect(tf.getBackend()).toBe('webgpu');
  });

  it('falls back to wasm when there is no adapter, naming both skips', async () => {
    const choice = await chooseTrainingBackend('auto', undefined, activators({}));
    expect(choice.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(choice.reason).toBe(
      'auto: wasm initialised (one core, SIMD where Node supports it); skipped tensorflow: neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node is installed; ' +
        'skipped webgpu: no Vulkan loader (libvulkan.so.1) on this machine',
    );
  });

  it('falls back past a backend that is present but fails to initialise', async () => {
    const choice = await chooseTrainingBackend(
      'auto',
      undefined,
      activators({
        findTensorflow: () => '@tensorflow/tfjs-node',
        activateTensorflow: async () => {
          throw new Error('libtensorflow.so.2: cannot open shared object file');
        },
        probeWebGpu: async () => ({ found: true, gpu: { requestAdapter: async () => null }, device: 'some GPU' }),
        activateWebGpu: async () => {
          throw new Error('webgpu: tfjs could not initialise its WebGPU backend on some GPU.');
        },
        activateWasm: async () => {
          throw new Error('wasm binary missing');
        },
      }),
    );
    expect(choice.backend).toBe('cpu');
    expect(choice.reason).toContain('skipped tensorflow failed: libtensorflow.so.2: cannot open shared object file');
    expect(choice.reason).toContain('skipped webgpu failed: webgpu: tfjs could not initialise its WebGPU backend on some GPU.');
    expect(choice.reason).toContain('skipped wasm failed: wasm binary missing');
  });

  it('fails with every reason when nothing initialises', async () => {
    const broken = async () => {
      throw new Error('broken');
    };
    await expect(chooseTrainingBackend('auto', undefined, activators({ activateWasm: broken, activateCpu: broken }))).rejects.toThrow(
      /^no tfjs backend could be initialised: tensorflow: neither .*; webgpu: no Vulkan loader .*; wasm failed: broken; cpu failed: broken\.$/,
    );
  });

  it('on this machine (no tfjs-node, no usable GPU) ends on wasm through the real activators', async () => {
    const choice = await chooseTrainingBackend('auto');
    expect(choice.backend).toBe('wasm');
    expect(choice.reason).toMatch(/skipped tensorflow: .*; skipped webgpu: /);
    expect(choice.device).toMatch(/\(one core\)$/);
  });
});

describe('a forced backend', () => {
  it('tensorflow without tfjs-node-gpu says where to get it', async () => {
    await expect(chooseTrainingBackend('tensorflow', undefined, activators({}))).rejects.toThrow(
      "backend 'tensorflow' needs @tensorflow/tfjs-node-gpu (or @tensorflow/tfjs-node), which downloads libtensorflow at install: use the train-gpu container image",
    );
  });
  it('webgpu without an adapter fails instead of falling back', async () => {
    await expect(chooseTrainingBackend('webgpu', undefined, activators({}))).rejects.toThrow('no adapter');
    expect(tf.getBackend()).toBe('cpu');
  });
  it('wasm and cpu activate and name the CPU', async () => {
    expect(await chooseTrainingBackend('cpu')).toMatchObject({ requested: 'cpu', backend: 'cpu', reason: 'requested cpu' });
    expect(await chooseTrainingBackend('wasm')).toMatchObject({ requested: 'wasm', backend: 'wasm', reason: 'requested wasm' });
  });
});
