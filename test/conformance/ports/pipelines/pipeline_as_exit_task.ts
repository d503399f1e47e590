import { ExitHandler, If, pipeline, t } from '../../../../compiler';
import { pythonFunctionComponent } from '../../support/python-function';

const failOp = pythonFunctionComponent({
  name: 'fail_op',
  inputs: { message: t.string() },
  functionName: 'fail_op',
  source: '\ndef fail_op(message: str):\n    """Fails."""\n    import sys\n    print(message)\n    sys.exit(1)\n\n',
});

const getRunState = pythonFunctionComponent({
  name: 'get_run_state',
  inputs: { status: t.struct() },
  outputs: { Output: t.string() },
  functionName: 'get_run_state',
  source: "\ndef get_run_state(status: dict) -> str:\n    print('Pipeline status: ', status)\n    return status['state']\n\n",
});

const printOp = pythonFunctionComponent({
  name: 'print_op',
  inputs: { message: t.string() },
  functionName: 'print_op',
  source: '\ndef print_op(message: str):\n    """Prints a message."""\n    print(message)\n\n',
});

const conditionalNotification = pipeline({ name: 'conditional-notification', params: { status: t.taskFinalStatus() } }, ({ status }) => {
  const state = getRunState({ status });
  If(state.outputs.Output.eq('FAILED'), () => {
    printOp({ message: 'notify task failure.' });
  });
});

export default pipeline(
  { name: 'pipeline-with-task-final-status-conditional', params: { message: t.string({ default: 'Hello World!' }) } },
  ({ message }) => {
    const exitTask = conditionalNotification();
    ExitHandler(
      exitTask,
      () => {
        printOp({ message });
        failOp({ message: 'Task failed.' });
      },
      { name: 'my-pipeline' },
    );
  },
);
