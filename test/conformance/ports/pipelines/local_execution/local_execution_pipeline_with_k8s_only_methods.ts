import { customAccelerator, pipeline, t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const echo = pythonFunctionComponent({
  name: 'echo',
  inputs: { message: t.string() },
  outputs: { Output: t.string() },
  functionName: 'echo',
  source: '\ndef echo(message: str) -> str:\n    return message\n\n',
});

export default pipeline({ name: 'pipeline-with-k8s-only-methods', params: { message: t.string({ default: 'hello' }) } }, ({ message }) => {
  const task = echo({ message }).setCpuLimit('1000m').setMemoryLimit('256Mi').setAccelerator(customAccelerator('nvidia.com/gpu'), 1);
  return { Output: task.outputs.Output };
});
