import { containerComponent, pipeline } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const printEnvOp = pythonFunctionComponent({
  name: 'print_env_op',
  functionName: 'print_env_op',
  source: "\ndef print_env_op():\n    import os\n    print('ENV1', os.environ.get('ENV1'))\n    print('ENV2', os.environ.get('ENV2'))\n\n",
});

const printEnv = containerComponent({
  name: 'print_env',
  image: 'alpine',
  command: ['sh', '-c', 'set -e -x\necho "$ENV1"\necho "$ENV2"\necho "$ENV3"\n'],
});

export default pipeline({ name: 'pipeline-with-env' }, () => {
  printEnvOp({}).setEnv('ENV1', 'val1');
  printEnv({}).setEnv('ENV1', 'val0').setEnv('ENV2', 'val2').setEnv('ENV3', 'val3');
});
