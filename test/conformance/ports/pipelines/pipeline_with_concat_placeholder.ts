import { concat, containerComponent, pipeline, t } from '../../../../compiler';

const componentWithConcatPlaceholder = containerComponent({
  name: 'component_with_concat_placeholder',
  inputs: { input_one: t.string(), input_two: t.string() },
  image: 'ghcr.io/containerd/busybox',
  command: ['sh', '-ec'],
  args: ({ inputs }) => [
    `echo "$0" > /tmp/test && [[ "$0" == 'one+two=three' ]]`,
    concat(inputs.input_one, '+', inputs.input_two, '=three'),
  ],
});

export default pipeline({ name: 'one-step-pipeline-with-concat-placeholder' }, () => {
  componentWithConcatPlaceholder({ input_one: 'one', input_two: 'two' });
});
