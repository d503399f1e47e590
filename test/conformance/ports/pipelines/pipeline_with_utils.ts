import { pipeline, t } from '../../../../compiler';
import { pythonFunctionComponent } from '../../support/python-function';

const echo = pythonFunctionComponent({
  name: 'echo',
  inputs: { msg: t.string() },
  functionName: 'echo',
  source:
    '\ndef util_func(msg: str) -> str:\n    return f"{msg} from util_func"\n\n\ndef util_func2(msg: str) -> str:\n    return f"{msg} from util_func2"\n\n\ndef echo(msg: str):\n    assert util_func(msg) == f"{msg} from util_func"\n    assert util_func2(msg) == f"{msg} from util_func2"\n\n',
});

export default pipeline(
  {
    name: 'pipeline-with-utils',
    description: 'A simple hello world pipeline',
    params: { msg: t.string({ default: 'Hello, World!' }) },
  },
  ({ msg }) => {
    echo({ msg });
  },
);
