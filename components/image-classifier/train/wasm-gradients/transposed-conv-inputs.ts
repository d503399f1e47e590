// Operands of the input gradient computed as a forward convolution: dy spread out by the stride
// (zeros between its rows and columns) and the filter rotated by 180° in space. Both are written
// into the wasm heap in JS: the filter is small, and the upsampling is one pass over dy.
import type * as tf from '@tensorflow/tfjs';
import { type ConvGeometry, asShape4, hasNegativePadding, transposedConvPadding } from './conv-geometry';
import { type WasmBackendLike, heapFloats, release, runWasmKernel } from './wasm-kernel-context';

/**
 * The set-up both input gradients (Conv2D's and the depthwise one's) share: dx as a forward
 * stride-1 XNNPACK convolution (`forwardKernel`) of the stride-upsampled dy with `flippedFilter`,
 * padded by transposedConvPadding. XNNPACK takes no negative padding, which an explicit padding
 * wider than the dilated filter gives: such a side is left unpadded and the rows or columns it
 * would have removed are cropped from the result. Frees `flippedFilter`.
 */
export function inputGradientAsForwardConv(
  backend: WasmBackendLike,
  forwardKernel: 'Conv2D' | 'DepthwiseConv2dNative',
  dy: tf.TensorInfo,
  flippedFilter: tf.TensorInfo,
  g: ConvGeometry,
): tf.TensorInfo {
  const padding = transposedConvPadding(g);
  const upsampled = upsampleByStride(backend, dy, g);
  const full = runWasmKernel(
    backend,
    forwardKernel,
    { x: upsampled ?? dy, filter: flippedFilter },
    {
      strides: [1, 1],
      dilations: [g.dilationHeight, g.dilationWidth],
      pad: [
        [0, 0],
        [Math.max(0, padding.top), Math.max(0, padding.bottom)],
        [Math.max(0, padding.left), Math.max(0, padding.right)],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      dimRoundingMode: undefined,
    },
  );
  release(backend, flippedFilter);
  if (upsampled !== null) release(backend, upsampled);
  if (!hasNegativePadding(padding)) return full;
  const begin = [0, Math.max(0, -padding.top), Math.max(0, -padding.left), 0];
  const cropped = runWasmKernel(
    backend,
    'Slice',
    { x: full },
    { begin, size: [g.batch, g.inHeight, g.inWidth, asShape4(forwardKernel, 'its output', full.shape)[3]] },
  );
  release(backend, full);
  return cropped;
}

/**
 * dy with (stride − 1) zero rows/columns between its own: shape
 * [N, (OH − 1)·sh + 1, (OW − 1)·sw + 1, C]. Returns null for stride 1, where dy is used as is.
 */
export function upsampleByStride(backend: WasmBackendLike, dy: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo | null {
  if (g.strideHeight === 1 && g.strideWidth === 1) return null;
  const [N, OH, OW, C] = asShape4('upsampleByStride', 'dy', dy.shape);
  const height = (OH - 1) * g.strideHeight + 1;
  const width = (OW - 1) * g.strideWidth + 1;
  const out = backend.makeOutput([N, height, width, C], 'float32');
  const source = heapFloats(backend, dy);
  const target = heapFloats(backend, out);
  target.fill(0);
  let si = 0;
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      let ti = (n * height + oh * g.strideHeight) * width * C;
      for (let ow = 0; ow < OW; ow++, ti += g.strideWidth * C) {
        for (let c = 0; c < C; c++) target[ti + c] = source[si++]!; // `!`: si counts dy's N·OH·OW·C values
      }
    }
  }
  return out;
}

/**
 * For Conv2D: [KH, KW, Cin, Cout] → [KH, KW, Cout, Cin], rotated 180° in space with the channel
 * axes swapped, so that convolving dy (Cout channels) yields dx (Cin channels).
 */
export function flippedConvFilter(backend: WasmBackendLike, filter: tf.TensorInfo): tf.TensorInfo {
  const [KH, KW, CI, CO] = asShape4('flippedConvFilter', 'the filter', filter.shape);
  const out = backend.makeOutput([KH, KW, CO, CI], 'float32');
  const source = heapFloats(backend, filter);
  const target = heapFloats(backend, out);
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      const from = ((KH - 1 - kh) * KW + (KW - 1 - kw)) * CI * CO;
      const to = (kh * KW + kw) * CO * CI;
      for (let ci = 0; ci < CI; ci++) {
        for (let co = 0; co < CO; co++) target[to + co * CI + ci] = source[from + ci * CO + co]!; // `!`: kh, kw, ci, co inside the filter's shape
      }
    }
  }
  return out;
}

/**
 * For DepthwiseConv2dNative: [KH, KW, C, M] → [KH, KW, C·M, 1], rotated 180° in space. dy's C·M
 * channels are then convolved one by one (multiplier 1); summing each group of M gives dx.
 */
export function flippedDepthwiseFilter(backend: WasmBackendLike, filter: tf.TensorInfo): tf.TensorInfo {
  const [KH, KW, C, M] = asShape4('flippedDepthwiseFilter', 'the filter', filter.shape);
  const channels = C * M;
  const out = backend.makeOutput([KH, KW, channels, 1], 'float32');
  const source = heapFloats(backend, filter);
  const target = heapFloats(backend, out);
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      const from = ((KH - 1 - kh) * KW + (KW - 1 - kw)) * channels;
      target.set(source.subarray(from, from + channels), (kh * KW + kw) * channels);
    }
  }
  return out;
}
