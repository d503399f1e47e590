import { ParallelFor, collected, pipeline, t } from '../../../../compiler';
import { pythonFunctionComponent } from '../../support/python-function';

const addTwoNumbers = pythonFunctionComponent({
  name: 'add_two_numbers',
  inputs: { x: t.list(), y: t.list() },
  outputs: { Output: t.int() },
  functionName: 'add_two_numbers',
  source: '\ndef add_two_numbers(x: List[int], y: List[int]) -> int:\n    return sum(x) + sum(y)\n\n',
});

const double = pythonFunctionComponent({
  name: 'double',
  inputs: { num: t.int() },
  outputs: { Output: t.int() },
  functionName: 'double',
  source: '\ndef double(num: int) -> int:\n    return 2 * num\n\n',
});

const nestedAdd = pythonFunctionComponent({
  name: 'nested_add',
  inputs: { nums: t.list() },
  outputs: { Output: t.int() },
  functionName: 'nested_add',
  source: '\ndef nested_add(nums: List[List[int]]) -> int:\n    import itertools\n    return sum(itertools.chain(*nums))\n\n',
});

const simpleAdd = pythonFunctionComponent({
  name: 'simple_add',
  inputs: { nums: t.list() },
  outputs: { Output: t.int() },
  functionName: 'simple_add',
  source: '\ndef simple_add(nums: List[int]) -> int:\n    return sum(nums)\n\n',
});

export default pipeline({ name: 'math-pipeline' }, () => {
  let single: ReturnType<typeof double> | undefined;
  let nested: ReturnType<typeof double> | undefined;
  ParallelFor([1, 2, 3], (x) => {
    single = double({ num: x });
    ParallelFor([4, 5, 6], (y) => {
      nested = double({ num: y });
    });
    simpleAdd({ nums: collected(nested!.outputs.Output) });
  });

  nestedAdd({ nums: collected(nested!.outputs.Output) });

  let simpleSum: ReturnType<typeof simpleAdd> | undefined;
  let nestedSum: ReturnType<typeof nestedAdd> | undefined;
  ParallelFor([0, 0, 0], () => {
    simpleSum = simpleAdd({ nums: collected(single!.outputs.Output) });
    nestedSum = nestedAdd({ nums: collected(nested!.outputs.Output) });
  });

  const total = addTwoNumbers({ x: collected(simpleSum!.outputs.Output), y: collected(nestedSum!.outputs.Output) });
  return { Output: total.outputs.Output };
});

/** For test/compiler/synth/collected-consumers.test.ts, which builds this pipeline with shared collections. */
export { addTwoNumbers, double, nestedAdd, simpleAdd };
