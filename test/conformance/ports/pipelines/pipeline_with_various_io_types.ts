import { Artifact, HTML, Model, artifactType, containerComponent, pipeline, t } from '../../../../compiler';

const BQMLModel = artifactType('google.BQMLModel', '0.0.1');

const upstream = containerComponent({
  name: 'upstream',
  inputs: { input_1: t.string(), input_2: t.float(), input_3: Artifact, input_4: t.string() },
  outputs: {
    output_1: t.int(),
    output_2: Model,
    output_3: Artifact,
    output_4: Model,
    output_5: Artifact,
    output_6: Artifact,
    output_7: Artifact,
    output_8: HTML,
    output_9: BQMLModel,
  },
  image: 'gcr.io/image',
  args: ({ inputs, outputs }) => [
    inputs.input_1,
    inputs.input_2,
    inputs.input_3.path,
    inputs.input_4,
    outputs.output_1.path,
    outputs.output_2.uri,
    outputs.output_3.path,
    outputs.output_4.uri,
    outputs.output_5.uri,
    outputs.output_6.path,
    outputs.output_7.path,
    outputs.output_8.path,
  ],
});

const downstream = containerComponent({
  name: 'downstream',
  inputs: {
    input_a: t.int(),
    input_b: Model,
    input_c: Artifact,
    input_d: Model,
    input_e: Artifact,
    input_f: Artifact,
    input_g: Artifact,
    input_h: HTML,
    input_i: BQMLModel,
  },
  image: 'gcr.io/image',
  args: ({ inputs }) => [
    inputs.input_a,
    inputs.input_b.uri,
    inputs.input_c.path,
    inputs.input_d.uri,
    inputs.input_e.uri,
    inputs.input_f.path,
    inputs.input_g.path,
    inputs.input_h.path,
  ],
});

export default pipeline(
  {
    name: 'pipeline-with-various-types',
    params: { input1: t.string(), input3: Artifact, input4: t.string({ default: '' }) },
  },
  ({ input1, input3, input4 }) => {
    const up = upstream({ input_1: input1, input_2: 3.1415926, input_3: input3, input_4: input4 });
    downstream({
      input_a: up.outputs.output_1,
      input_b: up.outputs.output_2,
      input_c: up.outputs.output_3,
      input_d: up.outputs.output_4,
      input_e: up.outputs.output_5,
      input_f: up.outputs.output_6,
      input_g: up.outputs.output_7,
      input_h: up.outputs.output_8,
      input_i: up.outputs.output_9,
    });
  },
);
