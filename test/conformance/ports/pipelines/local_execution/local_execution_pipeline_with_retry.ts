import { pipeline, t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const flaky = pythonFunctionComponent({
  name: 'flaky',
  inputs: { counter_path: t.string() },
  outputs: { Output: t.string() },
  functionName: 'flaky',
  source:
    "\ndef flaky(counter_path: str) -> str:\n    import os\n    count = 0\n    if os.path.exists(counter_path):\n        with open(counter_path) as f:\n            count = int(f.read().strip() or '0')\n    count += 1\n    with open(counter_path, 'w') as f:\n        f.write(str(count))\n    if count <= 1:\n        raise RuntimeError(f'flaky attempt {count}')\n    return f'attempt={count}'\n\n",
});

export default pipeline({ name: 'pipeline-with-retry', params: { counter_path: t.string() } }, ({ counter_path }) => {
  const task = flaky({ counter_path }).setRetry({ maxRetries: 3, backoffFactor: 1 });
  return { Output: task.outputs.Output };
});
