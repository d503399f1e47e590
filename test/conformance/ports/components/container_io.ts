import { containerComponent, t } from '../../../../compiler';

export default containerComponent({
  name: 'container_io',
  inputs: { text: t.string() },
  outputs: { output_path: t.string() },
  image: 'registry.access.redhat.com/ubi9/python-311:latest',
  command: ({ inputs }) => ['my_program', inputs.text],
  args: ({ outputs }) => ['--output_path', outputs.output_path.path],
});
