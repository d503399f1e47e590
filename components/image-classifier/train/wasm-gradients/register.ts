// Registers the convolution gradient kernels that let tfjs 4.22's wasm backend train convnets.
import * as tf from '@tensorflow/tfjs';
// Side effect: registers the wasm backend and its stock kernels first, so that the stock
// Conv2DBackpropInput exists to be wrapped, and a later import cannot overwrite ours.
import '@tensorflow/tfjs-backend-wasm';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter';
import { CONV2D_BACKPROP_INPUT, makeConv2DBackpropInputConfig } from './conv2d-backprop-input';
import { depthwiseBackpropFilterConfig } from './depthwise-backprop-filter';
import { depthwiseBackpropInputConfig } from './depthwise-backprop-input';
import { MAX_POOL_GRAD, maxPoolGradConfig } from './max-pool-grad';
import { BATCH_MAT_MUL, makeUntransposedBatchMatMulConfig } from './untransposed-batch-mat-mul';

// A global symbol, so a second copy of this module still recognises kernels the first registered.
const OURS = Symbol.for('kfp-ts.wasm-gradient-kernel');

function isOurs(config: tf.KernelConfig | undefined): boolean {
  return config !== undefined && (config.kernelFunc as unknown as Record<symbol, unknown>)[OURS] === true;
}

function marked(config: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = (args) => config.kernelFunc(args);
  Object.defineProperty(kernelFunc, OURS, { value: true });
  return { ...config, kernelFunc };
}

/** Kernels that 4.22's wasm backend lacks; a stock one, should a later tfjs ship it, is kept. */
const MISSING_KERNELS: readonly tf.KernelConfig[] = [
  conv2DBackpropFilterConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
];

/**
 * Stock kernels that 4.22's wasm backend runs as naive loops, each replaced by one built from the
 * stock kernel (which it may call for what it does not speed up); undefined when there is none.
 */
const REPLACED_KERNELS: readonly { readonly name: string; readonly make: (stock: tf.KernelConfig | undefined) => tf.KernelConfig }[] = [
  { name: CONV2D_BACKPROP_INPUT, make: makeConv2DBackpropInputConfig },
  { name: MAX_POOL_GRAD, make: () => maxPoolGradConfig },
  {
    name: BATCH_MAT_MUL,
    make: (stock) => {
      if (stock === undefined)
        throw new Error(`the wasm backend has no ${BATCH_MAT_MUL} kernel to build on; is @tensorflow/tfjs-backend-wasm 4.22 installed?`);
      return makeUntransposedBatchMatMulConfig(stock);
    },
  },
];

/** Every kernel name this module provides on 'wasm'. */
export const WASM_GRADIENT_KERNELS: readonly string[] = [
  ...MISSING_KERNELS.map((config) => config.kernelName),
  ...REPLACED_KERNELS.map((kernel) => kernel.name),
];

/**
 * Registers Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropFilter and
 * DepthwiseConv2dNativeBackpropInput for the 'wasm' backend, and replaces the stock naive-loop
 * Conv2DBackpropInput (with an XNNPACK convolution), MaxPoolGrad (one pass over the windows) and
 * the transposed cases of BatchMatMul (transpose, then XNNPACK), each falling back to the stock
 * kernel for what it does not cover. Idempotent; may be called before or after the wasm backend is initialised.
 * Returns the kernel names now served by this module.
 */
export function registerWasmGradientKernels(): string[] {
  const served: string[] = [];
  for (const config of MISSING_KERNELS) {
    const current = tf.getKernel(config.kernelName, 'wasm');
    if (current === undefined) tf.registerKernel(marked(config));
    if (current === undefined || isOurs(current)) served.push(config.kernelName);
  }
  for (const { name, make } of REPLACED_KERNELS) {
    const stock = tf.getKernel(name, 'wasm');
    if (!isOurs(stock)) {
      const replacement = marked(make(stock));
      if (stock !== undefined) tf.unregisterKernel(name, 'wasm');
      tf.registerKernel(replacement);
    }
    served.push(name);
  }
  return served;
}
