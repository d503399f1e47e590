import { pipeline, t } from '../../../../compiler';
import { pythonFunctionComponent } from '../../support/python-function';

const comp = pythonFunctionComponent({
  name: 'comp',
  inputs: { env_var: t.string() },
  outputs: { Output: t.string() },
  functionName: 'comp',
  image: 'public.ecr.aws/docker/library/python:3.12',
  source:
    '\ndef comp(env_var: str) -> str:\n    import os\n\n    value = os.getenv(env_var, "")\n\n    if value == "":\n        raise Exception("Env var is not set")\n\n    return value\n\n',
});

export default pipeline({ name: 'test-env-exists', params: { env_var: t.string() } }, ({ env_var }) => {
  const task = comp({ env_var }).setCaching(false);
  return { Output: task.outputs.Output };
});
