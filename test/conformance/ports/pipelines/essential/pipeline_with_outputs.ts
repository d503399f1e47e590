import { Artifact, containerComponent, pipeline, t } from '../../../../../compiler';
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
  outputs: { data: Artifact },
  image: 'alpine',
  command: ['sh', '-c', 'mkdir --parents $(dirname "$1") && echo "$0" > "$1"'],
  args: ({ inputs, outputs }) => [inputs.msg, outputs.data.path],
});

const innerPipeline = pipeline({ name: 'inner_pipeline', params: { msg: t.string() } }, ({ msg }) => {
  const task1 = printOp1({ msg });
  const task2 = printOp2({ msg: task1.outputs.Output });
  return { msg: task1.outputs.Output, data: task2.outputs.data };
});

export default pipeline({ name: 'pipeline-in-pipeline', params: { msg: t.string({ default: 'Hello' }) } }, ({ msg }) => {
  printOp1({ msg });
  const inner = innerPipeline({ msg: 'world' });
  return { Output: inner.outputs.data };
});
