import { ParallelFor, pipeline, t } from '../../../../compiler';
import { pythonFunctionComponent } from '../../support/python-function';

const add = pythonFunctionComponent({
  name: 'add',
  inputs: { nums: t.list() },
  outputs: { Output: t.int() },
  functionName: 'add',
  source: '\ndef add(nums: List[List[int]]) -> int:\n    import itertools\n    return sum(itertools.chain(*nums))\n\n',
});

const addTwoNums = pythonFunctionComponent({
  name: 'add_two_nums',
  inputs: { x: t.int(), y: t.int() },
  outputs: { Output: t.int() },
  functionName: 'add_two_nums',
  source: '\ndef add_two_nums(x: int, y: int) -> int:\n    return x + y\n\n',
});

const double = pythonFunctionComponent({
  name: 'double',
  inputs: { num: t.int() },
  outputs: { Output: t.int() },
  functionName: 'double',
  source: '\ndef double(num: int) -> int:\n    return 2 * num\n\n',
});

export default pipeline({ name: 'math-pipeline' }, () => {
  const outer = ParallelFor([1, 2, 3], (x) => {
    const inner = ParallelFor([1, 2, 3], (y) => {
      const doubledX = double({ num: x });
      const doubledY = double({ num: y });
      const sum = addTwoNums({ x: doubledX.outputs.Output, y: doubledY.outputs.Output });
      return { sums: sum.outputs.Output };
    });
    return { sums: inner.outputs.sums };
  });
  add({ nums: outer.outputs.sums });
  return { Output: outer.outputs.sums };
});
