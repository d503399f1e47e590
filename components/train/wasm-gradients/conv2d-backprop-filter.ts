// Conv2DBackpropFilter for the wasm backend, which 4.22 does not ship: im2col + BatchMatMul.
//
// dW, seen as a [KH·KW·Cin, Cout] matrix, is patchesᵀ · dy with dy seen as [N·OH·OW, Cout]. We
// build the patch matrix already transposed ([KH·KW·Cin, N·OH·OW], one row per filter tap) straight
// into the wasm heap, because wasm's BatchMatMul only takes its XNNPACK path for untransposed,
// batch-1 operands; with transposeA it falls back to a naive loop about 10× slower.
import * as tf from '@tensorflow/tfjs';
import { ConvAttrs, ConvGeometry, convGeometry } from './conv-geometry';
import { WasmBackendLike, asWasmBackend, heapFloats, kernelInput, release, reshapeOnWasm, runWasmKernel } from './wasm-kernel-context';

export const CONV2D_BACKPROP_FILTER = 'Conv2DBackpropFilter';

interface Conv2DBackpropFilterAttrs extends ConvAttrs {
  filterShape: [number, number, number, number];
}

/**
 * Writes the transposed patch matrix: row (kh, kw, c) holds, for every output position (n, oh, ow),
 * the input value that tap sees there, or 0 where it falls into the padding.
 */
function fillTransposedPatches(x: Float32Array, g: ConvGeometry, patches: Float32Array): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const positions = g.batch * OH * OW;
  const rowStrideX = W * C;
  const colStepX = g.strideWidth * C;
  let row = 0;
  for (let kh = 0; kh < g.filterHeight; kh++) {
    const rowOffset = kh * g.dilationHeight - g.padTop;
    for (let kw = 0; kw < g.filterWidth; kw++) {
      const colOffset = kw * g.dilationWidth - g.padLeft;
      // Output columns whose input column lies inside the image; the rest read padding.
      const owFirst = Math.min(OW, Math.max(0, Math.ceil(-colOffset / g.strideWidth)));
      const owEnd = Math.max(owFirst, Math.min(OW, Math.ceil((W - colOffset) / g.strideWidth)));
      for (let c = 0; c < C; c++, row++) {
        let out = row * positions;
        for (let n = 0; n < g.batch; n++) {
          const imageBase = n * H * rowStrideX + c;
          for (let oh = 0; oh < OH; oh++) {
            const ih = oh * g.strideHeight + rowOffset;
            if (ih < 0 || ih >= H) {
              patches.fill(0, out, out + OW);
              out += OW;
              continue;
            }
            for (let ow = 0; ow < owFirst; ow++) patches[out++] = 0;
            let xi = imageBase + ih * rowStrideX + (owFirst * g.strideWidth + colOffset) * C;
            for (let ow = owFirst; ow < owEnd; ow++, xi += colStepX) patches[out++] = x[xi];
            for (let ow = owEnd; ow < OW; ow++) patches[out++] = 0;
          }
        }
      }
    }
  }
}

function conv2DBackpropFilter(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const backend: WasmBackendLike = asWasmBackend(args.backend, CONV2D_BACKPROP_FILTER);
  const x = kernelInput(CONV2D_BACKPROP_FILTER, args.inputs, 'x');
  const dy = kernelInput(CONV2D_BACKPROP_FILTER, args.inputs, 'dy');
  const attrs = args.attrs as unknown as Conv2DBackpropFilterAttrs;
  const g = convGeometry(CONV2D_BACKPROP_FILTER, x.shape, attrs.filterShape, dy.shape, attrs, false);

  const taps = g.filterHeight * g.filterWidth * g.inChannels;
  const positions = g.batch * g.outHeight * g.outWidth;
  const patches = backend.makeOutput([1, taps, positions], 'float32');
  // Views are taken after the allocation: growing the heap detaches earlier views.
  fillTransposedPatches(heapFloats(backend, x), g, heapFloats(backend, patches));

  const dyMatrix = reshapeOnWasm(backend, dy, [1, positions, g.outChannels]);
  const product = runWasmKernel(backend, 'BatchMatMul', { a: patches, b: dyMatrix }, { transposeA: false, transposeB: false });
  const dW = reshapeOnWasm(backend, product, attrs.filterShape);
  release(backend, patches, dyMatrix, product);
  return dW;
}

export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: CONV2D_BACKPROP_FILTER,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as tf.KernelFunc,
};
