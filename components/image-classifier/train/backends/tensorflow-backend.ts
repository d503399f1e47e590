/**
 * tfjs-node / tfjs-node-gpu: libtensorflow under tfjs, registered as the 'tensorflow' backend.
 * Their install downloads libtensorflow 2.9.1, so they are present only in images built with
 * internet access (containers/train-gpu); elsewhere the probe reports them missing.
 */
import * as tf from '@tensorflow/tfjs';
import { nvidiaGpuModels } from './nvidia-gpus';

/** Tried in this order: the CUDA build first. */
export const TENSORFLOW_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;
export type TensorflowPackage = (typeof TENSORFLOW_PACKAGES)[number];

export type Resolver = (request: string) => string;

/** The first installed tfjs-node flavour, or undefined. */
export function findTensorflowPackage(resolve: Resolver = require.resolve): TensorflowPackage | undefined {
  for (const name of TENSORFLOW_PACKAGES) {
    try {
      resolve(name);
      return name;
    } catch {
      // Not installed: try the next flavour.
    }
  }
  return undefined;
}

/** Loads the package (which registers 'tensorflow') and makes it the active backend. */
export async function activateTensorflow(name: TensorflowPackage): Promise<{ device: string }> {
  try {
    require(name);
  } catch (error) {
    throw new Error(`tensorflow: ${name} is installed but failed to load: ${(error as Error).message}`);
  }
  if (!(await tf.setBackend('tensorflow'))) throw new Error(`tensorflow: tfjs could not initialise the backend of ${name}.`);
  await tf.ready();
  const gpus = name === '@tensorflow/tfjs-node-gpu' ? nvidiaGpuModels() : [];
  const device =
    gpus.length > 0
      ? `libtensorflow (CUDA) on ${gpus.join(', ')}`
      : `libtensorflow on the CPU${name === '@tensorflow/tfjs-node-gpu' ? ' (no NVIDIA GPU visible)' : ''}`;
  return { device };
}
