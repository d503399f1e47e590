/**
 * Type-level tests: each `@ts-expect-error` line is a wiring mistake that must not compile. `npm test`
 * runs `tsc` first, which fails on any `@ts-expect-error` whose line compiles (so these cannot pass
 * vacuously); the lines without it must compile. Each directive names the error it expects
 * (`TS<code> <message fragment> — <why>`), which test/types/expect-type-error.test.ts checks, so a
 * line that fails for another reason fails the test.
 */
import {
  Artifact,
  Dataset,
  Model,
  containerComponent,
  fmt,
  functionComponent,
  importer,
  pipeline,
  t,
  VertexModel,
  type ArtifactChannel,
  type ParameterChannel,
} from '../../compiler';

const train = containerComponent({
  name: 'train',
  inputs: { data: Dataset, epochs: t.int(), rate: t.float({ default: 0.1 }), tag: t.string({ optional: true }) },
  outputs: { model: Model, accuracy: t.float(), name: t.string() },
  image: 'trainer:1',
  command: ({ inputs, outputs }) => ['train', inputs.data.path, inputs.epochs, outputs.model.path, outputs.accuracy.path],
});

const makeData = containerComponent({
  name: 'make-data',
  outputs: { data: Dataset, rows: t.int(), label: t.string(), blob: Artifact },
  image: 'maker:1',
});

const inspect = containerComponent({
  name: 'inspect',
  inputs: { anything: Artifact, models: t.artifactList(Model, { optional: true }) },
  image: 'inspect:1',
});

pipeline({ name: 'type-tests', params: { epochs: t.int({ default: 3 }), label: t.string() } }, ({ epochs, label }) => {
  const data = makeData();
  const model = train({ data: data.outputs.data, epochs });

  // Correct wiring compiles: channels and literals of the right type, int into float, optional left out.
  train({ data: data.outputs.data, epochs: data.outputs.rows, rate: data.outputs.rows });
  train({ data: data.outputs.data, epochs: 5, rate: 0.5, tag: fmt`run-${label}` });
  // system.Artifact accepts any artifact, and a generic artifact may feed a typed input.
  inspect({ anything: model.outputs.model });
  train({ data: data.outputs.blob, epochs: 1 });

  // 1. A Model output into a Dataset input.
  // @ts-expect-error TS2322 Type '"system.Model"' is not assignable to type '"system.Dataset" | "system.Artifact"' — Model is not a Dataset
  train({ data: model.outputs.model, epochs: 1 });

  // 2. A string into an int parameter, as a literal and as a channel.
  // @ts-expect-error TS2322 Type 'string' is not assignable to type 'number | ParameterChannel<"NUMBER_INTEGER", unknown, DeclaredItemType>' — string literal into int
  train({ data: data.outputs.data, epochs: '3' });
  // @ts-expect-error TS2322 Type '"STRING"' is not assignable to type '"NUMBER_INTEGER"' — string channel into int
  train({ data: data.outputs.data, epochs: label });
  // @ts-expect-error TS2322 Type '"NUMBER_DOUBLE"' is not assignable to type '"NUMBER_INTEGER"' — float channel into int (no silent narrowing)
  train({ data: data.outputs.data, epochs: model.outputs.accuracy });

  // 3. An unknown input name.
  // @ts-expect-error TS2561 'epoch' does not exist in type 'ArgumentsOf<{ data: ArtifactType<"system.Dataset">; — 'epoch' is not an input of train
  train({ data: data.outputs.data, epochs: 1, epoch: 2 });

  // 4. A required input left out, and no arguments at all.
  // @ts-expect-error TS2345 Property 'epochs' is missing in type '{ data: ArtifactChannel<"system.Dataset", false>; }' but required — 'epochs' is required
  train({ data: data.outputs.data });
  // @ts-expect-error TS2554 Expected 1 arguments, but got 0 — train has required inputs
  train();

  // Artifacts and parameters do not mix, and lists are not single artifacts.
  // @ts-expect-error TS2739 Type 'ParameterChannel<"STRING", string, DeclaredItemType>' is missing the following properties from type 'ArtifactChannel<"system.Dataset" | "system.Artifact", false>': artifactType, isList — a parameter channel into an artifact input
  train({ data: data.outputs.label, epochs: 1 });
  // @ts-expect-error TS2322 Type 'ArtifactChannel<"system.Dataset", false>' is missing the following properties from type 'ParameterChannel<"NUMBER_INTEGER", unknown, DeclaredItemType>' — an artifact into a parameter input
  train({ data: data.outputs.data, epochs: data.outputs.data });
  // @ts-expect-error TS2322 Type 'false' is not assignable to type 'true' — a single artifact into a list input
  inspect({ anything: data.outputs.blob, models: model.outputs.model });

  // Outputs are typed: unknown output names do not exist.
  // @ts-expect-error TS2339 Property 'loss' does not exist on type 'OutputChannels<{ model: ArtifactType<"system.Model">; — train has no output 'loss'
  void model.outputs.loss;

  // Importer outputs carry their artifact class.
  const imported = importer({ artifactUri: 'gs://b/m', artifactClass: VertexModel });
  const importedModel: ArtifactChannel<'google.VertexModel', false> = imported.outputs.artifact;
  void importedModel;
  // @ts-expect-error TS2322 Type '"google.VertexModel"' is not assignable to type '"system.Dataset" | "system.Artifact"' — a VertexModel is not a Dataset
  train({ data: imported.outputs.artifact, epochs: 1 });

  // Pipeline parameters are typed channels.
  const typedEpochs: ParameterChannel<'NUMBER_INTEGER', number> = epochs;
  void typedEpochs;
  // @ts-expect-error TS2375 Type '"STRING"' is not assignable to type '"NUMBER_INTEGER"' — a string parameter is not an int channel
  const wrongParam: ParameterChannel<'NUMBER_INTEGER', number> = label;
  void wrongParam;
});

