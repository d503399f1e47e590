import { ParallelFor, fmt, pipeline, t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const printOp = pythonFunctionComponent({
  name: 'print_op',
  inputs: { text: t.string() },
  outputs: { Output: t.string() },
  functionName: 'print_op',
  source: '\ndef print_op(text: str) -> str:\n    print(text)\n    return text\n\n',
});

const printOp2 = pythonFunctionComponent({
  name: 'print_op2',
  inputs: { text1: t.string(), text2: t.string() },
  outputs: { Output: t.string() },
  functionName: 'print_op2',
  source: '\ndef print_op2(text1: str, text2: str) -> str:\n    print(text1 + text2)\n    return text1 + text2\n\n',
});

export default pipeline(
  { name: 'pipeline-with-pipelineparam-containing-format', params: { name: t.string({ default: 'KFP' }) } },
  ({ name }) => {
    const printTask = printOp({ text: fmt`Hello ${name}` });
    printOp({ text: fmt`${printTask.outputs.Output}, again.` });
    ParallelFor(['1', '2'], (item) => {
      printOp2({ text1: item, text2: fmt` and ${name}.` });
    });
  },
);
