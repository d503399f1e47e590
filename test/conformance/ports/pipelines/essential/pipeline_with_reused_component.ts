import { pipeline, t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const addNumbers = pythonFunctionComponent({
  name: 'add_numbers',
  inputs: { a: t.int(), b: t.int() },
  outputs: { Output: t.int() },
  functionName: 'add_numbers',
  kfpPackage: 'kfp==2.14.6',
  source: '\ndef add_numbers(a: int, b: int) -> int:\n    return a + b\n\n',
});

export default pipeline(
  { name: 'pipeline-with-reused-component', params: { a: t.int({ default: 2 }), b: t.int({ default: 5 }) } },
  ({ a, b }) => {
    const first = addNumbers({ a, b: 3 });
    const second = addNumbers({ a: first.outputs.Output, b });
    addNumbers({ a: second.outputs.Output, b: 7 });
  },
);
