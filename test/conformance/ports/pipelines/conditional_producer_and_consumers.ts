import { If, ParallelFor, collected, pipeline, t } from '../../../../compiler';
import { pythonFunctionComponent } from '../../support/python-function';

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

export default pipeline({ name: 'math-pipeline', params: { threshold: t.int({ default: 2 }) } }, ({ threshold }) => {
  let doubled: ReturnType<typeof double> | undefined;
  ParallelFor([1, 2, 3], (x) => {
    If(x.ge(threshold), () => {
      doubled = double({ num: x });
    });
  });
  let added: ReturnType<typeof add> | undefined;
  If(threshold.eq(2), () => {
    added = add({ nums: collected(doubled!.outputs.Output) });
  });
  return { Output: collected(added!.outputs.Output) };
});
