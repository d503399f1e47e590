import { Artifact, Dataset, ParallelFor, pipeline, t } from '../../../../compiler';
import { pythonFunctionComponent } from '../../support/python-function';

const makeArtifact = pythonFunctionComponent({
  name: 'make_artifact',
  inputs: { data: t.string() },
  outputs: { Output: Artifact },
  functionName: 'make_artifact',
  source:
    "\ndef make_artifact(data: str) -> Artifact:\n    artifact = Artifact(uri=dsl.get_uri(), metadata={'length': len(data)})\n    with open(artifact.path, 'w') as f:\n        f.write(data)\n    return artifact\n\n",
});

const makeDataset = pythonFunctionComponent({
  name: 'make_dataset',
  inputs: { data: t.string() },
  outputs: { Output: Dataset },
  functionName: 'make_dataset',
  source:
    "\ndef make_dataset(data: str) -> Dataset:\n    dataset = Dataset(uri=dsl.get_uri(), metadata={'length': len(data)})\n    with open(dataset.path, 'w') as f:\n        f.write(data)\n    return dataset\n\n",
});

const printArtifactName = pythonFunctionComponent({
  name: 'print_artifact_name',
  inputs: { artifact: Artifact },
  outputs: { Output: t.string() },
  functionName: 'print_artifact_name',
  source: '\ndef print_artifact_name(artifact: Artifact) -> str:\n    print(artifact.name)\n    return artifact.name\n\n',
});

const texts = ['Hello', ',', ' ', 'world!'];

const makeArtifacts = pipeline({ name: 'make-artifacts', params: { texts: t.list<string>({ default: texts }) } }, ({ texts }) => {
  const loop = ParallelFor(texts, (text) => {
    const artifact = makeArtifact({ data: text });
    return { artifacts: artifact.outputs.Output };
  });
  return { Output: loop.outputs.artifacts };
});

const makeDatasets = pipeline({ name: 'make-datasets', params: { texts: t.list<string>({ default: texts }) } }, ({ texts }) => {
  const loop = ParallelFor(texts, (text) => {
    const dataset = makeDataset({ data: text });
    return { datasets: dataset.outputs.Output };
  });
  return { Output: loop.outputs.datasets };
});

export default pipeline({ name: 'pipeline-parallelfor-artifacts' }, () => {
  const artifacts = makeArtifacts();
  ParallelFor(artifacts.outputs.Output, (artifact) => {
    printArtifactName({ artifact });
  });

  const datasets = makeDatasets();
  ParallelFor(datasets.outputs.Output, (dataset) => {
    printArtifactName({ artifact: dataset });
  });
});
