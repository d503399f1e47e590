import { pipeline, t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const componentOp = pythonFunctionComponent({
  name: 'component_op',
  inputs: {
    input1: t.string({ default: 'default value' }),
    input2: t.string({ optional: true }),
    input3: t.string({ optional: true }),
  },
  functionName: 'component_op',
  source:
    "\ndef component_op(\n    input1: str = 'default value',\n    input2: Optional[str] = None,\n    input3: Optional[str] = None,\n):\n    print(f'input1: {input1}, type: {type(input1)}')\n    print(f'input2: {input2}, type: {type(input2)}')\n    print(f'input3: {input3}, type: {type(input3)}')\n\n",
});

export default pipeline({ name: 'v2-component-optional-input' }, () => {
  componentOp({ input1: 'Hello', input2: 'World' });
});
