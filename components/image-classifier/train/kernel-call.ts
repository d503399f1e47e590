import * as tf from '@tensorflow/tfjs';

/**
 * Runs a kernel registered for `backendName` directly on `backend`, not through the engine: how
 * our gradient kernels compose a backend's own kernels (BatchMatMul, Conv2D, Concat, …). Concat
 * takes its inputs as an array, the others as a name → tensor map. The result is not a tensor the
 * engine tracks, so the caller frees it with `backend.disposeData` unless it returns it.
 */
export function runBackendKernel(
  backendName: string,
  backend: unknown,
  kernelName: string,
  inputs: Record<string, tf.TensorInfo> | tf.TensorInfo[],
  attrs: Record<string, unknown>,
): tf.TensorInfo {
  const kernel = tf.getKernel(kernelName, backendName);
  if (kernel === undefined)
    throw new Error(`the ${backendName} backend has no '${kernelName}' kernel, which the gradient kernels build on`);
  const out = kernel.kernelFunc({
    inputs: inputs as tf.NamedTensorInfoMap,
    backend: backend as tf.KernelBackend,
    attrs: attrs as tf.NamedAttrMap,
  });
  if (Array.isArray(out)) throw new Error(`${backendName} kernel '${kernelName}' returned several outputs; expected one`);
  return out;
}
