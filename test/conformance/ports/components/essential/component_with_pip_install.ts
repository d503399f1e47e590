import { pythonFunctionComponent } from '../../../support/python-function';

export default pythonFunctionComponent({
  name: 'component_with_pip_install',
  functionName: 'component_with_pip_install',
  packages: ['yapf'],
  pipIndexUrls: ['https://pypi.org/simple'],
  source: '\ndef component_with_pip_install():\n    import yapf\n    print(dir(yapf))\n\n',
});
