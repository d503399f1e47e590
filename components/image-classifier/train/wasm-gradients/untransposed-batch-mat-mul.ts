// BatchMatMul for the wasm backend that never hands the stock kernel a transposed operand: 4.22's
// kernel takes its XNNPACK path only for untransposed operands and otherwise runs a naive loop.
// A dense layer's gradients are exactly the transposed products (dx = dy·Wᵀ, dW = xᵀ·dy), which
// made them about 6× slower than the forward product of the same size ([64, 1600] · [1600, 128]:
// 67–72 ms transposed against 11 ms untransposed, one core).
// Transposing the operand first costs one pass over it, far less than the product.
import type * as tf from '@tensorflow/tfjs';
import { asWasmBackend, kernelInput, release, runWasmKernel } from './wasm-kernel-context';

export const BATCH_MAT_MUL = 'BatchMatMul';

type KernelArgs = Parameters<tf.KernelFunc>[0];

interface BatchMatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

/** The permutation that swaps a tensor's last two axes. */
function swapLastTwo(rank: number): number[] {
  const perm = [...Array(rank).keys()];
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

export function makeUntransposedBatchMatMulConfig(stock: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] => {
    const attrs = args.attrs as unknown as BatchMatMulAttrs;
    if (!attrs.transposeA && !attrs.transposeB) return stock.kernelFunc(args);
    const backend = asWasmBackend(args.backend, BATCH_MAT_MUL);
    const a = kernelInput(BATCH_MAT_MUL, args.inputs, 'a');
    const b = kernelInput(BATCH_MAT_MUL, args.inputs, 'b');
    const transposed: tf.TensorInfo[] = [];
    const materialized = (operand: tf.TensorInfo, transpose: boolean): tf.TensorInfo => {
      if (!transpose) return operand;
      const result = runWasmKernel(backend, 'Transpose', { x: operand }, { perm: swapLastTwo(operand.shape.length) });
      transposed.push(result);
      return result;
    };
    const product = stock.kernelFunc({
      ...args,
      inputs: { a: materialized(a, attrs.transposeA), b: materialized(b, attrs.transposeB) },
      attrs: { ...args.attrs, transposeA: false, transposeB: false },
    });
    release(backend, ...transposed);
    return product;
  };
  return {
    kernelName: BATCH_MAT_MUL,
    backendName: 'wasm',
    kernelFunc: kernelFunc as tf.KernelFunc,
    // The stock kernel's setup binds the wasm function it calls.
    ...(stock.setupFunc !== undefined ? { setupFunc: stock.setupFunc } : {}),
    ...(stock.disposeFunc !== undefined ? { disposeFunc: stock.disposeFunc } : {}),
  };
}
