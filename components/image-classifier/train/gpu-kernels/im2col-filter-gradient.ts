// Conv2DBackpropFilter as im2col + one batched matrix product, composed from a backend's own
// kernels (PadV2, StridedSlice, Concat, Reshape, BatchMatMul, Sum). tfjs 4.22's webgpu ships a
// direct shader for this gradient that took 92–99 % of a training step of the demo CNN on an
// H100 (bench/gpu/profile-step.ts); the product form runs on its tuned matmul instead.
//
// dW seen as [KH·KW·Cin, Cout] is patchesᵀ · dy, with patches [N·OH·OW, KH·KW·Cin] (one strided
// slice of the padded input per filter tap, concatenated along channels in (kh, kw, c) order, which
// is the filter's own layout) and dy seen as [N·OH·OW, Cout]. The reduction over N·OH·OW is long
// and the output small, so it is split into B chunks: a [B, rows, ·] batched product gives B
// partial dW that one Sum adds; a patch matrix over one binding's size goes in chunks of images.
// Written against kernel names only, so the same code also runs on
// the cpu backend, where its results are checked against the stock kernel.
import * as tf from '@tensorflow/tfjs';
import { runBackendKernel } from '../kernel-call';
import { convGeometry, type ConvAttrs, type ConvGeometry } from '../wasm-gradients/conv-geometry';

export const CONV2D_BACKPROP_FILTER = 'Conv2DBackpropFilter';

/**
 * Patch-matrix floats per pass (128 MiB): WebGPU's default limit on one storage-buffer binding,
 * which is what many adapters offer; larger batches go in chunks of images whose dW add up.
 */
const MAX_PATCH_FLOATS = (128 * 1024 * 1024) / 4 - 1024;

/** Rows of the reduction each chunk takes, at least; chunks are whole divisors of N·OH·OW. */
const MIN_ROWS_PER_CHUNK = 2048;

interface BackendLike {
  disposeData(dataId: tf.DataId): boolean;
}

/** The largest divisor of `rows` that leaves each chunk at least MIN_ROWS_PER_CHUNK rows (1 if none). */
export function reductionChunks(rows: number): number {
  for (let chunks = Math.floor(rows / MIN_ROWS_PER_CHUNK); chunks > 1; chunks--) {
    if (rows % chunks === 0) return chunks;
  }
  return 1;
}

