import type { IrValue } from '../../../compiler/ir/pipeline-spec';
import type { ExecutorInput } from '../../../compiler/ir/executor-protocol';
import { buildExecutorInput } from '../../../runner/executor/executor-input';
import type { RuntimeValues } from '../../../runner/executor/placeholders';

/** Shared inputs for the executor tests: one task with parameters, artifacts and outputs. */

export const runtime: RuntimeValues = {
  jobName: 'quickstart-run-1',
  jobResourceName: 'local/pipelineJobs/run-1',
  jobId: 'run-1',
  taskName: 'train-model',
  taskId: '17',
  pipelineRoot: '/abs/outputs',
  createTimeUtc: '2026-11-22T10:00:00Z',
  scheduleTimeUtc: '2026-11-22T10:00:01Z',
};

export function sampleInput(overrides: { parameterValues?: Record<string, IrValue> } = {}): ExecutorInput {
  return buildExecutorInput({
    parameterValues: overrides.parameterValues ?? { msg: 'hi', n: 3, ratio: 0.5, flag: true, tags: ['a', 'b'], cfg: { k: 1 } },
    inputArtifacts: {
      data: [
        {
          name: '42',
          type: { schemaTitle: 'system.Dataset', schemaVersion: '0.0.1' },
          uri: '/abs/outputs/p/run-1/producer/data',
          metadata: { rows: 10, resourceName: 'projects/p/models/7', 'odd key': "it's" },
        },
      ],
      shards: [
        { name: '43', type: { schemaTitle: 'system.Dataset', schemaVersion: '0.0.1' }, uri: 'gs://b/s1', metadata: {} },
        { name: '44', type: { schemaTitle: 'system.Dataset', schemaVersion: '0.0.1' }, uri: 'gs://b/s2', metadata: {} },
      ],
    },
    outputParameters: { Output: '/abs/outputs/p/run-1/train/Output' },
    outputArtifacts: {
      model: { name: 'model', type: { schemaTitle: 'system.Model', schemaVersion: '0.0.1' }, uri: 'gs://bucket/run-1/model', metadata: {} },
    },
    outputFile: '/abs/outputs/p/run-1/train/executor_output.json',
  });
}
