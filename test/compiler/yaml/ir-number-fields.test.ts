import { isIrFloat } from '../../../compiler/yaml/ir-number-fields';

describe('isIrFloat', () => {
  it.each([
    [['root', 'dag', 'tasks', 'train', 'retryPolicy', 'maxRetryCount']],
    [['components', 'comp-loop', 'dag', 'tasks', 'for-loop-1', 'iteratorPolicy', 'parallelismLimit']],
    [['platforms', 'kubernetes', 'pipelineConfig', 'resourceTtl']],
    [['components', 'comp-x', 'singlePlatformSpecs', 0, 'pipelineConfig', 'resourceTtl']],
    // task and component names are free text and must not be mistaken for Struct fields
    [['root', 'dag', 'tasks', 'metadata', 'retryPolicy', 'maxRetryCount']],
    [['components', 'deploymentSpec', 'dag', 'tasks', 'constant', 'iteratorPolicy', 'parallelismLimit']],
  ])('prints the int32 field at %j as an int', (path) => {
    expect(isIrFloat(path, 3)).toBe(false);
  });

  it.each([
    // double fields
    [['root', 'dag', 'tasks', 'train', 'retryPolicy', 'backoffFactor']],
    // google.protobuf.Struct / Value fields
    [['deploymentSpec', 'executors', 'exec-train', 'container', 'resources', 'cpuLimit']],
    [['deploymentSpec', 'executors', 'exec-train', 'container', 'resources', 'memoryLimit']],
    [['root', 'inputDefinitions', 'parameters', 'threshold', 'defaultValue']],
    [['root', 'inputDefinitions', 'parameters', 'trials', 'defaultValue', 2]],
    [['root', 'dag', 'tasks', 'train', 'inputs', 'parameters', 'x', 'runtimeValue', 'constant']],
    [['components', 'comp-x', 'outputDefinitions', 'artifacts', 'model', 'metadata', 'accuracy']],
    [['platforms', 'kubernetes', 'deploymentSpec', 'executors', 'exec-a', 'nodeAffinity', 0, 'weight']],
    [['platforms', 'kubernetes', 'pipelineConfig', 'workspace', 'kubernetes', 'pvcSpecPatch', 'x']],
    // an int32 field name inside a Struct is user data, so a double
    [['root', 'inputDefinitions', 'parameters', 'p', 'defaultValue', 'maxRetryCount']],
    [['deploymentSpec', 'executors', 'e', 'retryPolicy', 'maxRetryCount']],
    // unknown places hold doubles or Struct numbers
    [['somethingNew', 'count']],
    [[]],
  ])('prints the number at %j as a float', (path) => {
    expect(isIrFloat(path, 3)).toBe(true);
  });
});
