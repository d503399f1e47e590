// Selects the tfjs backend a training run uses in Node, with the wasm gradient kernels in place and
// tfjs's "install tfjs-node" banner kept out of the logs.
import * as tf from '@tensorflow/tfjs';
import { registerWasmGradientKernels } from './register';

export type TrainingBackendName = 'wasm' | 'cpu';

const TRAINING_BACKENDS: readonly TrainingBackendName[] = ['wasm', 'cpu'];

// Printed by the cpu backend on its first tensor write under Node: advice we cannot follow offline.
const BANNER_MARK = 'looks like you are running TensorFlow.js in Node.js';

/** Runs `body` with console.warn dropping tfjs's banner; other warnings are collected and still printed. */
async function withoutBanner<T>(body: () => T | Promise<T>): Promise<{ result: T; warnings: string[] }> {
  const original = console.warn;
  const warnings: string[] = [];
  console.warn = (...parts: unknown[]) => {
    const text = parts.map(String).join(' ');
    if (text.includes(BANNER_MARK)) return;
    warnings.push(text);
    original(...parts);
  };
  try {
    return { result: await body(), warnings };
  } finally {
    console.warn = original;
  }
}

/**
 * Makes `name` the active tfjs backend and waits until it is ready. For 'wasm' the gradient kernels
 * are registered first (its binaries ship inside @tensorflow/tfjs-backend-wasm, nothing is fetched;
 * SIMD is used where Node supports it, threads are not available in Node). For 'cpu' the banner it
 * prints on first use is swallowed here.
 */
export async function setTrainingBackend(name: TrainingBackendName): Promise<void> {
  if (!TRAINING_BACKENDS.includes(name)) {
    throw new Error(`setTrainingBackend: unknown backend '${String(name)}'; use one of ${TRAINING_BACKENDS.join(', ')}`);
  }
  if (name === 'wasm') registerWasmGradientKernels();
  const { result: switched, warnings } = await withoutBanner(() => tf.setBackend(name));
  if (!switched) {
    throw new Error(
      `setTrainingBackend: tfjs could not initialise the '${name}' backend` +
        (warnings.length > 0 ? `: ${warnings.join('; ')}` : '') +
        (name === 'wasm' ? ' (check that @tensorflow/tfjs-backend-wasm is installed with its dist/*.wasm files)' : ''),
    );
  }
  await tf.ready();
  // The banner comes with the backend's first write; make that write now, while it is filtered.
  await withoutBanner(() => tf.scalar(0).dispose());
}
