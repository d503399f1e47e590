// Conv2DBackpropInput for the wasm backend. 4.22 ships one, but as a naive C loop; this computes dx
// as a forward XNNPACK Conv2D of the stride-upsampled dy with the 180°-rotated, channel-swapped
// filter and explicit padding (see inputGradientAsForwardConv). NCHW, which tfjs layers never
// produce, goes to the stock kernel.
import type * as tf from '@tensorflow/tfjs';
import { type ConvAttrs, convGeometry } from './conv-geometry';
import { flippedConvFilter, inputGradientAsForwardConv } from './transposed-conv-inputs';
import { asWasmBackend, kernelInput } from './wasm-kernel-context';

export const CONV2D_BACKPROP_INPUT = 'Conv2DBackpropInput';

interface Conv2DBackpropInputAttrs extends ConvAttrs {
  inputShape: [number, number, number, number];
}

type KernelArgs = Parameters<tf.KernelFunc>[0];

export function makeConv2DBackpropInputConfig(stock: tf.KernelConfig | undefined): tf.KernelConfig {
  const viaStock = (args: KernelArgs, why: string): tf.TensorInfo | tf.TensorInfo[] => {
    if (stock === undefined) throw new Error(`${CONV2D_BACKPROP_INPUT} on wasm: ${why}, and no stock kernel to fall back to`);
    return stock.kernelFunc(args);
  };

  const kernelFunc = (args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] => {
    const attrs = args.attrs as unknown as Conv2DBackpropInputAttrs;
    if (attrs.dataFormat === 'NCHW') return viaStock(args, `attribute dataFormat='NCHW' is not supported`);
    const backend = asWasmBackend(args.backend, CONV2D_BACKPROP_INPUT);
    const dy = kernelInput(CONV2D_BACKPROP_INPUT, args.inputs, 'dy');
    const filter = kernelInput(CONV2D_BACKPROP_INPUT, args.inputs, 'filter');
    const g = convGeometry(CONV2D_BACKPROP_INPUT, attrs.inputShape, filter.shape, dy.shape, attrs, false);
    return inputGradientAsForwardConv(backend, 'Conv2D', dy, flippedConvFilter(backend, filter), g);
  };

  return {
    kernelName: CONV2D_BACKPROP_INPUT,
    backendName: 'wasm',
    kernelFunc: kernelFunc as tf.KernelFunc,
    // The stock setup binds the wasm function our fallback calls; without it the fallback fails
    // with "wasmConv2DBackpropInput is not a function".
    ...(stock?.setupFunc !== undefined ? { setupFunc: stock.setupFunc } : {}),
    ...(stock?.disposeFunc !== undefined ? { disposeFunc: stock.disposeFunc } : {}),
  };
}
