// The few things our gradient kernels need from the wasm backend, reached only through tfjs's public
// kernel registry and the backend object it hands to a kernel. Intermediate buffers made here are
// not tensors the engine knows about, so each kernel frees its own with `release`.
import type * as tf from '@tensorflow/tfjs';
import { runBackendKernel } from '../kernel-call';

type TensorInfo = tf.TensorInfo;

/** The part of tfjs-backend-wasm's BackendWasm that our kernels use. */
export interface WasmBackendLike {
  /** Allocates an output on the wasm heap (contents are not zeroed). */
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  /** A Float32Array view of a tensor's heap memory; invalid once the heap grows (any makeOutput). */
  typedArrayFromHeap(info: TensorInfo): tf.TypedArray;
  /** Drops one reference; frees the heap memory at zero. */
  disposeData(dataId: tf.DataId): boolean;
}

export function asWasmBackend(backend: unknown, kernelName: string): WasmBackendLike {
  const candidate = backend as Partial<WasmBackendLike> | null;
  if (
    candidate === null ||
    typeof candidate.makeOutput !== 'function' ||
    typeof candidate.typedArrayFromHeap !== 'function' ||
    typeof candidate.disposeData !== 'function'
  ) {
    throw new Error(
      `${kernelName}: this kernel runs only on the 'wasm' backend (it writes into the wasm heap); ` +
        `call setTrainingBackend('wasm') or tf.setBackend('wasm') before training`,
    );
  }
  return candidate as WasmBackendLike;
}

/** Runs another kernel registered for 'wasm' (XNNPACK Conv2D, BatchMatMul, ...) directly, not through the engine. */
export function runWasmKernel(
  backend: WasmBackendLike,
  kernelName: string,
  inputs: Record<string, TensorInfo>,
  attrs: Record<string, unknown>,
): TensorInfo {
  return runBackendKernel('wasm', backend, kernelName, inputs, attrs);
}

export function reshapeOnWasm(backend: WasmBackendLike, x: TensorInfo, shape: number[]): TensorInfo {
  return runWasmKernel(backend, 'Reshape', { x }, { shape });
}

/** Frees intermediates made by this kernel (or drops the reference a Reshape added). */
export function release(backend: WasmBackendLike, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** A float32 heap view; call it only after the last allocation of the kernel, since allocation may move the heap. */
export function heapFloats(backend: WasmBackendLike, info: TensorInfo): Float32Array {
  const view = backend.typedArrayFromHeap(info);
  if (!(view instanceof Float32Array)) {
    throw new Error(`expected a float32 tensor, got dtype '${info.dtype}' with shape [${info.shape.join(', ')}]`);
  }
  return view;
}

/** A named input of a kernel call; the engine always passes them, so a missing one is a caller bug. */
export function kernelInput(kernelName: string, inputs: tf.NamedTensorInfoMap, name: string): TensorInfo {
  const input = inputs[name];
  if (input === undefined) throw new Error(`${kernelName}: input '${name}' is missing`);
  return input;
}
