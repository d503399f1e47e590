/**
 * The v1 → v2 conversion for what the golden pipelines do not cover, with expectations written from
 * the KFP SDK 2.x sources (kfp/dsl/structures.py `ComponentSpec.from_v1_component_spec`,
 * kfp/dsl/types/type_utils.py, kfp/dsl/placeholders.py `maybe_convert_v1_yaml_placeholder_to_v2_placeholder`):
 * names become Python identifiers, types are looked up case-insensitively, string defaults are cast
 * to the input's type, optional or defaulted inputs are `isOptional`, descriptions stay out of the IR,
 * and IfPresent/Concat are Python's `json.dumps` of the structure (a bare `then` stays bare).
 */
import {
  Artifact,
  Dataset,
  Metrics,
  Model,
  compilePipeline,
  containerComponent,
  loadComponentFromText,
  pipeline,
  t,
} from '../../../compiler';

const text = `name: Typed v1 inputs
description: Every v1 type the reference maps, and the placeholders it converts.
inputs:
- {name: Input Text, type: String, description: not in the IR}
- {name: count, type: Integer, default: '10'}
- {name: ratio, type: Float, default: '0.5'}
- {name: flag, type: Boolean, default: 'True'}
- {name: words, type: Text, default: 7}
- {name: settings, type: JsonObject, default: '{"a": 1}'}
- {name: tags, type: JsonArray, default: '["x"]'}
- {name: note, type: String, optional: true}
- {name: data, type: Dataset, optional: true}
- {name: blob, type: Some Type}
outputs:
- {name: Out Model, type: model}
- {name: score, type: Double}
- {name: metrics, type: Metrics}
implementation:
  container:
    image: alpine
    command: [run]
    args:
    - {inputValue: Input Text}
    - {executorInput: null}
    - concat: ['--note=', {if: {cond: {isPresent: note}, then: {inputValue: note}, else: none}}]
    - if: {cond: {isPresent: data}, then: [--data, {inputUri: data}], else: [--no-data]}
    - {inputPath: blob}
    - {outputPath: Out Model}
    - {outputPath: score}
    - {outputUri: metrics}
`;

const artifact = (schemaTitle: string) => ({ artifactType: { schemaTitle, schemaVersion: '0.0.1' } });

describe('a v1 component', () => {
  const component = loadComponentFromText(text, 'typed.yaml');
  const source = containerComponent({ name: 'source', outputs: { blob: Dataset }, image: 'source:1' });
  const spec = compilePipeline(
    pipeline({ name: 'uses-v1' }, () => {
      (component as unknown as (args: Record<string, unknown>) => unknown)({ input_text: 'hi', blob: source().outputs.blob });
    }),
  );

  it('declares the inputs and outputs the SDK declares', () => {
    expect(spec.components!['comp-typed-v1-inputs']).toEqual({
      executorLabel: 'exec-typed-v1-inputs',
      inputDefinitions: {
        artifacts: { data: { ...artifact('system.Dataset'), isOptional: true }, blob: artifact('system.Artifact') },
        parameters: {
          input_text: { parameterType: 'STRING' },
          count: { parameterType: 'NUMBER_INTEGER', defaultValue: 10, isOptional: true },
          ratio: { parameterType: 'NUMBER_DOUBLE', defaultValue: 0.5, isOptional: true },
          flag: { parameterType: 'BOOLEAN', defaultValue: true, isOptional: true },
          words: { parameterType: 'STRING', defaultValue: '7', isOptional: true },
          settings: { parameterType: 'STRUCT', defaultValue: { a: 1 }, isOptional: true },
          tags: { parameterType: 'LIST', defaultValue: ['x'], isOptional: true },
          note: { parameterType: 'STRING', isOptional: true },
        },
      },
      outputDefinitions: {
        artifacts: { out_model: artifact('system.Model'), metrics: artifact('system.Metrics') },
        parameters: { score: { parameterType: 'NUMBER_DOUBLE' } },
      },
    });
  });

  it('writes the placeholders the SDK writes', () => {
    expect(spec.deploymentSpec!.executors['exec-typed-v1-inputs']).toEqual({
      container: {
        args: [
          "{{$.inputs.parameters['input_text']}}",
          '{{$}}',
          `{"Concat": ["--note=", {"IfPresent": {"InputName": "note", "Then": "{{$.inputs.parameters['note']}}", "Else": "none"}}]}`,
          `{"IfPresent": {"InputName": "data", "Then": ["--data", "{{$.inputs.artifacts['data'].uri}}"], "Else": ["--no-data"]}}`,
          "{{$.inputs.artifacts['blob'].path}}",
          "{{$.outputs.artifacts['out_model'].path}}",
          "{{$.outputs.parameters['score'].output_file}}",
          "{{$.outputs.artifacts['metrics'].uri}}",
        ],
        command: ['run'],
        image: 'alpine',
      },
    });
  });

  it('keeps the description for documentation, and checks a typed signature against the file', () => {
    expect(component.definition.description).toBe('Every v1 type the reference maps, and the placeholders it converts.');
    const inputs = {
      input_text: t.string(),
      count: t.int({ default: 10 }),
      ratio: t.float({ default: 0.5 }),
      flag: t.bool({ default: true }),
      words: t.string({ default: '7' }),
      settings: t.struct({ default: { a: 1 } }),
      tags: t.list<string>({ default: ['x'] }),
      note: t.string({ optional: true }),
      data: t.artifact(Dataset, { optional: true }),
      blob: Artifact,
    };
    const outputs = { out_model: Model, score: t.float(), metrics: Metrics };
    expect(loadComponentFromText(text, { source: 'typed.yaml', inputs, outputs }).definition.inputs).toEqual(component.definition.inputs);
    expect(() =>
      loadComponentFromText(text, {
        source: 'typed.yaml',
        inputs: { ...inputs, blob: Dataset, count: t.int() },
        outputs: { score: t.int() },
      }),
    ).toThrow(
      "typed.yaml: the declared signature does not match the component: input 'count' is a NUMBER_INTEGER parameter (optional, default 10) " +
        "in the component but declared as a NUMBER_INTEGER parameter (required); input 'blob' is a system.Artifact@0.0.1 artifact in the " +
        "component but declared as a system.Dataset@0.0.1 artifact; output 'score' is a NUMBER_DOUBLE parameter (required) in the component " +
        "but declared as a NUMBER_INTEGER parameter (required); the component's output 'out_model' is not declared; the component's output " +
        "'metrics' is not declared — regenerate the typed wrapper with `kfp-ts types` (or correct the inputs and outputs passed to the loader)",
    );
  });
});
