import { containerComponent, pipeline, t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const printOp1 = pythonFunctionComponent({
  name: 'print_op1',
  inputs: { msg: t.string() },
  outputs: { Output: t.string() },
  functionName: 'print_op1',
  source: '\ndef print_op1(msg: str) -> str:\n    print(msg)\n    return msg\n\n',
});

const printOp2 = containerComponent({
  name: 'print_op2',
  inputs: { msg: t.string() },
  image: 'alpine',
  command: ({ inputs }) => ['echo', inputs.msg],
});

const innerPipeline = pipeline({ name: 'inner_pipeline', params: { msg: t.string() } }, ({ msg }) => {
  const task = printOp1({ msg });
  printOp2({ msg: task.outputs.Output });
});

export default pipeline({ name: 'pipeline-in-pipeline' }, () => {
  printOp1({ msg: 'Hello' });
  innerPipeline({ msg: 'world' });
});
