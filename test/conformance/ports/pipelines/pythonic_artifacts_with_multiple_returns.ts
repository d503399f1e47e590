import { Artifact, Dataset, pipeline } from '../../../../compiler';
import { pythonFunctionComponent } from '../../support/python-function';

const datasetSplitter = pythonFunctionComponent({
  name: 'dataset_splitter',
  inputs: { in_dataset: Dataset },
  outputs: { dataset1: Dataset, dataset2: Dataset },
  functionName: 'dataset_splitter',
  source:
    "\ndef dataset_splitter(\n    in_dataset: Dataset\n) -> NamedTuple(\n        'outputs',\n        dataset1=Dataset,\n        dataset2=Dataset,\n):\n\n    with open(in_dataset.path) as f:\n        in_data = f.read()\n\n    out_data1, out_data2 = in_data[:len(in_data) // 2], in_data[len(in_data) //\n                                                                2:]\n\n    dataset1 = Dataset(\n        uri=dsl.get_uri(suffix='dataset1'),\n        metadata={'original_data': in_dataset.name},\n    )\n    with open(dataset1.path, 'w') as f:\n        f.write(out_data1)\n\n    dataset2 = Dataset(\n        uri=dsl.get_uri(suffix='dataset2'),\n        metadata={'original_data': in_dataset.name},\n    )\n    with open(dataset2.path, 'w') as f:\n        f.write(out_data2)\n\n    outputs = NamedTuple(\n        'outputs',\n        dataset1=Dataset,\n        dataset2=Dataset,\n    )\n    return outputs(dataset1=dataset1, dataset2=dataset2)\n\n",
});

const makeDataset = pythonFunctionComponent({
  name: 'make_dataset',
  outputs: { Output: Artifact },
  functionName: 'make_dataset',
  source:
    "\ndef make_dataset() -> Artifact:\n    artifact = Artifact(uri=dsl.get_uri('dataset'))\n    with open(artifact.path, 'w') as f:\n        f.write('Hello, world')\n    return artifact\n\n",
});

const splitterPipeline = pipeline({ name: 'splitter_pipeline', params: { in_dataset: Dataset } }, ({ in_dataset }) => {
  const task = datasetSplitter({ in_dataset });
  // As in the reference pipeline, both outputs are wired from dataset1.
  return { dataset1: task.outputs.dataset1, dataset2: task.outputs.dataset1 };
});

export default pipeline({ name: 'split-datasets-and-return-first' }, () => {
  const dataset = makeDataset();
  const split = splitterPipeline({ in_dataset: dataset.outputs.Output });
  return { Output: split.outputs.dataset1 };
});
