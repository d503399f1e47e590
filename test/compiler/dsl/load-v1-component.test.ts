/**
 * KFP v1 component YAML compiles to what the KFP SDK 2.15.2 emits for it: each case is one of the SDK's
 * own test pipelines that loads v1 components with `load_component_from_text`, rebuilt here with the
 * same YAML (fixtures/v1, verbatim) loaded by kfp-ts, and compared byte for byte with the golden the
 * SDK compiled. compileToYaml validates each document against the PipelineSpec schema too.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  Artifact,
  ExitHandler,
  HTML,
  If,
  Model,
  VertexDataset,
  artifactType,
  compileToYaml,
  fmt,
  importer,
  loadComponentFromFile,
  loadComponentFromText,
  pipeline,
  t,
  type CompileTarget,
  type IoSpecs,
} from '../../../compiler';
import { pythonFunctionComponent } from '../../conformance/support/python-function';
import { goldensDir } from '../../support/kfp-goldens';

const fixture = (name: string) => path.join(__dirname, 'fixtures', 'v1', name);
/** Loads a fixture with the signature the SDK gives it, which loading checks against the file. */
const load = <I extends IoSpecs, O extends IoSpecs = {}>(name: string, inputs: I, outputs = {} as O) =>
  loadComponentFromFile(fixture(name), { inputs, outputs });
const golden = (file: string) => fs.readFileSync(path.join(goldensDir(), 'pipelines', file), 'utf8');
const compile = (target: CompileTarget) => compileToYaml(target, { sdkVersion: 'kfp-2.15.2' });

