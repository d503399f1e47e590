import { Dataset, containerComponent, t } from '../../../../compiler';
import { pythonFunctionCommand } from '../../support/python-function';

export default containerComponent({
  name: 'dataset_joiner',
  description: 'Concatenate dataset_a and dataset_b.\nAlso returns the concatenated string.',
  inputs: {
    dataset_a: t.artifact(Dataset, { description: 'First dataset.' }),
    dataset_b: t.artifact(Dataset, { description: 'Second dataset.' }),
  },
  outputs: {
    out_dataset: t.artifact(Dataset, { description: 'The concatenated dataset.' }),
    Output: t.string({ description: 'The concatenated string.' }),
  },
  image: 'python:3.11',
  command: pythonFunctionCommand({
    functionName: 'dataset_joiner',
    source:
      '\ndef dataset_joiner(\n    dataset_a: Input[Dataset],\n    dataset_b: Input[Dataset],\n    out_dataset: Output[Dataset],\n) -> str:\n    """Concatenate dataset_a and dataset_b.\n\n    Also returns the concatenated string.\n\n    Args:\n        dataset_a: First dataset.\n        dataset_b: Second dataset.\n\n    Returns:\n        out_dataset: The concatenated dataset.\n        Output: The concatenated string.\n    """\n    with open(dataset_a.path) as f:\n        content_a = f.read()\n\n    with open(dataset_b.path) as f:\n        content_b = f.read()\n\n    concatenated_string = content_a + content_b\n    with open(out_dataset.path, \'w\') as f:\n        f.write(concatenated_string)\n\n    return concatenated_string\n\n',
  }),
  args: ['--executor_input', '{{$}}', '--function_to_execute', 'dataset_joiner'],
});
