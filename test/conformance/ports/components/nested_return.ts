import { t } from '../../../../compiler';
import { pythonFunctionComponent } from '../../support/python-function';

export default pythonFunctionComponent({
  name: 'nested_return',
  outputs: { Output: t.list<{ [key: string]: string }>() },
  functionName: 'nested_return',
  source: "\ndef nested_return() -> List[Dict[str, str]]:\n    return [{'A_a': '1', 'B_b': '2'}, {'A_a': '10', 'B_b': '20'}]\n\n",
});
