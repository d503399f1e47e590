/**
 * Type-level tests for task settings: accelerator names and retry durations. Each
 * `@ts-expect-error` line must fail to compile (tsc fails on an unused directive).
 */
import { containerComponent, customAccelerator, pipeline, t } from '../../compiler';

const train = containerComponent({ name: 'train', image: 'trainer:1' });

pipeline({ name: 'task-settings-types', params: { gpu: t.string(), count: t.string() } }, ({ gpu, count }) => {
  // Vertex AI's accelerator names are checked.
  train().setAccelerator('NVIDIA_L4', 1);
  train().setAccelerator('TPU_V5_LITEPOD', 4).setAcceleratorType('NVIDIA_H200_141GB');
  // @ts-expect-error TS2345 Argument of type '"NVIDIA_TESLA_T5"' is not assignable to parameter of type 'ParameterChannel<"STRING", unknown, DeclaredItemType> | "NVIDIA_TESLA_K80" | "NVIDIA_TESLA_P100" — a typo in a Vertex AI accelerator name
  train().setAccelerator('NVIDIA_TESLA_T5', 1);
  // @ts-expect-error TS2345 Argument of type '"nvidia.com/gpu"' is not assignable to parameter of type 'ParameterChannel<"STRING", unknown, DeclaredItemType> | "NVIDIA_TESLA_K80" | "NVIDIA_TESLA_P100" — a Kubernetes resource name is not a Vertex AI name: use customAccelerator()
  train().setAcceleratorType('nvidia.com/gpu');
  const fromConfig: string = process.env['GPU'] ?? 'NVIDIA_L4';
  // @ts-expect-error TS2345 Argument of type 'string' is not assignable to parameter of type 'ParameterChannel<"STRING", unknown, DeclaredItemType> | "NVIDIA_TESLA_K80" | "NVIDIA_TESLA_P100" — an unchecked string: pass customAccelerator(fromConfig) to use it as given
  train().setAccelerator(fromConfig);
  // The escape for other names, and parameters (checked by the platform when the pipeline runs).
  train().setAccelerator(customAccelerator('nvidia.com/gpu'), 1);
  train().setAccelerator(customAccelerator(fromConfig));
  train().setAccelerator(gpu, count);

  // Retry waits: seconds, or a number with the reference's units.
  train().setRetry({ maxRetries: 3, backoffDuration: '30s', backoffMaxDuration: '1h' });
  train().setRetry({ maxRetries: 3, backoffDuration: '2m', backoffFactor: 1.5, backoffMaxDuration: 600 });
  train().setRetry({ maxRetries: 3, backoffDuration: 45, backoffMaxDuration: '2 hours' });
  // @ts-expect-error TS2322 Type '"2 fortnights"' is not assignable to type 'RetryDuration' — not a duration unit
  train().setRetry({ maxRetries: 3, backoffDuration: '2 fortnights' });
  // @ts-expect-error TS2322 Type '"30"' is not assignable to type 'RetryDuration' — a unit is needed in a string (a number is seconds)
  train().setRetry({ maxRetries: 3, backoffDuration: '30' });
});
