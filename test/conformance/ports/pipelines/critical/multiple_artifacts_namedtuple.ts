import { Dataset, pipeline } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const coreComp = pythonFunctionComponent({
  name: 'core_comp',
  outputs: { ds1: Dataset, ds2: Dataset },
  functionName: 'core_comp',
  source:
    "\ndef core_comp(ds1: dsl.Output[dsl.Dataset], ds2: dsl.Output[dsl.Dataset]):\n    with open(ds1.path, 'w') as f:\n        f.write('foo')\n    with open(ds2.path, 'w') as f:\n        f.write('bar')\n\n",
});

const crustComp = pythonFunctionComponent({
  name: 'crust_comp',
  inputs: { ds1: Dataset, ds2: Dataset },
  functionName: 'crust_comp',
  source:
    "\ndef crust_comp(\n    ds1: dsl.Dataset,\n    ds2: dsl.Dataset,\n):\n    with open(ds1.path, 'r') as f:\n        print('ds1: ', f.read())\n    with open(ds2.path, 'r') as f:\n        print('ds2: ', f.read())\n\n",
});

const core = pipeline({ name: 'core' }, () => {
  const task = coreComp({}).setCaching(false);
  return { ds1: task.outputs.ds1, ds2: task.outputs.ds2 };
});

const mantle = pipeline({ name: 'mantle' }, () => {
  const task = core({}).setCaching(false);
  return { ds1: task.outputs.ds1, ds2: task.outputs.ds2 };
});

export default pipeline({ name: 'multiple-artifacts-namedtuple-pipeline' }, () => {
  const mantleTask = mantle({}).setCaching(false);
  crustComp({ ds1: mantleTask.outputs.ds1, ds2: mantleTask.outputs.ds2 }).setCaching(false);
});
