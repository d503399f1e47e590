import { pipeline, t } from '../../../../compiler';
import { pythonFunctionComponent } from '../../support/python-function';

const failOp = pythonFunctionComponent({
  name: 'fail_op',
  inputs: { message: t.string() },
  outputs: { Output: t.string() },
  functionName: 'fail_op',
  source:
    '\ndef fail_op(message: str) -> str:\n    """Fails."""\n    import sys\n    print(message)\n    sys.exit(1)\n    return message\n\n',
});

const printOp = pythonFunctionComponent({
  name: 'print_op',
  inputs: { message: t.string({ default: 'default' }) },
  functionName: 'print_op',
  source: '\ndef print_op(message: str = \'default\'):\n    """Prints a message."""\n    print(message)\n\n',
});

export default pipeline({ name: 'my-pipeline', params: { sample_input: t.string({ default: 'message' }) } }, ({ sample_input }) => {
  const failTask = failOp({ message: sample_input });
  printOp({ message: failTask.outputs.Output }).ignoreUpstreamFailure();
});
