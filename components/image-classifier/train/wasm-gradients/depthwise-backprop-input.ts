// DepthwiseConv2dNativeBackpropInput for the wasm backend, which 4.22 does not ship.
//
// dx is a forward XNNPACK depthwise convolution (multiplier 1) of the stride-upsampled dy, all C·M
// channels, with the 180°-rotated filter and explicit padding (see inputGradientAsForwardConv, which
// Conv2DBackpropInput shares); for a channel multiplier M > 1 the
// M results belonging to each input channel are then summed (wasm's Sum kernel).
import type * as tf from '@tensorflow/tfjs';
import { type ConvAttrs, convGeometry } from './conv-geometry';
import { flippedDepthwiseFilter, inputGradientAsForwardConv } from './transposed-conv-inputs';
import { asWasmBackend, kernelInput, release, reshapeOnWasm, runWasmKernel } from './wasm-kernel-context';

export const DEPTHWISE_BACKPROP_INPUT = 'DepthwiseConv2dNativeBackpropInput';

interface DepthwiseBackpropInputAttrs extends ConvAttrs {
  inputShape: [number, number, number, number];
}

function depthwiseBackpropInput(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = asWasmBackend(args.backend, DEPTHWISE_BACKPROP_INPUT);
  const dy = kernelInput(DEPTHWISE_BACKPROP_INPUT, args.inputs, 'dy');
  const filter = kernelInput(DEPTHWISE_BACKPROP_INPUT, args.inputs, 'filter');
  const attrs = args.attrs as unknown as DepthwiseBackpropInputAttrs;
  const g = convGeometry(DEPTHWISE_BACKPROP_INPUT, attrs.inputShape, filter.shape, dy.shape, attrs, true);
  const perChannel = inputGradientAsForwardConv(backend, 'DepthwiseConv2dNative', dy, flippedDepthwiseFilter(backend, filter), g);

  const multiplier = g.outChannels / g.inChannels;
  if (multiplier === 1) return perChannel;
  const grouped = reshapeOnWasm(backend, perChannel, [g.batch, g.inHeight, g.inWidth, g.inChannels, multiplier]);
  const dx = runWasmKernel(backend, 'Sum', { x: grouped }, { axis: [4], keepDims: false });
  release(backend, grouped, perChannel);
  return dx;
}

export const depthwiseBackpropInputConfig: tf.KernelConfig = {
  kernelName: DEPTHWISE_BACKPROP_INPUT,
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropInput as tf.KernelFunc,
};
