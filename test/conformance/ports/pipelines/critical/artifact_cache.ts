import { Dataset, pipeline } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const coreComp = pythonFunctionComponent({
  name: 'core_comp',
  outputs: { dataset: Dataset },
  functionName: 'core_comp',
  source: "\ndef core_comp(dataset: dsl.Output[dsl.Dataset]):\n    with open(dataset.path, 'w') as f:\n        f.write('foo')\n\n",
});

const crustComp = pythonFunctionComponent({
  name: 'crust_comp',
  inputs: { input: Dataset },
  functionName: 'crust_comp',
  source: "\ndef crust_comp(input: dsl.Dataset):\n    with open(input.path, 'r') as f:\n        print('input: ', f.read())\n\n",
});

const core = pipeline({ name: 'core' }, () => {
  const task = coreComp({});
  return { Output: task.outputs.dataset };
});

const mantle = pipeline({ name: 'mantle' }, () => {
  const task = core({});
  return { Output: task.outputs.Output };
});

export default pipeline({ name: 'artifact-cache-pipeline' }, () => {
  const task = mantle({});
  crustComp({ input: task.outputs.Output });
});
