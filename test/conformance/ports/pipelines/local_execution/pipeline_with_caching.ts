import { pipeline, t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const addOne = pythonFunctionComponent({
  name: 'add_one',
  inputs: { x: t.int() },
  outputs: { Output: t.int() },
  functionName: 'add_one',
  source: '\ndef add_one(x: int) -> int:\n    return x + 1\n\n',
});

export default pipeline({ name: 'pipeline-with-caching', params: { x: t.int({ default: 1 }) } }, ({ x }) => {
  const task = addOne({ x });
  return { Output: task.outputs.Output };
});
