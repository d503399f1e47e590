/**
 * Type-level tests of a wrapper written by `kfp-ts types`: calls are checked against the component
 * file's exact signature with no hand-written type arguments. The wrapper under test is the committed
 * output of the command for test/cli/fixtures/typed-component/train-model.yaml (a KFP v1 component);
 * test/cli/types.test.ts proves the command writes exactly those bytes. `npm run typecheck` fails on
 * any `@ts-expect-error` line that compiles, so these cannot pass vacuously.
 */
import { Dataset, Model, VertexModel, containerComponent, importer, pipeline, t, type ArtifactChannel, type ParameterChannel } from '../../compiler';
import { trainModel } from '../cli/fixtures/typed-component/train-model';

const prepare = containerComponent({
  name: 'prepare',
  outputs: { rows: Dataset, baseline: Model, count: t.int(), rate: t.float(), label: t.string(), labels: t.list<string>() },
  image: 'prepare:1',
});

pipeline({ name: 'typed-wrapper', params: { rate: t.float({ default: 0.1 }), label: t.string() } }, ({ rate, label }) => {
  const data = prepare().outputs;

  // Correct calls compile: the required inputs alone, and every input, as literals or channels of the right types.
  trainModel({ training_data: data.rows, learning_rate: 0.01 });
  const trained = trainModel({
    training_data: data.rows,
    learning_rate: rate,
    epochs: data.count,
    run_name: label,
    use_gpu: true,
    config: { layers: 3 },
    class_names: data.labels,
    warm_start: data.baseline,
  });
  // An int widens to a Float input.
  trainModel({ training_data: data.rows, learning_rate: data.count });

  // Outputs carry the file's types.
  const accuracy: ParameterChannel<'NUMBER_DOUBLE', number> = trained.outputs.accuracy;
  const model: ArtifactChannel<'system.Model', false> = trained.outputs.model;
  const vertexModel: ArtifactChannel<'google.VertexModel', false> = trained.outputs.vertex_model;
  void [accuracy, model, vertexModel];

  // 1. Wrong argument types.
  // @ts-expect-error TS2322 Type 'string' is not assignable to type 'number | ParameterChannel<"NUMBER_INTEGER", unknown, DeclaredItemType>' — a string literal into the Integer input 'epochs'
  trainModel({ training_data: data.rows, learning_rate: 0.01, epochs: '10' });
  // @ts-expect-error TS2322 Type '"STRING"' is not assignable to type '"NUMBER_INTEGER" | "NUMBER_DOUBLE"' — a string channel into the Float input 'learning_rate'
  trainModel({ training_data: data.rows, learning_rate: label });
  // @ts-expect-error TS2322 Type '"NUMBER_DOUBLE"' is not assignable to type '"NUMBER_INTEGER"' — a float channel into the Integer input 'epochs' (no silent narrowing)
  trainModel({ training_data: data.rows, learning_rate: 0.01, epochs: data.rate });
  // @ts-expect-error TS2322 Type '"system.Model"' is not assignable to type '"system.Dataset" | "system.Artifact"' — a Model into the Dataset input 'training_data'
  trainModel({ training_data: data.baseline, learning_rate: 0.01 });
  // @ts-expect-error TS2739 Type 'ParameterChannel<"STRING", string, DeclaredItemType>' is missing the following properties from type 'ArtifactChannel<"system.Dataset" | "system.Artifact", false>': artifactType, isList — a parameter into the Dataset input 'training_data'
  trainModel({ training_data: data.label, learning_rate: 0.01 });
  // @ts-expect-error TS2322 Type 'number' is not assignable to type 'boolean | ParameterChannel<"BOOLEAN", unknown, DeclaredItemType>' — a number into the Boolean input 'use_gpu'
  trainModel({ training_data: data.rows, learning_rate: 0.01, use_gpu: 1 });
  const vertex = importer({ artifactUri: 'gs://b/model', artifactClass: VertexModel }).outputs.artifact;
  // @ts-expect-error TS2322 Type '"google.VertexModel"' is not assignable to type '"system.Model" | "system.Artifact"' — a google.VertexModel into the optional Model input 'warm_start'
  trainModel({ training_data: data.rows, learning_rate: 0.01, warm_start: vertex });

  // 2. Unknown inputs: the file's 'Training data' is called as training_data, as the KFP SDK names it.
  // @ts-expect-error TS2353 Object literal may only specify known properties, and 'batch_size' does not exist in type 'ArgumentsOf<{ training_data: ArtifactType<"system.Dataset">; — 'batch_size' is not an input of the component
  trainModel({ training_data: data.rows, learning_rate: 0.01, batch_size: 32 });
  // @ts-expect-error TS2353 Object literal may only specify known properties, and ''Training data'' does not exist in type 'ArgumentsOf<{ training_data: ArtifactType<"system.Dataset">; — 'Training data' is the name in the file, not the input's name
  trainModel({ 'Training data': data.rows, training_data: data.rows, learning_rate: 0.01 });

  // 3. Missing required inputs.
  // @ts-expect-error TS2345 Property 'learning_rate' is missing in type '{ training_data: ArtifactChannel<"system.Dataset", false>; }' — the required 'learning_rate' is missing
  trainModel({ training_data: data.rows });
  // @ts-expect-error TS2554 Expected 1 arguments, but got 0 — 'training_data' and 'learning_rate' are required
  trainModel();

  // Unknown outputs do not exist.
  // @ts-expect-error TS2339 Property 'loss' does not exist on type 'OutputChannels<{ model: ArtifactType<"system.Model">; — the component has no output 'loss'
  void trained.outputs.loss;
});
