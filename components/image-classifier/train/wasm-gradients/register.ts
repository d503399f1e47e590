// Registers the convolution gradient kernels that let tfjs 4.22's wasm backend train convnets.
import * as tf from '@tensorflow/tfjs';
// Side effect: registers the wasm backend and its stock kernels first, so that the stock
// Conv2DBackpropInput exists to be wrapped, and a later import cannot overwrite ours.
import '@tensorflow/tfjs-backend-wasm';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter';
import { CONV2D_BACKPROP_INPUT, makeConv2DBackpropInputConfig } from './conv2d-backprop-input';
import { depthwiseBackpropFilterConfig } from './depthwise-backprop-filter';
import { depthwiseBackpropInputConfig } from './depthwise-backprop-input';

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

/** Every kernel name this module provides on 'wasm'. */
export const WASM_GRADIENT_KERNELS: readonly string[] = [
  ...MISSING_KERNELS.map((config) => config.kernelName),
  CONV2D_BACKPROP_INPUT,
];

/**
 * Registers Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropFilter and
 * DepthwiseConv2dNativeBackpropInput for the 'wasm' backend, and replaces the stock (naive-loop)
 * Conv2DBackpropInput with an XNNPACK-convolution one that falls back to the stock kernel for what
 * it does not cover. Idempotent; may be called before or after the wasm backend is initialised.
 * Returns the kernel names now served by this module.
 */
export function registerWasmGradientKernels(): string[] {
  const served: string[] = [];
  for (const config of MISSING_KERNELS) {
    const current = tf.getKernel(config.kernelName, 'wasm');
    if (current === undefined) tf.registerKernel(marked(config));
    if (current === undefined || isOurs(current)) served.push(config.kernelName);
  }
  const stockInput = tf.getKernel(CONV2D_BACKPROP_INPUT, 'wasm');
  if (!isOurs(stockInput)) {
    if (stockInput !== undefined) tf.unregisterKernel(CONV2D_BACKPROP_INPUT, 'wasm');
    tf.registerKernel(marked(makeConv2DBackpropInputConfig(stockInput)));
  }
  served.push(CONV2D_BACKPROP_INPUT);
  return served;
}
