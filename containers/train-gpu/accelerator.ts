/**
 * Which Vertex AI GPU the train task asks for, chosen so the GPU image's libtensorflow 2.9.1
 * (CUDA 11.2, cuDNN 8.1) runs on it natively.
 *
 * NVIDIA_TESLA_T4 (Turing, compute capability 7.5): libtensorflow carries machine code for 7.5,
 * CUDA 11.2 and cuDNN 8.1 support it, and it is the most widely available Vertex GPU. V100 (7.0),
 * P100 (6.0) and P4 (6.1) are native too. A100 (8.0) works only through PTX compiled by the driver
 * at start-up (minutes, every new container). L4 (8.9), H100 and H200 (9.0) and newer are unknown
 * to CUDA 11.2 and cuDNN 8.1: on them the GPU image's CUDA route fails and only its Dawn/Vulkan
 * (webgpu) fallback can use the GPU.
 */
import type { AcceleratorType } from '../../compiler';
import {
  CUDA_11_2_NEWEST_ARCHITECTURE,
  LIBTENSORFLOW_MACHINE_CODE,
  LIBTENSORFLOW_PTX,
  compareVersions,
  type Version,
} from './libtensorflow-gpu';

export const TRAIN_GPU_ACCELERATOR = 'NVIDIA_TESLA_T4' satisfies AcceleratorType;

/** Compute capability of each NVIDIA accelerator Vertex AI offers (accelerator_type.proto). */
export const VERTEX_GPU_COMPUTE_CAPABILITY: Readonly<Record<string, Version>> = {
  NVIDIA_TESLA_K80: { major: 3, minor: 7 },
  NVIDIA_TESLA_P100: { major: 6, minor: 0 },
  NVIDIA_TESLA_P4: { major: 6, minor: 1 },
  NVIDIA_TESLA_V100: { major: 7, minor: 0 },
  NVIDIA_TESLA_T4: { major: 7, minor: 5 },
  NVIDIA_TESLA_A100: { major: 8, minor: 0 },
  NVIDIA_A100_80GB: { major: 8, minor: 0 },
  NVIDIA_L4: { major: 8, minor: 9 },
  NVIDIA_H100_80GB: { major: 9, minor: 0 },
  NVIDIA_H100_MEGA_80GB: { major: 9, minor: 0 },
  NVIDIA_H200_141GB: { major: 9, minor: 0 },
  NVIDIA_B200: { major: 10, minor: 0 },
  NVIDIA_GB200: { major: 10, minor: 0 },
  NVIDIA_RTX_PRO_6000: { major: 12, minor: 0 },
};

/**
 * How libtensorflow 2.9.1 runs on an accelerator: `native` (machine code for its architecture
 * family), `ptx` (compiled by the driver at start-up), `unsupported` (newer than CUDA 11.2 or
 * older than its oldest target), or `unknown` (not an NVIDIA GPU this table knows).
 */
export type LibtensorflowSupport = 'native' | 'ptx' | 'unsupported' | 'unknown';

export function libtensorflowSupport(accelerator: string): LibtensorflowSupport {
  const capability = VERTEX_GPU_COMPUTE_CAPABILITY[accelerator];
  if (!capability) return 'unknown';
  if (compareVersions(capability, CUDA_11_2_NEWEST_ARCHITECTURE) > 0) return 'unsupported';
  // Machine code for X.Y runs on X.Z with Z >= Y (same major), never across majors.
  const native = LIBTENSORFLOW_MACHINE_CODE.some((code) => code.major === capability.major && code.minor <= capability.minor);
  if (native) return 'native';
  return compareVersions(capability, LIBTENSORFLOW_PTX) >= 0 ? 'ptx' : 'unsupported';
}
