import { ParallelFor, containerComponent, pipeline, t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const double = pythonFunctionComponent({
  name: 'double',
  inputs: { num: t.int() },
  outputs: { Output: t.int() },
  functionName: 'double',
  source: '\ndef double(num: int) -> int:\n    return 2 * num\n\n',
});

const add = pythonFunctionComponent({
  name: 'add',
  inputs: { nums: t.list<number>() },
  outputs: { Output: t.int() },
  functionName: 'add',
  source: '\ndef add(nums: List[int]) -> int:\n    return sum(nums)\n\n',
});

const addContainer = containerComponent({
  name: 'add_container',
  inputs: { nums: t.list<number>() },
  outputs: { sum: t.int() },
  image: 'jetbrainsinfra/jq',
  command: ['sh', '-c'],
  args: ({ inputs, outputs }) => [
    `\n            set -ex\n            mkdir -p $(dirname ${outputs.sum.path})\n            echo ${inputs.nums} | jq 'add' > ${outputs.sum.path}\n            `,
  ],
});

export default pipeline({ name: 'math-pipeline' }, () => {
  const loop = ParallelFor([1, 2, 3], (x) => ({ doubled: double({ num: x }).outputs.Output }));
  add({ nums: loop.outputs.doubled });
  addContainer({ nums: loop.outputs.doubled });
  return { Output: loop.outputs.doubled };
});
