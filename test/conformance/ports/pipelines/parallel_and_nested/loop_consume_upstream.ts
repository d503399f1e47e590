import { Artifact, ParallelFor, pipeline, t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const splitInput = pythonFunctionComponent({
  name: 'split_input',
  inputs: { input: t.string() },
  outputs: { Output: t.list<string>() },
  functionName: 'split_input',
  source: "\ndef split_input(input: str) -> list:\n    return input.split(',')\n\n",
});

const createFile = pythonFunctionComponent({
  name: 'create_file',
  inputs: { content: t.string() },
  outputs: { file: Artifact },
  functionName: 'create_file',
  source: "\ndef create_file(file: Output[Artifact], content: str):\n    with open(file.path, 'w') as f:\n        f.write(content)\n\n",
});

const readFile = pythonFunctionComponent({
  name: 'read_file',
  inputs: { file: Artifact },
  outputs: { Output: t.string() },
  functionName: 'read_file',
  source:
    "\ndef read_file(file: Input[Artifact]) -> str:\n    with open(file.path, 'r') as f:\n        print(f.read())\n    return file.path\n\n",
});

const printInput = pythonFunctionComponent({
  name: 'print_input',
  inputs: { input: t.list() },
  functionName: 'print_input',
  source: "\ndef print_input(input: list):\n    for item in input:\n        print(f'Input item: {item}')\n\n",
});

export default pipeline({ name: 'loop-consume-upstream', displayName: 'Loop Consume Upstream' }, () => {
  const split = splitInput({ input: 'component1,component2,component3' }).setCaching(false).setDisplayName('same display name');
  ParallelFor(split.outputs.Output, (content) => {
    const created = createFile({ content }).setCaching(false).setDisplayName('same display name');
    readFile({ file: created.outputs.file }).setCaching(false).setDisplayName('same display name');
  });
  printInput({ input: split.outputs.Output }).setCaching(false).setDisplayName('same display name');
});
