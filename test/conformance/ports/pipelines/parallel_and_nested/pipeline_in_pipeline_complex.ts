import { If, ParallelFor, containerComponent, pipeline, t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const printOp1 = pythonFunctionComponent({
  name: 'print_op1',
  inputs: { msg: t.string() },
  outputs: { Output: t.string() },
  functionName: 'print_op1',
  source: '\ndef print_op1(msg: str) -> str:\n    print(msg)\n    return msg\n\n',
});

const printOp = containerComponent({
  name: 'print_op',
  inputs: { msg: t.string() },
  image: 'alpine',
  command: ({ inputs }) => ['echo', inputs.msg],
});

const printOp2 = containerComponent({
  name: 'print_op2',
  inputs: { msg: t.string() },
  image: 'alpine',
  command: ({ inputs }) => ['echo', inputs.msg],
});

const innerPipeline = pipeline({ name: 'inner_pipeline', params: { msg: t.string() } }, ({ msg }) => {
  const task = printOp1({ msg });
  If(task.outputs.Output.eq('Hello'), () => {
    printOp2({ msg: 'world' });
  });
  If(task.outputs.Output.ne('Hello'), () => {
    printOp({ msg: 'Bye!' });
  });
});

export default pipeline({ name: 'pipeline-in-pipeline-complex', params: { msg: t.string({ default: 'Hello' }) } }, ({ msg }) => {
  printOp1({ msg });
  ParallelFor(['Hello', 'world!'], (item) => {
    innerPipeline({ msg: item });
  });
});