// Pipelines used as components are checked the same way.
const inner = pipeline({ name: 'inner', params: { n: t.int() } }, ({ n }) => {
  const data = makeData();
  return { model: train({ data: data.outputs.data, epochs: n }).outputs.model };
});
pipeline({ name: 'outer' }, () => {
  const nested = inner({ n: 2 });
  const data = makeData();
  // @ts-expect-error TS2322 Type '"system.Model"' is not assignable to type '"system.Dataset" | "system.Artifact"' — the nested pipeline's output is a Model, not a Dataset
  train({ data: nested.outputs.model, epochs: 1 });
  // @ts-expect-error TS2322 Type 'string' is not assignable to type 'number | ParameterChannel<"NUMBER_INTEGER", unknown, DeclaredItemType>' — a string into the nested pipeline's int parameter
  inner({ n: 'two' });
  inspect({ anything: nested.outputs.model });
  void data;
});

// Placeholders exist only for declared inputs and outputs.
containerComponent({
  name: 'bad-placeholder',
  inputs: { x: t.string() },
  image: 'alpine',
  // @ts-expect-error TS2339 Property 'y' does not exist on type 'InputPlaceholders<{ x: ParameterSpec<"STRING", string, false, DeclaredItemType>; }>' — 'y' is not an input
  command: ({ inputs }) => ['echo', inputs.y],
});
containerComponent({
  name: 'bad-artifact-placeholder',
  inputs: { data: Dataset },
  image: 'alpine',
  // @ts-expect-error TS2322 Type 'ArtifactPlaceholders' is not assignable to type 'CommandItem' — an artifact input has uri/path/metadata placeholders, not a value
  command: ({ inputs }) => ['echo', inputs.data],
});

// Function components: typed inputs, and the implementation must return every output parameter.
functionComponent({
  name: 'typed-fn',
  inputs: { n: t.int(), data: Dataset },
  outputs: { doubled: t.int(), out: Model },
  implementation: async ({ inputs, outputs }) => {
    const n: number = inputs.n;
    const dataPath: string = inputs.data.path;
    outputs.out.metadata['from'] = dataPath;
    return { doubled: n * 2 };
  },
});
functionComponent({
  name: 'missing-output',
  outputs: { doubled: t.int() },
  // @ts-expect-error TS2322 Property 'doubled' is missing in type '{ other: number; }' but required in type '{ readonly doubled: number; }' — the implementation must return { doubled: number }
  implementation: async () => ({ other: 1 }),
});
functionComponent({
  name: 'wrong-input-use',
  inputs: { label: t.string() },
  implementation: async ({ inputs }) => {
    // @ts-expect-error TS2322 Type 'string' is not assignable to type 'number' — a string input is not a number
    const n: number = inputs.label;
    void n;
  },
});
