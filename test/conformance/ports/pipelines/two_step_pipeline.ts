import { Artifact, containerComponent, pipeline, t } from '../../../../compiler';

const writeToGcs = containerComponent({
  name: 'write_to_gcs',
  inputs: { text: t.string() },
  outputs: { output_gcs_path: Artifact },
  image: 'google/cloud-sdk:slim',
  command: ({ inputs, outputs }) => ['sh', '-c', 'set -e -x\necho "$0" | gsutil cp - "$1"\n', inputs.text, outputs.output_gcs_path.uri],
});

const readFromGcs = containerComponent({
  name: 'read_from_gcs',
  inputs: { input_gcs_path: Artifact },
  image: 'google/cloud-sdk:slim',
  command: ({ inputs }) => ['sh', '-c', 'set -e -x\ngsutil cat "$0"\n', inputs.input_gcs_path.uri],
});

export default pipeline({ name: 'simple-two-step-pipeline', params: { text: t.string({ default: 'Hello KFP!' }) } }, ({ text }) => {
  const producer = writeToGcs({ text }).setDisplayName('Producer');
  readFromGcs({ input_gcs_path: producer.outputs.output_gcs_path }).setDisplayName('Consumer');
});
