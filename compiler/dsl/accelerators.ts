import { DslUsageError } from './errors';
import { CallSite } from './source-location';

/**
 * Vertex AI's accelerator names: the values of `google.cloud.aiplatform.v1.AcceleratorType`
 * (`accelerator_type.proto` in @google-cloud/aiplatform 6.11) but ACCELERATOR_TYPE_UNSPECIFIED.
 * test/compiler/dsl/accelerators.test.ts fails when the installed protos list others.
 */
export const vertexAcceleratorTypes = [
  'NVIDIA_TESLA_K80',
  'NVIDIA_TESLA_P100',
  'NVIDIA_TESLA_V100',
  'NVIDIA_TESLA_P4',
  'NVIDIA_TESLA_T4',
  'NVIDIA_TESLA_A100',
  'NVIDIA_A100_80GB',
  'NVIDIA_L4',
  'NVIDIA_H100_80GB',
  'NVIDIA_H100_MEGA_80GB',
  'NVIDIA_H200_141GB',
  'NVIDIA_B200',
  'NVIDIA_GB200',
  'NVIDIA_RTX_PRO_6000',
  'TPU_V2',
  'TPU_V3',
  'TPU_V4_POD',
  'TPU_V5_LITEPOD',
] as const;

/** A Vertex AI accelerator name; for any other name, use `customAccelerator(name)`. */
export type AcceleratorType = (typeof vertexAcceleratorTypes)[number];

const knownTypes: ReadonlySet<string> = new Set(vertexAcceleratorTypes);

export function isVertexAcceleratorType(name: string): name is AcceleratorType {
  return knownTypes.has(name);
}

const customBrand = Symbol.for('kfp-ts.custom-accelerator');

/** An accelerator name used as given, without the check against Vertex AI's names. */
export interface CustomAccelerator {
  readonly [customBrand]: true;
  readonly name: string;
}

/**
 * An accelerator name the compiler does not check: a Kubernetes resource for KFP on Kubernetes
 * (`customAccelerator('nvidia.com/gpu')`), or a Vertex AI type newer than kfp-ts's list. Plain
 * strings given to `setAccelerator` must be Vertex AI names, so that a typo fails in `tsc` (and,
 * from JavaScript, when the pipeline compiles) rather than when Vertex AI rejects the job.
 */
export function customAccelerator(name: string): CustomAccelerator {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new DslUsageError(
      `customAccelerator() needs an accelerator name, got ${typeof name === 'string' ? 'an empty string' : typeof name}`,
      "pass the name as the platform spells it, e.g. customAccelerator('nvidia.com/gpu')",
      new CallSite().location,
    );
  }
  return { [customBrand]: true, name };
}

export function isCustomAccelerator(value: unknown): value is CustomAccelerator {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[customBrand] === true;
}
