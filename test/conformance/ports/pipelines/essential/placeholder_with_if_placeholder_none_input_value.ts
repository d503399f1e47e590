import { containerComponent, ifPresent, pipeline, t } from '../../../../../compiler';

const componentWithOptionalInputs = containerComponent({
  name: 'component_with_optional_inputs',
  inputs: {
    required_input: t.string(),
    optional_input_1: t.string({ optional: true }),
    optional_input_2: t.string({ optional: true }),
  },
  image: 'ghcr.io/containerd/busybox',
  command: ['echo'],
  args: ({ inputs }) => [
    '--arg0',
    inputs.required_input,
    ifPresent(inputs.optional_input_1, ['--arg1', inputs.optional_input_1]),
    ifPresent(inputs.optional_input_2, ['--arg2', inputs.optional_input_2], ['--arg2', 'default value']),
  ],
});

export default pipeline(
  { name: 'one-step-pipeline-with-if-placeholder-supply-none', params: { input0: t.string({ default: 'input0' }) } },
  ({ input0 }) => {
    componentWithOptionalInputs({ required_input: input0 });
  },
);
