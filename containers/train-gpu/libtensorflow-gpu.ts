/**
 * What the GPU image must provide for @tensorflow/tfjs-node-gpu. Its install downloads the GPU
 * build of libtensorflow 2.9.1, which TensorFlow built and tested against CUDA 11.2 and cuDNN 8.1
 * (tfjs-node's install script downloads it; TensorFlow's tested build configurations,
 * https://www.tensorflow.org/install/source#gpu, list 2.9 with CUDA 11.2 / cuDNN 8.1). An older CUDA lacks symbols it needs; a newer
 * major (CUDA 12, cuDNN 9) ships differently named libraries it cannot dlopen.
 */

export interface Version {
  readonly major: number;
  readonly minor: number;
}

export const TFJS_NODE_GPU_VERSION = '4.22.0';
export const LIBTENSORFLOW_VERSION = '2.9.1';
export const LIBTENSORFLOW_CUDA: Version = { major: 11, minor: 2 };
export const LIBTENSORFLOW_CUDNN: Version = { major: 8, minor: 1 };

/**
 * The GPU architectures (compute capabilities) the TensorFlow 2.9 CUDA 11.2 builds carry machine
 * code for (`cuda_compute_capabilities` in build_info: sm_35, sm_50, sm_60, sm_70, sm_75) and the
 * one they carry only PTX for (compute_80), which the driver compiles at start-up.
 */
export const LIBTENSORFLOW_MACHINE_CODE: readonly Version[] = [
  { major: 3, minor: 5 },
  { major: 5, minor: 0 },
  { major: 6, minor: 0 },
  { major: 7, minor: 0 },
  { major: 7, minor: 5 },
];
export const LIBTENSORFLOW_PTX: Version = { major: 8, minor: 0 };

/** The newest architecture CUDA 11.2 and cuDNN 8.1 know (Ampere GA10x); Ada (8.9) and Hopper (9.0) came with CUDA 11.8. */
export const CUDA_11_2_NEWEST_ARCHITECTURE: Version = { major: 8, minor: 6 };

export function compareVersions(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor;
}

export function formatVersion(version: Version): string {
  return `${version.major}.${version.minor}`;
}
