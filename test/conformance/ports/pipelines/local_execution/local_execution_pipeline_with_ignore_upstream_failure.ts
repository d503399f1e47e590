import { pipeline, t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const failAlways = pythonFunctionComponent({
  name: 'fail_always',
  outputs: { Output: t.string() },
  functionName: 'fail_always',
  source: "\ndef fail_always() -> str:\n    raise RuntimeError('upstream failed intentionally')\n\n",
});

const writeMarker = pythonFunctionComponent({
  name: 'write_marker',
  inputs: { marker_path: t.string() },
  outputs: { Output: t.string() },
  functionName: 'write_marker',
  source:
    "\ndef write_marker(marker_path: str) -> str:\n    with open(marker_path, 'w') as f:\n        f.write('cleanup_ran')\n    return 'cleanup_ran'\n\n",
});

export default pipeline({ name: 'pipeline-with-ignore-upstream-failure', params: { marker_path: t.string() } }, ({ marker_path }) => {
  const failing = failAlways();
  writeMarker({ marker_path }).after(failing).ignoreUpstreamFailure();
});
