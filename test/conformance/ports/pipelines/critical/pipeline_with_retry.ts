import { pipeline, t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const add = pythonFunctionComponent({
  name: 'add',
  inputs: { a: t.float(), b: t.float() },
  outputs: { Output: t.float() },
  functionName: 'add',
  source: '\ndef add(a: float, b: float) -> float:\n    return a + b\n\n',
});

export default pipeline({ name: 'test-pipeline', params: { a: t.float({ default: 1 }), b: t.float({ default: 7 }) } }, ({ a, b }) => {
  add({ a, b }).setRetry({ maxRetries: 3 });
});
