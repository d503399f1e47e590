// MaxPoolGrad for the wasm backend. 4.22 ships one, but it revisits every pooling window once per
// input pixel it covers and recomputes the window's maximum each time; on the two-convolution
// network at batch 64 it was the slowest kernel of a training step (40 of 146 ms in tf.profile).
// This one finds each window's maximum once and sends the window's gradient there.
//
// Which pixel gets the gradient follows tfjs's cpu kernel exactly, so the two agree on ties (common
// after a ReLU, where whole windows are 0): the first maximum in row-major window order, by a strict
// `>`, and nothing for a window whose every pixel is NaN or -Infinity.
import * as tf from '@tensorflow/tfjs';
import { asWasmBackend, heapFloats, kernelInput } from './wasm-kernel-context';

export const MAX_POOL_GRAD = 'MaxPoolGrad';

interface MaxPoolGradAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** dx[argmax of window (b, oh, ow, c)] += dy[b, oh, ow, c], over every window; dx must start zeroed. */
export function scatterToWindowMaxima(x: Float32Array, dy: Float32Array, info: tf.backend_util.Conv2DInfo, dx: Float32Array): void {
  const { batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  // The running maxima of the window's channels, which lie next to each other in NHWC.
  const best = new Float32Array(C);
  const where = new Int32Array(C);
  let dyIndex = 0;
  for (let b = 0; b < batchSize; b++) {
    const imageBase = b * H * W * C;
    for (let oh = 0; oh < OH; oh++) {
      const rowFirst = Math.max(0, oh * info.strideHeight - top);
      const rowEnd = Math.min(H, oh * info.strideHeight - top + info.effectiveFilterHeight);
      for (let ow = 0; ow < OW; ow++, dyIndex += C) {
        const colFirst = Math.max(0, ow * info.strideWidth - left);
        const colEnd = Math.min(W, ow * info.strideWidth - left + info.effectiveFilterWidth);
        best.fill(-Infinity);
        where.fill(-1);
        for (let row = rowFirst; row < rowEnd; row++) {
          for (let col = colFirst; col < colEnd; col++) {
            const pixel = imageBase + (row * W + col) * C;
            for (let c = 0; c < C; c++) {
              const value = x[pixel + c]!;
              if (value > best[c]!) {
                best[c] = value;
                where[c] = pixel + c;
              }
            }
          }
        }
        for (let c = 0; c < C; c++) {
          const target = where[c]!;
          if (target >= 0) dx[target]! += dy[dyIndex + c]!;
        }
      }
    }
  }
}

function maxPoolGrad(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const backend = asWasmBackend(args.backend, MAX_POOL_GRAD);
  const input = kernelInput(MAX_POOL_GRAD, args.inputs, 'input');
  const dy = kernelInput(MAX_POOL_GRAD, args.inputs, 'dy');
  const attrs = args.attrs as unknown as MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const dx = backend.makeOutput([...input.shape], 'float32');
  // Views after the last allocation: makeOutput may grow the heap and detach earlier ones.
  const dxValues = heapFloats(backend, dx);
  dxValues.fill(0);
  scatterToWindowMaxima(heapFloats(backend, input), heapFloats(backend, dy), info, dxValues);
  return dx;
}

export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: MAX_POOL_GRAD,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as tf.KernelFunc,
};
