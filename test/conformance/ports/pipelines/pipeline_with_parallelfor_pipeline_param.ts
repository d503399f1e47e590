import { ParallelFor, pipeline, t } from '../../../../compiler';
import { pythonFunctionComponent } from '../../support/python-function';

const makePrefix = pythonFunctionComponent({
  name: 'make_prefix',
  outputs: { Output: t.string() },
  functionName: 'make_prefix',
  source: "\ndef make_prefix() -> str:\n    return 'dynamic-prefix'\n\n",
});

const printWithPrefix = pythonFunctionComponent({
  name: 'print_with_prefix',
  inputs: { prefix: t.string(), item: t.string() },
  outputs: { Output: t.string() },
  functionName: 'print_with_prefix',
  source:
    "\ndef print_with_prefix(prefix: str, item: str) -> str:\n    result = f'{prefix}: {item}'\n    print(result)\n    return result\n\n",
});

export default pipeline(
  {
    name: 'pipeline-parallelfor-pipeline-param',
    description: 'Pipeline parameter used alongside loop item inside ParallelFor.',
    params: { loop_parameter: t.list<string>(), prefix: t.string() },
  },
  ({ loop_parameter, prefix }) => {
    // A pipeline parameter next to the loop item.
    ParallelFor(
      loop_parameter,
      (item) => {
        printWithPrefix({ prefix, item });
      },
      { parallelism: 1 },
    );

    // A task output next to the loop item.
    const dynamicPrefix = makePrefix();
    ParallelFor(loop_parameter, (item) => {
      printWithPrefix({ prefix: dynamicPrefix.outputs.Output, item });
    });

    // A pipeline parameter threaded through nested loops.
    ParallelFor(
      ['x', 'y'],
      () => {
        ParallelFor(loop_parameter, (item) => {
          printWithPrefix({ prefix, item });
        });
      },
      { parallelism: 2 },
    );
  },
);
