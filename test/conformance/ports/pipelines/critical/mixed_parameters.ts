import { pipeline, t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const coreComp = pythonFunctionComponent({
  name: 'core_comp',
  outputs: { Output: t.int() },
  functionName: 'core_comp',
  source: '\ndef core_comp() -> int:\n    return 1\n\n',
});

const crustComp = pythonFunctionComponent({
  name: 'crust_comp',
  inputs: { x: t.int(), y: t.int() },
  functionName: 'crust_comp',
  source: "\ndef crust_comp(x: int, y: int):\n    print('sum :', x + y)\n\n",
});

const core = pipeline({ name: 'core' }, () => {
  const task = coreComp({}).setCaching(false);
  return { Output: task.outputs.Output };
});

const mantle = pipeline({ name: 'mantle' }, () => {
  const task = core({}).setCaching(false);
  return { Output: task.outputs.Output };
});

export default pipeline({ name: 'mixed-parameters-pipeline' }, () => {
  const task = mantle({}).setCaching(false);
  crustComp({ x: 2, y: task.outputs.Output }).setCaching(false);
});
