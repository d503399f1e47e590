import { containerComponent, Dataset, pipeline, t } from '../../../../../compiler';

const component1 = containerComponent({
  name: 'component1',
  inputs: { text: t.string() },
  outputs: { output_gcs: Dataset },
  image: 'alpine',
  command: ['sh', '-c', 'mkdir --parents $(dirname "$1") && echo "$0" > "$1"'],
  args: ({ inputs, outputs }) => [inputs.text, outputs.output_gcs.path],
});

const component2 = containerComponent({
  name: 'component2',
  inputs: { input_gcs: Dataset },
  image: 'alpine',
  command: ['cat'],
  args: ({ inputs }) => [inputs.input_gcs.path],
});

export default pipeline(
  {
    name: 'containerized-two-step-pipeline',
    params: { text: t.string({ default: 'Hello KFP Containerized!', optional: false }) },
  },
  ({ text }) => {
    const step1 = component1({ text });
    component2({ input_gcs: step1.outputs.output_gcs });
  },
);
