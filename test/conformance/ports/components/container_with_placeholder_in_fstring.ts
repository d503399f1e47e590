import { Artifact, containerComponent, t } from '../../../../compiler';

export default containerComponent({
  name: 'container_with_placeholder_in_fstring',
  inputs: { text1: t.string({ default: 'text!' }) },
  outputs: { output_artifact: Artifact },
  image: 'registry.access.redhat.com/ubi9/python-311:latest',
  command: ({ inputs, outputs }) => ['my_program', `prefix-${inputs.text1}`, `${outputs.output_artifact.uri}/0`],
});
