import { Dataset, ParallelFor, pipeline, t } from '../../../../compiler';
import { pythonFunctionComponent } from '../../support/python-function';

const joinDatasets = pythonFunctionComponent({
  name: 'join_datasets',
  inputs: { datasets: t.artifactList(Dataset) },
  outputs: { Output: Dataset },
  functionName: 'join_datasets',
  source:
    "\ndef join_datasets(datasets: List[Dataset]) -> Dataset:\n    texts = []\n    for dataset in datasets:\n        with open(dataset.path, 'r') as f:\n            texts.append(f.read())\n\n    return ''.join(texts)\n\n",
});

const makeDataset = pythonFunctionComponent({
  name: 'make_dataset',
  inputs: { text: t.string() },
  outputs: { Output: Dataset },
  functionName: 'make_dataset',
  source:
    "\ndef make_dataset(text: str) -> Dataset:\n    dataset = Dataset(uri=dsl.get_uri(), metadata={'length': len(text)})\n    with open(dataset.path, 'w') as f:\n        f.write(text)\n    return dataset\n\n",
});

export default pipeline(
  { name: 'make-and-join-datasets', params: { texts: t.list<string>({ default: ['Hello', ',', ' ', 'world!'] }) } },
  ({ texts }) => {
    const loop = ParallelFor(texts, (text) => {
      const dataset = makeDataset({ text });
      return { datasets: dataset.outputs.Output };
    });
    const joined = joinDatasets({ datasets: loop.outputs.datasets });
    return { Output: joined.outputs.Output };
  },
);
