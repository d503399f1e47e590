/**
 * Which tfjs backend a training run uses. `auto` takes, in order: `tensorflow` (tfjs-node-gpu or
 * tfjs-node installed, as in the GPU image), `webgpu` (Dawn finds a real GPU adapter), `wasm`
 * (with our convolution gradient kernels, ~300× faster than stock cpu at training), then `cpu`.
 * Each backend can also be forced, and then fails loudly instead of falling back. The choice, the
 * device and the reason are logged and returned for the run's outputs.
 */
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { probeWebGpuAdapter, type AdapterProbe } from './backends/dawn';
import { activateTensorflow, findTensorflowPackage, type TensorflowPackage } from './backends/tensorflow-backend';
import { activateWebGpu } from './backends/webgpu-backend';
import { setTrainingBackend } from './wasm-gradients';

export const TRAINING_BACKENDS = ['tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type TrainingBackend = (typeof TRAINING_BACKENDS)[number];
export const BACKEND_PREFERENCES = ['auto', ...TRAINING_BACKENDS] as const;
export type BackendPreference = (typeof BACKEND_PREFERENCES)[number];

export interface BackendChoice {
  readonly requested: BackendPreference;
  readonly backend: TrainingBackend;
  /** What the backend computes on, e.g. "nvidia hopper (NVIDIA H100 80GB HBM3)" or the CPU model. */
  readonly device: string;
  /** Why this backend: for the log and the artifacts' metadata. */
  readonly reason: string;
}

export function parseBackendPreference(value: string): BackendPreference {
  if ((BACKEND_PREFERENCES as readonly string[]).includes(value)) return value as BackendPreference;
  const hint = value === 'gpu' || value === 'cuda' ? " ('tensorflow' is tfjs-node-gpu on CUDA, 'webgpu' is Dawn on Vulkan)" : '';
  throw new Error(
    `backend must be one of ${BACKEND_PREFERENCES.join(', ')}, got '${value}'${hint}; 'auto' picks the first that works in that order.`,
  );
}

/** The ways onto each backend; tests replace them to walk the fallbacks without a GPU. */
export interface BackendActivators {
  findTensorflow(): TensorflowPackage | undefined;
  activateTensorflow(name: TensorflowPackage): Promise<{ device: string }>;
  probeWebGpu(): Promise<AdapterProbe>;
  activateWebGpu(): Promise<{ device: string }>;
  activateWasm(): Promise<{ device: string }>;
  activateCpu(): Promise<{ device: string }>;
}

function cpuName(): string {
  const model = os.cpus()[0]?.model.trim();
  return model ? `${model} (one core)` : 'the CPU (one core)';
}

export const DEFAULT_ACTIVATORS: BackendActivators = {
  findTensorflow: () => findTensorflowPackage(),
  activateTensorflow,
  probeWebGpu: () => probeWebGpuAdapter(),
  activateWebGpu: () => activateWebGpu(),
  activateWasm: async () => {
    await setTrainingBackend('wasm');
    return { device: cpuName() };
  },
  activateCpu: async () => {
    await setTrainingBackend('cpu');
    return { device: cpuName() };
  },
};

type Attempt = { readonly choice: Omit<BackendChoice, 'requested'> } | { readonly skipped: string };

async function attemptAuto(backend: TrainingBackend, activators: BackendActivators): Promise<Attempt> {
  try {
    switch (backend) {
      case 'tensorflow': {
        const name = activators.findTensorflow();
        if (name === undefined) return { skipped: 'tensorflow: neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node is installed' };
        const { device } = await activators.activateTensorflow(name);
        return { choice: { backend, device, reason: `${name} is installed` } };
      }
      case 'webgpu': {
        const probe = await activators.probeWebGpu();
        if (!probe.found) return { skipped: `webgpu: ${probe.reason}` };
        const { device } = await activators.activateWebGpu();
        return { choice: { backend, device, reason: 'a WebGPU adapter was found' } };
      }
      case 'wasm': {
        const { device } = await activators.activateWasm();
        return { choice: { backend, device, reason: 'wasm initialised (one core, SIMD where Node supports it)' } };
      }
      case 'cpu': {
        const { device } = await activators.activateCpu();
        return { choice: { backend, device, reason: 'cpu trains convolutions far more slowly than wasm' } };
      }
    }
  } catch (error) {
    return { skipped: `${backend} failed: ${(error as Error).message}` };
  }
}

async function activateRequested(backend: TrainingBackend, activators: BackendActivators): Promise<{ device: string }> {
  switch (backend) {
    case 'tensorflow': {
      const name = activators.findTensorflow();
      if (name === undefined) {
        throw new Error(
          "backend 'tensorflow' needs @tensorflow/tfjs-node-gpu (or @tensorflow/tfjs-node), which downloads libtensorflow at install: " +
            "use the train-gpu container image, or backend 'auto', 'webgpu' or 'wasm'.",
        );
      }
      return activators.activateTensorflow(name);
    }
    case 'webgpu':
      return activators.activateWebGpu();
    case 'wasm':
      return activators.activateWasm();
    case 'cpu':
      return activators.activateCpu();
  }
}

/**
 * Activates the preferred backend. With 'auto' each candidate that is missing or fails is skipped
 * (the skips are part of the reason); a forced backend that fails throws.
 */
export async function chooseTrainingBackend(
  requested: BackendPreference,
  log: (line: string) => void = () => undefined,
  activators: BackendActivators = DEFAULT_ACTIVATORS,
): Promise<BackendChoice> {
  let choice: BackendChoice | undefined;
  if (requested === 'auto') {
    const skipped: string[] = [];
    for (const backend of TRAINING_BACKENDS) {
      const attempt = await attemptAuto(backend, activators);
      if ('skipped' in attempt) {
        skipped.push(attempt.skipped);
        continue;
      }
      const reason = [`auto: ${attempt.choice.reason}`, ...skipped.map((line) => `skipped ${line}`)].join('; ');
      choice = { requested, ...attempt.choice, reason };
      break;
    }
    if (choice === undefined) throw new Error(`no tfjs backend could be initialised: ${skipped.join('; ')}.`);
  } else {
    const { device } = await activateRequested(requested, activators);
    choice = { requested, backend: requested, device, reason: `requested ${requested}` };
  }
  if (tf.getBackend() !== choice.backend)
    throw new Error(`the active tfjs backend is '${tf.getBackend()}' after selecting '${choice.backend}'; something else switched it.`);
  log(`tfjs backend: ${choice.backend} on ${choice.device} (${choice.reason})`);
  return choice;
}
