import { ParallelFor, collected, pipeline, t } from '../../../../compiler';
import { pythonFunctionComponent } from '../../support/python-function';

const add = pythonFunctionComponent({
  name: 'add',
  inputs: { nums: t.list() },
  outputs: { Output: t.int() },
  functionName: 'add',
  source: '\ndef add(nums: List[List[int]]) -> int:\n    import itertools\n    return sum(itertools.chain(*nums))\n\n',
});

const double = pythonFunctionComponent({
  name: 'double',
  inputs: { num: t.int() },
  outputs: { Output: t.int() },
  functionName: 'double',
  source: '\ndef double(num: int) -> int:\n    return 2 * num\n\n',
});

const echoAndReturn = pythonFunctionComponent({
  name: 'echo_and_return',
  inputs: { string: t.string() },
  outputs: { Output: t.string() },
  functionName: 'echo_and_return',
  source: '\ndef echo_and_return(string: str) -> str:\n    print(string)\n    return string\n\n',
});

const joinAndPrint = pythonFunctionComponent({
  name: 'join_and_print',
  inputs: { strings: t.list() },
  functionName: 'join_and_print',
  source: "\ndef join_and_print(strings: List[str]):\n    print(''.join(strings))\n\n",
});

const doublePipeline = pipeline({ name: 'double_pipeline', params: { num: t.int() } }, ({ num }) => {
  const task = double({ num });
  return { Output: task.outputs.Output };
});

const addPipeline = pipeline({ name: 'add_pipeline', params: { nums: t.list() } }, ({ nums }) => {
  const addTask = add({ nums });
  const loop = ParallelFor(['m', 'a', 't', 'h'], (char) => {
    const echo = echoAndReturn({ string: char });
    return { out: echo.outputs.Output };
  });
  return { out1: addTask.outputs.Output, out2: loop.outputs.out };
});

export default pipeline({ name: 'math-pipeline' }, () => {
  let doubled: ReturnType<typeof doublePipeline> | undefined;
  ParallelFor([1, 2, 3], () => {
    ParallelFor([1, 2, 3], (y) => {
      doubled = doublePipeline({ num: y });
    });
  });
  const added = addPipeline({ nums: collected(doubled!.outputs.Output) });
  joinAndPrint({ strings: added.outputs.out2 });
  return { Output: added.outputs.out1 };
});
