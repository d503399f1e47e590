import { pipeline, t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const coreComp = pythonFunctionComponent({
  name: 'core_comp',
  outputs: { val1: t.string(), val2: t.string() },
  functionName: 'core_comp',
  source:
    "\ndef core_comp() -> NamedTuple('outputs', val1=str, val2=str):  # type: ignore\n    outputs = NamedTuple('outputs', val1=str, val2=str)\n    return outputs('foo', 'bar')\n\n",
});

const crustComp = pythonFunctionComponent({
  name: 'crust_comp',
  inputs: { val1: t.string(), val2: t.string() },
  functionName: 'crust_comp',
  source: "\ndef crust_comp(val1: str, val2: str):\n    print('val1: ', val1)\n    print('val2: ', val2)\n\n",
});

const core = pipeline({ name: 'core' }, () => {
  const task = coreComp({}).setCaching(false);
  return { val1: task.outputs.val1, val2: task.outputs.val2 };
});

const mantle = pipeline({ name: 'mantle' }, () => {
  const task = core({}).setCaching(false);
  return { val1: task.outputs.val1, val2: task.outputs.val2 };
});

export default pipeline({ name: 'multiple-parameters-namedtuple-pipeline' }, () => {
  const mantleTask = mantle({}).setCaching(false);
  crustComp({ val1: mantleTask.outputs.val1, val2: mantleTask.outputs.val2 }).setCaching(false);
});
