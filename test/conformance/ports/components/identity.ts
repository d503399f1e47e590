import { t } from '../../../../compiler';
import { pythonFunctionComponent } from '../../support/python-function';

export default pythonFunctionComponent({
  name: 'identity',
  inputs: { value: t.string() },
  outputs: { Output: t.string() },
  functionName: 'identity',
  source: '\ndef identity(value: str) -> str:\n    return value\n\n',
});
