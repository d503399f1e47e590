import { containerComponent, t } from '../../../../compiler';

export default containerComponent({
  name: 'concat_message',
  inputs: { message1: t.string(), message2: t.string() },
  outputs: { Output: t.string() },
  image: 'kfp-image',
  command: ['python3', '-m', 'kfp.dsl.executor_main'],
  args: ['--executor_input', '{{$}}', '--function_to_execute', 'concat_message'],
});
