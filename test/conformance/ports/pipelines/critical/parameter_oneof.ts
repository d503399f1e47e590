import { If, pipeline, t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const flipCoin = pythonFunctionComponent({
  name: 'flip_coin',
  outputs: { Output: t.string() },
  functionName: 'flip_coin',
  source: "\ndef flip_coin() -> str:\n    import random\n    return 'heads' if random.randint(0, 1) == 0 else 'tails'\n\n",
});

const coreComp = pythonFunctionComponent({
  name: 'core_comp',
  inputs: { input: t.string() },
  outputs: { Output: t.string() },
  functionName: 'core_comp',
  source: "\ndef core_comp(input: str) -> str:\n    print('input :', input)\n    return input\n\n",
});

const coreOutputComp = pythonFunctionComponent({
  name: 'core_output_comp',
  inputs: { input: t.string() },
  outputs: { output_key: t.string() },
  functionName: 'core_output_comp',
  source:
    "\ndef core_output_comp(input: str, output_key: dsl.OutputPath(str)):\n    print('input :', input)\n    with open(output_key, 'w') as f:\n        f.write(input)\n\n",
});

const crustComp = pythonFunctionComponent({
  name: 'crust_comp',
  inputs: { input: t.string() },
  functionName: 'crust_comp',
  source: "\ndef crust_comp(input: str):\n    print('input :', input)\n\n",
});

const core = pipeline({ name: 'core' }, () => {
  const flip = flipCoin({}).setCaching(false);
  const branches = If(flip.outputs.Output.eq('heads'), () => ({
    value: coreComp({ input: 'Got heads!' }).setCaching(false).outputs.Output,
  })).Else(() => ({
    value: coreOutputComp({ input: 'Got tails!' }).setCaching(false).outputs.output_key,
  }));
  return { Output: branches.outputs.value };
});

const mantle = pipeline({ name: 'mantle' }, () => {
  const task = core({}).setCaching(false);
  return { Output: task.outputs.Output };
});

export default pipeline({ name: 'parameter-oneof-pipeline' }, () => {
  const task = mantle({}).setCaching(false);
  crustComp({ input: task.outputs.Output }).setCaching(false);
});
