import type { RuntimeArtifact } from '../../../compiler/ir/executor-protocol';
import { buildExecutorInput } from '../../../runner/executor/executor-input';

describe('buildExecutorInput', () => {
  it('builds the proto-JSON shape of ExecutorInput (pipeline_spec.proto, camelCase names)', () => {
    const input = buildExecutorInput({
      parameterValues: { msg: 'hi', n: 3, unset: undefined },
      inputArtifacts: {
        data: [{ name: '17', type: { schemaTitle: 'system.Dataset', schemaVersion: '0.0.1' }, uri: '/abs/producer/data', metadata: {} }],
      },
      outputParameters: { Output: '/abs/consumer/Output' },
      outputArtifacts: {
        model: { name: 'model', type: { schemaTitle: 'system.Model', schemaVersion: '0.0.1' }, uri: '/abs/consumer/model', metadata: {} },
      },
      outputFile: '/abs/consumer/executor_output.json',
    });
    expect(JSON.stringify(input)).toBe(
      JSON.stringify({
        inputs: {
          parameterValues: { msg: 'hi', n: 3 },
          artifacts: {
            data: {
              artifacts: [
                { name: '17', type: { schemaTitle: 'system.Dataset', schemaVersion: '0.0.1' }, uri: '/abs/producer/data', metadata: {} },
              ],
            },
          },
        },
        outputs: {
          parameters: { Output: { outputFile: '/abs/consumer/Output' } },
          artifacts: {
            model: {
              artifacts: [
                { name: 'model', type: { schemaTitle: 'system.Model', schemaVersion: '0.0.1' }, uri: '/abs/consumer/model', metadata: {} },
              ],
            },
          },
          outputFile: '/abs/consumer/executor_output.json',
        },
      }),
    );
  });

  it('keeps inputs and outputs present when empty, since the Python executor indexes them directly', () => {
    const input = buildExecutorInput({
      parameterValues: {},
      inputArtifacts: {},
      outputParameters: {},
      outputArtifacts: {},
      outputFile: '/o.json',
    });
    expect(input).toEqual({
      inputs: { parameterValues: {}, artifacts: {} },
      outputs: { parameters: {}, artifacts: {}, outputFile: '/o.json' },
    });
  });

  it('copies artifacts, so later changes do not reach the caller', () => {
    const artifact: RuntimeArtifact = { name: 'm', uri: '/a', metadata: { k: { nested: 1 } } };
    const input = buildExecutorInput({
      parameterValues: {},
      inputArtifacts: {},
      outputParameters: {},
      outputArtifacts: { m: artifact },
      outputFile: '/o',
    });
    (input.outputs.artifacts.m!.artifacts[0]!.metadata.k as Record<string, number>).nested = 2;
    expect(artifact.metadata).toEqual({ k: { nested: 1 } });
  });
});
