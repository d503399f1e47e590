/**
 * Which tfjs backend a training run uses. `auto` takes wasm (with our convolution gradient
 * kernels, ~300× faster than stock cpu at training) when it initialises, else cpu; the choice and
 * its reason are logged and recorded in the outputs' metadata. GPU backends are a later addition.
 */
import * as tf from '@tensorflow/tfjs';
import { setTrainingBackend, type TrainingBackendName } from './wasm-gradients';

export const BACKEND_PREFERENCES = ['auto', 'wasm', 'cpu'] as const;
export type BackendPreference = (typeof BACKEND_PREFERENCES)[number];

export interface BackendChoice {
  readonly requested: BackendPreference;
  readonly backend: TrainingBackendName;
  /** Why this backend: for the log and the artifacts' metadata. */
  readonly reason: string;
}

export function parseBackendPreference(value: string): BackendPreference {
  if ((BACKEND_PREFERENCES as readonly string[]).includes(value)) return value as BackendPreference;
  const later = ['webgpu', 'webgl', 'tensorflow', 'gpu'].includes(value) ? ` ('${value}' is not available yet: GPU backends come in a later release)` : '';
  throw new Error(`backend must be one of ${BACKEND_PREFERENCES.join(', ')}, got '${value}'${later}; 'auto' picks wasm when it initialises, else cpu.`);
}

/** Activates the preferred backend; with 'auto' a wasm failure falls back to cpu instead of failing the run. */
export async function chooseTrainingBackend(requested: BackendPreference, log: (line: string) => void = () => undefined): Promise<BackendChoice> {
  let choice: BackendChoice;
  if (requested === 'auto') {
    try {
      await setTrainingBackend('wasm');
      choice = { requested, backend: 'wasm', reason: 'auto: wasm initialised (one core, SIMD where Node supports it)' };
    } catch (error) {
      await setTrainingBackend('cpu');
      choice = { requested, backend: 'cpu', reason: `auto: wasm failed to initialise (${(error as Error).message}); cpu trains convolutions far more slowly` };
    }
  } else {
    await setTrainingBackend(requested);
    choice = { requested, backend: requested, reason: `requested ${requested}` };
  }
  if (tf.getBackend() !== choice.backend) throw new Error(`the active tfjs backend is '${tf.getBackend()}' after selecting '${choice.backend}'; something else switched it.`);
  log(`tfjs backend: ${choice.backend} (${choice.reason})`);
  return choice;
}
