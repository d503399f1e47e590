import { Artifact, Dataset, Model, ParallelFor, collected, pipeline, t } from '../../../../compiler';
import { pythonFunctionComponent } from '../../support/python-function';

const splitIds = pythonFunctionComponent({
  name: 'split_ids',
  inputs: { model_ids: t.string() },
  outputs: { Output: t.list<string>() },
  functionName: 'split_ids',
  source: "\ndef split_ids(model_ids: str) -> list:\n    return model_ids.split(',')\n\n",
});

const splitChars = pythonFunctionComponent({
  name: 'split_chars',
  inputs: { model_ids: t.string() },
  outputs: { Output: t.list<string>() },
  functionName: 'split_chars',
  source: "\ndef split_chars(model_ids: str) -> list:\n    return model_ids.split(',')\n\n",
});

const createFile = pythonFunctionComponent({
  name: 'create_file',
  inputs: { content: t.string() },
  outputs: { file: Artifact },
  functionName: 'create_file',
  source:
    "\ndef create_file(file: Output[Artifact], content: str):\n    print(f'Creating file with content: {content}')\n    with open(file.path, 'w') as f:\n        f.write(content)\n\n",
});

const readSingleFile = pythonFunctionComponent({
  name: 'read_single_file',
  inputs: { file: Artifact },
  outputs: { Output: t.string() },
  functionName: 'read_single_file',
  source:
    "\ndef read_single_file(file: Artifact) -> str:\n    print(f'Reading file: {file.path}')\n    with open(file.path, 'r') as f:\n        print(f.read())\n\n    return file.uri\n\n",
});

const createDataset = pythonFunctionComponent({
  name: 'create_dataset',
  inputs: { content: t.string() },
  outputs: { data: Dataset },
  functionName: 'create_dataset',
  source:
    "\ndef create_dataset(data: Output[Dataset], content: str):\n    print(f'Creating file with content: {content}')\n    with open(data.path, 'w') as f:\n        f.write(content)\n\n",
});

const readDatasets = pythonFunctionComponent({
  name: 'read_datasets',
  inputs: { data: t.artifactList(Dataset) },
  outputs: { Output: t.string() },
  functionName: 'read_datasets',
  source:
    "\ndef read_datasets(data: List[Dataset]) -> str:\n    for d in data:\n        print(f'Reading dataset {d.name} file: {d.path}')\n        with open(d.path, 'r') as f:\n            print(f.read())\n\n    return 'files read'\n\n",
});

const readSingleDatasetGenerateModel = pythonFunctionComponent({
  name: 'read_single_dataset_generate_model',
  inputs: { data: Dataset, id: t.string() },
  outputs: { results: Model },
  functionName: 'read_single_dataset_generate_model',
  source:
    "\ndef read_single_dataset_generate_model(data: Dataset, id: str, results:Output[Model]):\n    print(f'Reading file: {data.path}')\n    with open(data.path, 'r') as f:\n        info = f.read()\n        with open(results.path, 'w') as f2:\n            f2.write(f\"{info}-{id}\")\n            results.metadata['model'] = info\n            results.metadata['model_name'] = f\"model-artifact-inner-iteration-{info}-{id}\"\n\n",
});

const readModels = pythonFunctionComponent({
  name: 'read_models',
  inputs: { models: t.artifactList(Model) },
  outputs: { Output: t.string() },
  functionName: 'read_models',
  source:
    "\ndef read_models(models: List[Model],) -> str:\n    for m in models:\n        print(f'Reading model {m.name} file: {m.path}')\n        with open(m.path, 'r') as f:\n            info = f.read()\n            print(f\"Model raw data: {info}\")\n            print(f\"Model metadata: {m.metadata}\")\n    return 'models read'\n\n",
});

const singleNodeDag = pipeline({ name: 'single_node_dag', params: { char: t.string() } }, ({ char }) => {
  const dataset = createDataset({ content: char }).setCaching(false);
  return { Output: dataset.outputs.data };
});

const collectingArtifacts = pipeline(
  { name: 'collecting_artifacts', params: { model_ids: t.string({ default: '' }), model_chars: t.string({ default: '' }) } },
  ({ model_ids, model_chars }) => {
    const ids = splitIds({ model_ids }).setCaching(false);
    const chars = splitChars({ model_ids: model_chars }).setCaching(false);
    let model: ReturnType<typeof readSingleDatasetGenerateModel> | undefined;
    ParallelFor(ids.outputs.Output, (id) => {
      const file = createFile({ content: id }).setCaching(false);
      readSingleFile({ file: file.outputs.file }).setCaching(false);
      const inner = ParallelFor(chars.outputs.Output, (char) => {
        const dataset = singleNodeDag({ char }).setCaching(false);
        model = readSingleDatasetGenerateModel({ data: dataset.outputs.Output, id }).setCaching(false);
        return { datasets: dataset.outputs.Output, models: model.outputs.results };
      });
      readDatasets({ data: inner.outputs.datasets }).setCaching(false);
      readModels({ models: inner.outputs.models }).setCaching(false);
    });
    return { Output: collected(model!.outputs.results) };
  },
);

export default pipeline({ name: 'collected-artifact-pipeline' }, () => {
  const dag = collectingArtifacts({ model_ids: 's1,s2,s3', model_chars: 'x,y,z' }).setCaching(false);
  readModels({ models: dag.outputs.Output }).setCaching(false);
});
