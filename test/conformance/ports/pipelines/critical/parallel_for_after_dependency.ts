import { ParallelFor, pipeline, t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const printOp = pythonFunctionComponent({
  name: 'print_op',
  inputs: { message: t.string() },
  outputs: { Output: t.string() },
  functionName: 'print_op',
  source: '\ndef print_op(message: str) -> str:\n    print(message)\n    return message\n\n',
});

export default pipeline({ name: 'loop-with-after-dependency-set' }, () => {
  let inLoop: ReturnType<typeof printOp> | undefined;
  ParallelFor([1, 2, 3], () => {
    inLoop = printOp({ message: 'foo' });
  });
  printOp({ message: 'bar' }).after(inLoop!);
  printOp({ message: 'baz' }).after(inLoop!);
});
