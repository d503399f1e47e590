import { Dataset, pipeline, t } from '../../../../compiler';
import { pythonFunctionComponent } from '../../support/python-function';

const datasetJoiner = pythonFunctionComponent({
  name: 'dataset_joiner',
  inputs: {
    dataset_a: t.artifact(Dataset, { description: 'First dataset.' }),
    dataset_b: t.artifact(Dataset, { description: 'Second dataset.' }),
  },
  outputs: {
    Output: t.string({ description: 'The concatenated string.' }),
    out_dataset: t.artifact(Dataset, { description: 'The concatenated dataset.' }),
  },
  functionName: 'dataset_joiner',
  source:
    '\ndef dataset_joiner(\n    dataset_a: Input[Dataset],\n    dataset_b: Input[Dataset],\n    out_dataset: Output[Dataset],\n) -> str:\n    """Concatenate dataset_a and dataset_b.\n\n    Also returns the concatenated string.\n\n    Args:\n        dataset_a: First dataset.\n        dataset_b: Second dataset.\n\n    Returns:\n        out_dataset: The concatenated dataset.\n        Output: The concatenated string.\n    """\n    with open(dataset_a.path) as f:\n        content_a = f.read()\n\n    with open(dataset_b.path) as f:\n        content_b = f.read()\n\n    concatenated_string = content_a + content_b\n    with open(out_dataset.path, \'w\') as f:\n        f.write(concatenated_string)\n\n    return concatenated_string\n\n',
});

const strToDataset = pythonFunctionComponent({
  name: 'str_to_dataset',
  inputs: { string: t.string({ description: 'The string.' }) },
  outputs: { dataset: t.artifact(Dataset, { description: 'The dataset.' }) },
  functionName: 'str_to_dataset',
  source:
    '\ndef str_to_dataset(string: str, dataset: Output[Dataset]):\n    """Convert string to dataset.\n\n    Args:\n        string: The string.\n\n    Returns:\n        dataset: The dataset.\n    """\n    with open(dataset.path, \'w\') as f:\n        f.write(string)\n\n',
});

export default pipeline(
  {
    name: 'dataset-concatenator',
    description: 'A pipeline that joins string to in_dataset.',
    params: {
      string: t.string({ description: 'String to concatenate to in_artifact.' }),
      in_dataset: t.artifact(Dataset, { description: 'Dataset to which to concatenate string.' }),
    },
    outputDescriptions: { Output: 'The final concatenated dataset.' },
  },
  ({ string, in_dataset }) => {
    const dataset = strToDataset({ string });
    const joined = datasetJoiner({ dataset_a: dataset.outputs.dataset, dataset_b: in_dataset });
    return { Output: joined.outputs.out_dataset };
  },
);
