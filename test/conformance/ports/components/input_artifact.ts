import { Dataset } from '../../../../compiler';
import { pythonFunctionComponent } from '../../support/python-function';

export default pythonFunctionComponent({
  name: 'input_artifact',
  inputs: { data: Dataset },
  functionName: 'input_artifact',
  source: '\ndef input_artifact(data: Input[Dataset]):\n    print(data.name)\n    print(data.uri)\n    print(data.metadata)\n\n',
});
