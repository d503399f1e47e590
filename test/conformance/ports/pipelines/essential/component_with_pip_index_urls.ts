import { pipeline } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const componentOp = pythonFunctionComponent({
  name: 'component_op',
  functionName: 'component_op',
  packages: ['yapf'],
  pipIndexUrls: ['https://pypi.org/simple'],
  source: '\ndef component_op():\n    import yapf\n    print(dir(yapf))\n\n',
});

export default pipeline({ name: 'v2-component-pip-index-urls' }, () => {
  componentOp({});
});
