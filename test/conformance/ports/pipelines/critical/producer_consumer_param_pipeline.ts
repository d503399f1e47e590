import { containerComponent, pipeline, t } from '../../../../../compiler';

const image = 'registry.access.redhat.com/ubi9/python-311:latest';

const producer = containerComponent({
  name: 'producer',
  inputs: { input_text: t.string() },
  outputs: { output_value: t.string() },
  image,
  command: ({ inputs, outputs }) => [
    'sh',
    '-c',
    'set -e -x\nmkdir -p "$(dirname "$1")"\necho "$0, this is an output parameter" > "$1"\n',
    inputs.input_text,
    outputs.output_value.path,
  ],
});

const consumer = containerComponent({
  name: 'consumer',
  inputs: { input_value: t.string() },
  image,
  command: ({ inputs }) => ['sh', '-c', 'set -e -x\necho "Read from an input parameter: " && echo "$0"\n', inputs.input_value],
});

export default pipeline(
  { name: 'producer-consumer-param-pipeline', params: { text: t.string({ default: 'Hello world' }) } },
  ({ text }) => {
    const producerTask = producer({ input_text: text });
    consumer({ input_value: producerTask.outputs.output_value });
  },
);
