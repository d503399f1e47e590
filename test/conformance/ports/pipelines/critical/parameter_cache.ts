import { pipeline, t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const coreComp = pythonFunctionComponent({
  name: 'core_comp',
  outputs: { Output: t.string() },
  functionName: 'core_comp',
  source: "\ndef core_comp() -> str:\n    return 'foo'\n\n",
});

const crustComp = pythonFunctionComponent({
  name: 'crust_comp',
  inputs: { input: t.string() },
  functionName: 'crust_comp',
  source: "\ndef crust_comp(input: str):\n    print('input :', input)\n\n",
});

const core = pipeline({ name: 'core' }, () => {
  const task = coreComp({});
  return { Output: task.outputs.Output };
});

const mantle = pipeline({ name: 'mantle' }, () => {
  const task = core({});
  return { Output: task.outputs.Output };
});

export default pipeline({ name: 'parameter-cache-pipeline' }, () => {
  const mantleTask = mantle({});
  crustComp({ input: mantleTask.outputs.Output });
});
