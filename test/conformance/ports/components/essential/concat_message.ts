import { t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

export default pythonFunctionComponent({
  name: 'concat_message',
  inputs: { message1: t.string(), message2: t.string() },
  outputs: { Output: t.string() },
  functionName: 'concat_message',
  source: '\ndef concat_message(message1: str, message2: str) -> str:\n    return message1 + message2\n\n',
});
