import { ExitHandler, pipeline, t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const printOp = pythonFunctionComponent({
  name: 'print_op',
  inputs: { message: t.string() },
  functionName: 'print_op',
  source: '\ndef print_op(message: str):\n    """Prints a message."""\n    print(message)\n\n',
});

const failOp = pythonFunctionComponent({
  name: 'fail_op',
  inputs: { message: t.string() },
  functionName: 'fail_op',
  source: '\ndef fail_op(message: str):\n    """Fails."""\n    import sys\n    print(message)\n    sys.exit(1)\n\n',
});

export default pipeline(
  { name: 'pipeline-with-multiple-exit-handlers', params: { message: t.string({ default: 'Hello World!' }) } },
  ({ message }) => {
    const firstExit = printOp({ message: 'First exit handler has worked!' });
    ExitHandler(firstExit, () => {
      printOp({ message });
      failOp({ message: 'Task failed.' });
    });

    const secondExit = printOp({ message: 'Second exit handler has worked!' });
    ExitHandler(secondExit, () => {
      printOp({ message });
    });

    const thirdExit = printOp({ message: 'Third exit handler has worked!' });
    ExitHandler(thirdExit, () => {
      printOp({ message });
    });
  },
);
