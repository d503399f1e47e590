// Conv2DBackpropFilter for the wasm backend, which 4.22 does not ship: im2col + BatchMatMul.
//
// dW, seen as a [KH·KW·Cin, Cout] matrix, is patchesᵀ · dy with dy seen as [N·OH·OW, Cout]. We
// build the patch matrix already transposed ([KH·KW·Cin, N·OH·OW], one row per filter tap) straight
// into the wasm heap, because wasm's BatchMatMul only takes its XNNPACK path for untransposed,
// batch-1 operands; with transposeA it falls back to a naive loop about 10× slower. The patch
// matrix is KH·KW times the input, so large batches go in chunks of images whose partial dW add up:
// the wasm heap is limited to 4 GB.
import type * as tf from '@tensorflow/tfjs';
import { type ConvAttrs, type ConvGeometry, convGeometry } from './conv-geometry';
import { type WasmBackendLike, asWasmBackend, heapFloats, kernelInput, release, reshapeOnWasm, runWasmKernel } from './wasm-kernel-context';

export const CONV2D_BACKPROP_FILTER = 'Conv2DBackpropFilter';

/** Patch-matrix floats per chunk (64 MB); a chunk still holds at least one image. */
const CHUNK_FLOATS = 1 << 24;

interface Conv2DBackpropFilterAttrs extends ConvAttrs {
  filterShape: [number, number, number, number];
}

/**
 * Writes the transposed patch matrix of images [first, end): row (kh, kw, c) holds, for every
 * output position (n, oh, ow), the input value that tap sees there, or 0 where it falls into the padding.
 */
function fillTransposedPatches(x: Float32Array, g: ConvGeometry, first: number, end: number, patches: Float32Array): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  const positions = (end - first) * OH * OW;
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
        for (let n = first; n < end; n++) {
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
            // `!`: owFirst..owEnd are the columns whose input column lies inside the image (computed above).
            for (let ow = owFirst; ow < owEnd; ow++, xi += colStepX) patches[out++] = x[xi]!;
            for (let ow = owEnd; ow < OW; ow++) patches[out++] = 0;
          }
        }
      }
    }
  }
}

function conv2DBackpropFilter(
  args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap },
  chunkFloats: number,
): tf.TensorInfo {
  const backend: WasmBackendLike = asWasmBackend(args.backend, CONV2D_BACKPROP_FILTER);
  const x = kernelInput(CONV2D_BACKPROP_FILTER, args.inputs, 'x');
  const dy = kernelInput(CONV2D_BACKPROP_FILTER, args.inputs, 'dy');
  const attrs = args.attrs as unknown as Conv2DBackpropFilterAttrs;
  const g = convGeometry(CONV2D_BACKPROP_FILTER, x.shape, attrs.filterShape, dy.shape, attrs, false);

  const taps = g.filterHeight * g.filterWidth * g.inChannels;
  const imagePositions = g.outHeight * g.outWidth;
  if (g.batch * imagePositions === 0) {
    // No output positions (an empty batch or image): nothing contributes to dW.
    const zeros = backend.makeOutput([...attrs.filterShape], 'float32');
    heapFloats(backend, zeros).fill(0);
    return zeros;
  }
  const imagesPerChunk = Math.max(1, Math.floor(chunkFloats / (taps * imagePositions)));
  let sum: tf.TensorInfo | null = null;
  for (let first = 0; first < g.batch; first += imagesPerChunk) {
    const end = Math.min(g.batch, first + imagesPerChunk);
    const partial = filterGradientOfImages(backend, x, dy, g, first, end);
    if (sum === null) {
      sum = partial;
    } else {
      const total = heapFloats(backend, sum);
      const part = heapFloats(backend, partial);
      for (let i = 0; i < total.length; i++) total[i]! += part[i]!; // `!`: both hold the filter's element count
      release(backend, partial);
    }
  }
  if (sum === null) throw new Error(`${CONV2D_BACKPROP_FILTER}: no chunk computed for x of shape [${x.shape.join(', ')}]`);
  const dW = reshapeOnWasm(backend, sum, attrs.filterShape);
  release(backend, sum);
  return dW;
}

/** dW of images [first, end) as a [1, KH·KW·Cin, Cout] matrix. */
function filterGradientOfImages(
  backend: WasmBackendLike,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  g: ConvGeometry,
  first: number,
  end: number,
): tf.TensorInfo {
  const taps = g.filterHeight * g.filterWidth * g.inChannels;
  const positions = (end - first) * g.outHeight * g.outWidth;
  const patches = backend.makeOutput([1, taps, positions], 'float32');
  const whole = first === 0 && end === g.batch;
  // dy rows of these images are contiguous: copied for a chunk, used in place for the whole batch.
  const dyMatrix = whole
    ? reshapeOnWasm(backend, dy, [1, positions, g.outChannels])
    : backend.makeOutput([1, positions, g.outChannels], 'float32');
  // Views are taken after the allocations: growing the heap detaches earlier views.
  fillTransposedPatches(heapFloats(backend, x), g, first, end, heapFloats(backend, patches));
  if (!whole) {
    const rows = positions * g.outChannels;
    const from = first * g.outHeight * g.outWidth * g.outChannels;
    heapFloats(backend, dyMatrix).set(heapFloats(backend, dy).subarray(from, from + rows));
  }
  const product = runWasmKernel(backend, 'BatchMatMul', { a: patches, b: dyMatrix }, { transposeA: false, transposeB: false });
  release(backend, patches, dyMatrix);
  return product;
}

/** `chunkFloats` bounds the patch matrix of one chunk of images; tests make it small to split batches. */
export function makeConv2DBackpropFilterConfig(chunkFloats = CHUNK_FLOATS): tf.KernelConfig {
  return {
    kernelName: CONV2D_BACKPROP_FILTER,
    backendName: 'wasm',
    kernelFunc: ((args: Parameters<typeof conv2DBackpropFilter>[0]) => conv2DBackpropFilter(args, chunkFloats)) as tf.KernelFunc,
  };
}

export const conv2DBackpropFilterConfig = makeConv2DBackpropFilterConfig();
