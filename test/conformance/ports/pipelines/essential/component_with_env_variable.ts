import { pipeline, t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const readEnvVar = pythonFunctionComponent({
  name: 'read_env_var',
  inputs: { var_name: t.string() },
  outputs: { Output: t.string() },
  functionName: 'read_env_var',
  source: "\ndef read_env_var(var_name: str) -> str:\n    import os\n    return os.environ.get(var_name, 'UNSET')\n\n",
});

export default pipeline(
  { name: 'pipeline-with-env-variable', params: { var_name: t.string({ default: 'KFP_TEST_ENV_VAR' }) } },
  ({ var_name }) => {
    const task = readEnvVar({ var_name }).setEnv('KFP_TEST_ENV_VAR', 'env_var_value');
    return { Output: task.outputs.Output };
  },
);
