import { t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

export default pythonFunctionComponent({
  name: 'add_numbers',
  inputs: { a: t.int(), b: t.int() },
  outputs: { Output: t.int() },
  functionName: 'add_numbers',
  source: '\ndef add_numbers(a: int, b: int) -> int:\n    return a + b\n\n',
});