describe('v1 component YAML compiles as the KFP SDK compiles it', () => {
  it('two_step_pipeline: GCSPath (an unknown type) is a system.Artifact; outputUri/inputUri are its uri', () => {
    const writeToGcs = load('write-to-gcs.yaml', { text: t.string() }, { output_gcs_path: Artifact });
    const readFromGcs = load('read-from-gcs.yaml', { input_gcs_path: Artifact });
    const p = pipeline({ name: 'simple-two-step-pipeline', params: { text: t.string({ default: 'Hello KFP!' }) } }, ({ text }) => {
      const producer = writeToGcs({ text }).setDisplayName('Producer');
      readFromGcs({ input_gcs_path: producer.outputs.output_gcs_path }).setDisplayName('Consumer');
    });
    expect(compile(p)).toBe(golden('two_step_pipeline.yaml'));
  });

  it('pipeline_with_various_io_types: every v1 type maps to the parameter or artifact type the SDK gives it', () => {
    const BQMLModel = artifactType('google.BQMLModel');
    const upstream = load(
      'upstream.yaml',
      { input_1: t.string(), input_2: t.float(), input_3: Artifact, input_4: t.string() },
      {
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
    );
    const downstream = load('downstream.yaml', {
      input_a: t.int(),
      input_b: Model,
      input_c: Artifact,
      input_d: Model,
      input_e: Artifact,
      input_f: Artifact,
      input_g: Artifact,
      input_h: HTML,
      input_i: BQMLModel,
    });
    const p = pipeline(
      { name: 'pipeline-with-various-types', params: { input1: t.string(), input3: Artifact, input4: t.string({ default: '' }) } },
      ({ input1, input3, input4 }) => {
        const up = upstream({ input_1: input1, input_2: 3.1415926, input_3: input3, input_4: input4 });
        const o = up.outputs;
        downstream({
          input_a: o.output_1,
          input_b: o.output_2,
          input_c: o.output_3,
          input_d: o.output_4,
          input_e: o.output_5,
          input_f: o.output_6,
          input_g: o.output_7,
          input_h: o.output_8,
          input_i: o.output_9,
        });
      },
    );
    expect(compile(p)).toBe(golden('pipeline_with_various_io_types.yaml'));
  });

  it('producer_consumer_param: outputPath of a String output is an output parameter file', () => {
    const producer = load('producer.yaml', { input_text: t.string() }, { output_value: t.string() });
    const consumer = load('consumer.yaml', { input_value: t.string() });
    const p = pipeline({ name: 'producer-consumer-param-pipeline', params: { text: t.string({ default: 'Hello world' }) } }, ({ text }) => {
      const task = producer({ input_text: text });
      consumer({ input_value: task.outputs.output_value });
    });
    expect(compile(p)).toBe(golden('critical/producer_consumer_param_pipeline.yaml'));
  });

  it('pipeline_with_concat_placeholder: concat becomes the Concat JSON text', () => {
    const component = load('concat-placeholder.yaml', { input_one: t.string(), input_two: t.string() });
    const p = pipeline({ name: 'one-step-pipeline-with-concat-placeholder' }, () => {
      component({ input_one: 'one', input_two: 'two' });
    });
    expect(compile(p)).toBe(golden('pipeline_with_concat_placeholder.yaml'));
  });

  it('pipeline_with_if_placeholder: if/isPresent becomes IfPresent; optional inputs may be left out', () => {
    const component = load('if-placeholder.yaml', {
      required_input: t.string(),
      optional_input_1: t.string({ optional: true }),
      optional_input_2: t.string({ optional: true }),
    });
    const p = pipeline(
      { name: 'one-step-pipeline-with-if-placeholder-supply-none', params: { input0: t.string({ default: 'input0' }) } },
      ({ input0 }) => {
        component({ required_input: input0 });
      },
    );
    expect(compile(p)).toBe(golden('essential/placeholder_with_if_placeholder_none_input_value.yaml'));
  });

  it('pipeline_with_task_final_status_yaml: a PipelineTaskFinalStatus input receives the exit status', () => {
    const exitOp = load('exit-op.yaml', { user_input: t.string(), status: t.taskFinalStatus() });
    const printOp = load('print-op.yaml', { message: t.string() });
    const p = pipeline(
      { name: 'pipeline-with-task-final-status-yaml', params: { message: t.string({ default: 'Hello World!' }) } },
      ({ message }) => {
        const exitTask = exitOp({ user_input: message });
        ExitHandler(exitTask, () => void printOp({ message }), { name: 'my-pipeline' });
      },
    );
    expect(compile(p)).toBe(golden('pipeline_with_task_final_status_yaml.yaml'));
  });

  it('pipeline_with_after: one loaded component used three times', () => {
    const printText = load('print-text.yaml', { text: t.string() });
    const p = pipeline({ name: 'pipeline-with-after' }, () => {
      const task1 = printText({ text: '1st task' });
      const task2 = printText({ text: '2nd task' }).after(task1);
      printText({ text: '3rd task' }).after(task1, task2);
    });
    expect(compile(p)).toBe(golden('essential/pipeline_with_after.yaml'));
  });

  it('pipeline_with_nested_conditions_yaml: Integer and String output parameters drive conditions', () => {
    const flipCoin = load('flip-coin.yaml', {}, { output: t.string() });
    const print = load('print.yaml', { msg: t.string() });
    const template = fs.readFileSync(fixture('generate-random-number.yaml'), 'utf8');
    // The upstream pipeline fills the two %s slots with Python's % operator.
    const randomNumber = (low: number, high: number) =>
      loadComponentFromText(template.replace('%s', String(low)).replace('%s', String(high)), {
        source: 'generate-random-number.yaml',
        inputs: {},
        outputs: { output: t.int() },
      });
    const p = pipeline(
      {
        name: 'conditional-execution-pipeline',
        displayName: 'Conditional execution pipeline.',
        description: 'Shows how to use dsl.Condition().',
      },
      () => {
        const flip = flipCoin();
        for (const [side, low, high, threshold] of [
          ['heads', 0, 9, 5],
          ['tails', 10, 19, 15],
        ] as const) {
          If(flip.outputs.output.eq(side), () => {
            const number = randomNumber(low, high)().outputs.output;
            If(number.gt(threshold), () => void print({ msg: fmt`${side} and ${number} > ${String(threshold)}!` }));
            If(number.le(threshold), () => void print({ msg: fmt`${side} and ${number} <= ${String(threshold)}!` }));
          });
        }
      },
    );
    expect(compile(p)).toBe(golden('essential/pipeline_with_nested_conditions_yaml.yaml'));
  });

  it('pipeline_with_importer_and_gcpc_types: a google.X type is that artifact type', () => {
    const consumerOp = load('consumer-op.yaml', { dataset: VertexDataset });
    const p = pipeline({ name: 'pipeline-with-importer-and-gcpc-type' }, () => {
      const imported = importer({
        artifactUri: 'gs://ml-pipeline-playground/shakespeare1.txt',
        artifactClass: VertexDataset,
        reimport: false,
        metadata: { key: 'value' },
      });
      consumerOp({ dataset: imported.outputs.artifact });
    });
    expect(compile(p)).toBe(golden('pipeline_with_importer_and_gcpc_types.yaml'));
  });

  it('pipeline_with_env: container env is the executor env, and task settings override it by name', () => {
    const printEnvOp = pythonFunctionComponent({
      name: 'print_env_op',
      functionName: 'print_env_op',
      source:
        "\ndef print_env_op():\n    import os\n    print('ENV1', os.environ.get('ENV1'))\n    print('ENV2', os.environ.get('ENV2'))\n\n",
    });
    const printEnv = load('print-env.yaml', {});
    const p = pipeline({ name: 'pipeline-with-env' }, () => {
      printEnvOp({}).setEnv('ENV1', 'val1');
      printEnv().setEnv('ENV2', 'val2').setEnv('ENV3', 'val3');
    });
    expect(compile(p)).toBe(golden('critical/pipeline_with_env.yaml'));
  });
});