export function makeIm2colFilterGradient(backendName: string, maxPatchFloats = MAX_PATCH_FLOATS): tf.KernelConfig {
  const run = (backend: unknown, name: string, inputs: Record<string, tf.TensorInfo> | tf.TensorInfo[], attrs: Record<string, unknown>) =>
    runBackendKernel(backendName, backend, name, inputs, attrs);

  /** dW of images [first, first + count) as a [KH·KW·Cin, Cout] matrix. */
  const imageChunkGradient = (
    backend: unknown,
    x: tf.TensorInfo,
    dy: tf.TensorInfo,
    g: ConvGeometry,
    first: number,
    count: number,
  ): tf.TensorInfo => {
    const owned: tf.TensorInfo[] = [];
    const keep = (info: tf.TensorInfo) => {
      owned.push(info);
      return info;
    };
    try {
      const whole = first === 0 && count === g.batch;
      const xPart = whole
        ? x
        : keep(run(backend, 'Slice', { x }, { begin: [first, 0, 0, 0], size: [count, g.inHeight, g.inWidth, g.inChannels] }));
      const dyPart = whole
        ? dy
        : keep(run(backend, 'Slice', { x: dy }, { begin: [first, 0, 0, 0], size: [count, g.outHeight, g.outWidth, g.outChannels] }));
      const rowsNeeded = (g.outHeight - 1) * g.strideHeight + (g.filterHeight - 1) * g.dilationHeight + 1;
      const colsNeeded = (g.outWidth - 1) * g.strideWidth + (g.filterWidth - 1) * g.dilationWidth + 1;
      const padBottom = Math.max(0, rowsNeeded - g.padTop - g.inHeight);
      const padRight = Math.max(0, colsNeeded - g.padLeft - g.inWidth);
      const padded =
        g.padTop + padBottom + g.padLeft + padRight === 0
          ? xPart
          : keep(
              run(
                backend,
                'PadV2',
                { x: xPart },
                {
                  paddings: [
                    [0, 0],
                    [g.padTop, padBottom],
                    [g.padLeft, padRight],
                    [0, 0],
                  ],
                  constantValue: 0,
                },
              ),
            );
      const slices: tf.TensorInfo[] = [];
      for (let kh = 0; kh < g.filterHeight; kh++) {
        for (let kw = 0; kw < g.filterWidth; kw++) {
          const top = kh * g.dilationHeight;
          const left = kw * g.dilationWidth;
          slices.push(
            keep(
              run(
                backend,
                'StridedSlice',
                { x: padded },
                {
                  begin: [0, top, left, 0],
                  end: [count, top + (g.outHeight - 1) * g.strideHeight + 1, left + (g.outWidth - 1) * g.strideWidth + 1, g.inChannels],
                  strides: [1, g.strideHeight, g.strideWidth, 1],
                  beginMask: 0,
                  endMask: 0,
                  ellipsisMask: 0,
                  newAxisMask: 0,
                  shrinkAxisMask: 0,
                },
              ),
            ),
          );
        }
      }
      const patches = slices.length === 1 ? slices[0]! : keep(run(backend, 'Concat', slices, { axis: 3 }));
      const rows = count * g.outHeight * g.outWidth;
      const taps = g.filterHeight * g.filterWidth * g.inChannels;
      const chunks = reductionChunks(rows);
      const a = keep(run(backend, 'Reshape', { x: patches }, { shape: [chunks, rows / chunks, taps] }));
      const b = keep(run(backend, 'Reshape', { x: dyPart }, { shape: [chunks, rows / chunks, g.outChannels] }));
      const partial = keep(run(backend, 'BatchMatMul', { a, b }, { transposeA: true, transposeB: false }));
      return chunks === 1
        ? run(backend, 'Reshape', { x: partial }, { shape: [taps, g.outChannels] })
        : run(backend, 'Sum', { x: partial }, { axis: [0], keepDims: false });
    } finally {
      for (const info of owned) (backend as BackendLike).disposeData(info.dataId);
    }
  };

  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const filterShape = (attrs as { filterShape: [number, number, number, number] }).filterShape;
    const g = convGeometry(CONV2D_BACKPROP_FILTER, x.shape, filterShape, dy.shape, attrs as unknown as ConvAttrs, false);
    const patchFloatsPerImage = g.outHeight * g.outWidth * g.filterHeight * g.filterWidth * g.inChannels;
    const imagesPerChunk = Math.max(1, Math.floor(maxPatchFloats / Math.max(1, patchFloatsPerImage)));
    let total: tf.TensorInfo | undefined;
    for (let first = 0; first < g.batch; first += imagesPerChunk) {
      const part = imageChunkGradient(backend, x, dy, g, first, Math.min(imagesPerChunk, g.batch - first));
      if (total === undefined) {
        total = part;
        continue;
      }
      const sum = run(backend, 'Add', { a: total, b: part }, {});
      (backend as BackendLike).disposeData(total.dataId);
      (backend as BackendLike).disposeData(part.dataId);
      total = sum;
    }
    if (total === undefined) throw new Error(`${CONV2D_BACKPROP_FILTER}: an empty batch has no filter gradient to compute.`);
    const out = run(backend, 'Reshape', { x: total }, { shape: [...filterShape] });
    (backend as BackendLike).disposeData(total.dataId);
    return out;
  };
  return { kernelName: CONV2D_BACKPROP_FILTER, backendName, kernelFunc };
}

// A global symbol, so a second copy of this module still recognises the kernel the first registered.
const OURS = Symbol.for('kfp-ts.im2col-filter-gradient');
const stock = new Map<string, tf.KernelConfig | undefined>();

/**
 * Serves Conv2DBackpropFilter on `backendName` with the im2col form (`true`) or the backend's stock
 * kernel (`false`, e.g. to compare them). Idempotent.
 */
export function useIm2colFilterGradient(backendName: string, enabled: boolean): void {
  const current = tf.getKernel(CONV2D_BACKPROP_FILTER, backendName);
  const isOurs = current !== undefined && (current as unknown as Record<symbol, unknown>)[OURS] === true;
  if (enabled === isOurs) return;
  if (current !== undefined) tf.unregisterKernel(CONV2D_BACKPROP_FILTER, backendName);
  if (enabled) {
    stock.set(backendName, current);
    const config = makeIm2colFilterGradient(backendName);
    Object.defineProperty(config, OURS, { value: true });
    tf.registerKernel(config);
  } else {
    const original = stock.get(backendName);
    if (original !== undefined) tf.registerKernel(original);
  }
}
