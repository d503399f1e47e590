import { ParallelFor, pipeline, t } from '../../../../compiler';
import { pythonFunctionComponent } from '../../support/python-function';

const printOp = pythonFunctionComponent({
  name: 'print_op',
  inputs: { message: t.string() },
  functionName: 'print_op',
  source: '\ndef print_op(message: str):\n    print(message)\n\n',
});

type PrintTask = ReturnType<typeof printOp>;

export default pipeline({ name: 'my-pipeline' }, () => {
  let one: PrintTask | undefined;
  ParallelFor([1, 2], () => {
    one = printOp({ message: 'one' });
  });
  ParallelFor([1, 2], () => {
    printOp({ message: 'two' }).after(one!);
  });

  ParallelFor([1, 2], () => {
    const three = printOp({ message: 'three' });
    ParallelFor([1, 2], () => {
      printOp({ message: 'four' }).after(three);
    });
  });

  let five: PrintTask | undefined;
  ParallelFor([1, 2], () => {
    five = printOp({ message: 'five' });
  });
  printOp({ message: 'six' }).after(five!);

  ParallelFor([1, 2], () => {
    let seven: PrintTask | undefined;
    ParallelFor([1, 2], () => {
      seven = printOp({ message: 'seven' });
    });
    printOp({ message: 'eight' }).after(seven!);
  });
});
