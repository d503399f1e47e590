import { containerComponent, pipeline, t } from '../../../../compiler';

const echo = containerComponent({
  name: 'echo',
  inputs: { param1: t.string(), param2: t.string() },
  image: 'registry.access.redhat.com/ubi9/python-311:latest',
  command: ['echo'],
  args: ({ inputs }) => [`${inputs.param1}-${inputs.param2}`],
});

// The reference compiled the component with `pipeline_parameters={'param1': 'hello'}`: the root gets
// the default (without isOptional) while the component itself keeps a required input. kfp-ts has no
// such compile option, so the wrapping pipeline is written out.
export default pipeline(
  { name: 'echo', params: { param1: t.string({ default: 'hello', optional: false }), param2: t.string() } },
  ({ param1, param2 }) => {
    echo({ param1, param2 });
  },
);
