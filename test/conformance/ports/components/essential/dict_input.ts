import { t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

export default pythonFunctionComponent({
  name: 'dict_input',
  inputs: { struct: t.struct() },
  functionName: 'dict_input',
  source: '\ndef dict_input(struct: Dict):\n    print(struct)\n\n',
});
