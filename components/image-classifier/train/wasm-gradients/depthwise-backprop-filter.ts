// DepthwiseConv2dNativeBackpropFilter for the wasm backend, which 4.22 does not ship.
//
// Each filter entry (kh, kw, c, m) only meets input channel c, so this is not a matrix product
// across channels: a direct accumulation over output positions reads x and dy once per tap, the
// same traffic an im2col would cost before any multiply. Sums are kept in float64 (JS numbers, so
// no slower than float32) because each one runs over all N·OH·OW output positions.
import type * as tf from '@tensorflow/tfjs';
import { type ConvAttrs, type ConvGeometry, convGeometry } from './conv-geometry';
import { asWasmBackend, heapFloats, kernelInput } from './wasm-kernel-context';

export const DEPTHWISE_BACKPROP_FILTER = 'DepthwiseConv2dNativeBackpropFilter';

interface DepthwiseBackpropFilterAttrs extends ConvAttrs {
  filterShape: [number, number, number, number];
}

/** dW[kh, kw, c, m] = Σ over (n, oh, ow) of x[n, ih, iw, c] · dy[n, oh, ow, c·M + m]. */
function accumulateDepthwiseFilterGradient(x: Float32Array, dy: Float32Array, g: ConvGeometry, dW: Float32Array): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const M = g.outChannels / C;
  const sums = new Float64Array(g.filterHeight * g.filterWidth * C * M);
  let dyBase = 0;
  for (let n = 0; n < g.batch; n++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++, dyBase += C * M) {
        for (let kh = 0; kh < g.filterHeight; kh++) {
          const ih = oh * g.strideHeight - g.padTop + kh * g.dilationHeight;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < g.filterWidth; kw++) {
            const iw = ow * g.strideWidth - g.padLeft + kw * g.dilationWidth;
            if (iw < 0 || iw >= W) continue;
            const xBase = ((n * H + ih) * W + iw) * C;
            const sumBase = (kh * g.filterWidth + kw) * C * M;
            // `!`: ih, iw are inside the image (checked above), c < C, m < M, kh, kw inside the filter.
            if (M === 1) {
              for (let c = 0; c < C; c++) sums[sumBase + c]! += x[xBase + c]! * dy[dyBase + c]!;
            } else {
              for (let c = 0; c < C; c++) {
                const xv = x[xBase + c]!;
                for (let m = 0; m < M; m++) sums[sumBase + c * M + m]! += xv * dy[dyBase + c * M + m]!;
              }
            }
          }
        }
      }
    }
  }
  dW.set(sums);
}

function depthwiseBackpropFilter(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = asWasmBackend(args.backend, DEPTHWISE_BACKPROP_FILTER);
  const x = kernelInput(DEPTHWISE_BACKPROP_FILTER, args.inputs, 'x');
  const dy = kernelInput(DEPTHWISE_BACKPROP_FILTER, args.inputs, 'dy');
  const attrs = args.attrs as unknown as DepthwiseBackpropFilterAttrs;
  const g = convGeometry(DEPTHWISE_BACKPROP_FILTER, x.shape, attrs.filterShape, dy.shape, attrs, true);
  const dW = backend.makeOutput([...attrs.filterShape], 'float32');
  accumulateDepthwiseFilterGradient(heapFloats(backend, x), heapFloats(backend, dy), g, heapFloats(backend, dW));
  return dW;
}

export const depthwiseBackpropFilterConfig: tf.KernelConfig = {
  kernelName: DEPTHWISE_BACKPROP_FILTER,
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropFilter as tf.KernelFunc,
};
