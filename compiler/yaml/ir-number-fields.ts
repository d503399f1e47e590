/**
 * Which numbers in a KFP IR document PyYAML printed as floats.
 *
 * Why this exists: the KFP SDK turns the `PipelineSpec` and `PlatformSpec` protobuf messages into Python values with
 * `json_format.MessageToDict` and hands those to PyYAML. The protobuf field type then decides the Python type, and
 * the Python type decides the spelling: a `double` (or any number inside a `google.protobuf.Struct`/`Value`, which
 * only has doubles) becomes a Python float and prints `2.0`; an `int32` becomes a Python int and prints `2`; an
 * `int64` becomes a string (`count: '1'`), so it is no number here at all. JavaScript has one number type, so kfp-ts
 * has to recover the protobuf type from where the number sits.
 *
 * Field types, from kubeflow/pipelines `api/v2alpha1/pipeline_spec.proto`:
 * - `Struct`/`Value`: `PipelineSpec.deploymentSpec` as a whole (the executors, including `resources.cpuLimit`,
 *   `memoryLimit`, `cpuRequest`, `memoryRequest`, importer `metadata` and resolver `limit`, live inside it),
 *   `ComponentInputsSpec.ParameterSpec.defaultValue`, `ValueOrRuntimeParameter.constant` (task
 *   `inputs.parameters.*.runtimeValue.constant`), `ComponentOutputsSpec.ArtifactSpec.metadata`,
 *   `SinglePlatformSpec.config`, every `PlatformDeploymentConfig.executors` entry (all kubernetes platform settings
 *   in the second document, e.g. a toleration or node-affinity number), `KubernetesWorkspaceConfig.pvcSpecPatch`;
 * - `double`: `PipelineTaskSpec.RetryPolicy.backoffFactor`, the deprecated `Value.doubleValue`;
 * - `int32`: `PipelineTaskSpec.RetryPolicy.maxRetryCount`, `PipelineTaskSpec.IteratorPolicy.parallelismLimit`,
 *   `PipelineConfig.resourceTtl` (in `platforms.*.pipelineConfig` and `components.*.singlePlatformSpecs[*]`).
 *
 * So only the int32 fields print as ints, and only when reached through real message fields: a user value
 * `{"maxRetryCount": 3}` inside a `defaultValue` is a Struct number and prints `3.0`. The walk below follows the
 * message structure from the document root; any number it cannot place is a double or a Struct number.
 */

import type { YamlPath } from './pyyaml-emitter';

type ProtoField =
  | { readonly kind: 'int32' }
  | { readonly kind: 'double' }
  | { readonly kind: 'struct' }
  | { readonly kind: 'message'; readonly fields: Readonly<Record<string, ProtoField>> }
  | { readonly kind: 'map'; readonly values: ProtoField }
  | { readonly kind: 'repeated'; readonly items: ProtoField };

const INT32: ProtoField = { kind: 'int32' };
const DOUBLE: ProtoField = { kind: 'double' };
const STRUCT: ProtoField = { kind: 'struct' };
const message = (fields: Record<string, ProtoField>): ProtoField => ({ kind: 'message', fields });
const mapOf = (values: ProtoField): ProtoField => ({ kind: 'map', values });
const repeated = (items: ProtoField): ProtoField => ({ kind: 'repeated', items });

const PIPELINE_CONFIG = message({
  resourceTtl: INT32,
  workspace: message({ kubernetes: message({ pvcSpecPatch: STRUCT }) }),
});

const SINGLE_PLATFORM_SPEC = message({
  deploymentSpec: message({ executors: mapOf(STRUCT) }),
  config: STRUCT,
  pipelineConfig: PIPELINE_CONFIG,
});

const VALUE_OR_RUNTIME_PARAMETER = message({
  constant: STRUCT,
  constantValue: message({ doubleValue: DOUBLE }),
});

const PIPELINE_TASK_SPEC = message({
  inputs: message({ parameters: mapOf(message({ runtimeValue: VALUE_OR_RUNTIME_PARAMETER })) }),
  retryPolicy: message({ maxRetryCount: INT32, backoffFactor: DOUBLE }),
  iteratorPolicy: message({ parallelismLimit: INT32 }),
});

const COMPONENT_SPEC = message({
  inputDefinitions: message({ parameters: mapOf(message({ defaultValue: STRUCT })) }),
  outputDefinitions: message({ artifacts: mapOf(message({ metadata: STRUCT })) }),
  dag: message({ tasks: mapOf(PIPELINE_TASK_SPEC) }),
  singlePlatformSpecs: repeated(SINGLE_PLATFORM_SPEC),
});

/** The first document is a `PipelineSpec`, the second a `PlatformSpec`; their top-level keys do not overlap. */
const IR_DOCUMENT = message({
  components: mapOf(COMPONENT_SPEC),
  root: COMPONENT_SPEC,
  deploymentSpec: STRUCT,
  platforms: mapOf(SINGLE_PLATFORM_SPEC),
});

function fieldAt(path: YamlPath): ProtoField | undefined {
  let field: ProtoField | undefined = IR_DOCUMENT;
  for (const segment of path) {
    if (field === undefined) return undefined;
    switch (field.kind) {
      case 'message':
        field = typeof segment === 'string' && Object.hasOwn(field.fields, segment) ? field.fields[segment] : undefined;
        break;
      case 'map':
        field = typeof segment === 'string' ? field.values : undefined;
        break;
      case 'repeated':
        field = typeof segment === 'number' ? field.items : undefined;
        break;
      case 'struct':
        return STRUCT;
      default:
        return undefined;
    }
  }
  return field;
}

/** The `isFloat` rule for KFP IR documents: every number is a float except the protobuf int32 fields. */
export function isIrFloat(path: YamlPath, _value: number): boolean {
  return fieldAt(path)?.kind !== 'int32';
}
