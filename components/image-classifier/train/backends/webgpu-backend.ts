/**
 * Makes tfjs's WebGPU backend the active one on a Dawn adapter. The backend package registers
 * itself only if `navigator.gpu` exists when its module is evaluated, so it is required here,
 * after the WebGPU globals and `navigator.gpu` have been installed, never imported statically.
 * On this backend every read of tensor data must be asynchronous (`await data()`).
 */
import * as tf from '@tensorflow/tfjs';
import { useIm2colFilterGradient } from '../gpu-kernels/im2col-filter-gradient';
import { dawnFlags, loadDawn, probeWebGpuAdapter, type DawnModule } from './dawn';

export interface WebGpuActivation {
  /** The adapter tfjs runs on, e.g. "nvidia hopper (NVIDIA H100 80GB HBM3)". */
  readonly device: string;
}

function installNavigatorGpu(dawn: DawnModule, gpu: unknown): void {
  for (const [name, value] of Object.entries(dawn.globals)) {
    if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  }
  // Node ≥ 21 defines a read-only `navigator` getter; defineProperty replaces it on every version.
  const existing = (globalThis as { navigator?: object }).navigator ?? {};
  Object.defineProperty(globalThis, 'navigator', {
    value: Object.assign(Object.create(existing), { gpu }),
    configurable: true,
    writable: true,
  });
}

/**
 * Finds an adapter and switches tfjs to 'webgpu' on it; throws with the reason when there is no
 * adapter or tfjs cannot initialise the backend. Dawn's null device (it computes nothing) is taken
 * only when asked for explicitly, with the flag `backend=null`: tests use it to run this code path
 * without a GPU.
 */
export async function activateWebGpu(options: { flags?: string[] } = {}): Promise<WebGpuActivation> {
  const flags = options.flags ?? dawnFlags();
  const dawn = loadDawn();
  const probe = await probeWebGpuAdapter({ flags, allowNullDevice: flags.includes('backend=null'), load: () => dawn });
  if (!probe.found) throw new Error(`webgpu: ${probe.reason}.`);
  if (tf.findBackendFactory('webgpu') == null) {
    installNavigatorGpu(dawn, probe.gpu);
    require('@tensorflow/tfjs-backend-webgpu');
  }
  if (tf.findBackendFactory('webgpu') == null) {
    throw new Error('webgpu: @tensorflow/tfjs-backend-webgpu did not register its backend (navigator.gpu was not visible when it loaded).');
  }
  // tfjs's own shader for the filter gradient dominated training steps on an H100; the im2col form
  // replaces it unless KFP_TS_WEBGPU_STOCK_FILTER_GRADIENT=1 asks for the original (to compare).
  useIm2colFilterGradient('webgpu', process.env['KFP_TS_WEBGPU_STOCK_FILTER_GRADIENT'] !== '1');
  const switched = await tf.setBackend('webgpu');
  if (!switched) throw new Error(`webgpu: tfjs could not initialise its WebGPU backend on ${probe.device}.`);
  await tf.ready();
  return { device: probe.device };
}
