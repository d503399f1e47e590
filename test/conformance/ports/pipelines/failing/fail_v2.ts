import { pipeline } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const fail = pythonFunctionComponent({
  name: 'fail',
  functionName: 'fail',
  source: "\ndef fail():\n    '''Fails'''\n    import sys\n    sys.exit(1)\n\n",
});

export default pipeline({ name: 'fail-pipeline' }, () => {
  fail({});
});
