import { Dataset, If, Model, importer, pipeline, t } from '../../../../compiler';
import { pythonFunctionComponent } from '../../support/python-function';

const train = pythonFunctionComponent({
  name: 'train',
  inputs: { dataset: Dataset },
  outputs: { scalar: t.string(), model: Model },
  functionName: 'train',
  source:
    "\ndef train(\n    dataset: Input[Dataset]\n) -> NamedTuple('Outputs', [\n    ('scalar', str),\n    ('model', Model),\n]):\n    \"\"\"Dummy Training step.\"\"\"\n    with open(dataset.path) as f:\n        data = f.read()\n    print('Dataset:', data)\n\n    scalar = '123'\n    model = f'My model trained using data: {data}'\n\n    from collections import namedtuple\n    output = namedtuple('Outputs', ['scalar', 'model'])\n    return output(scalar, model)\n\n",
});

export default pipeline(
  { name: 'pipeline-with-importer', params: { dataset2: t.string({ default: 'gs://ml-pipeline-playground/shakespeare2.txt' }) } },
  ({ dataset2 }) => {
    const importer1 = importer({
      artifactUri: 'gs://ml-pipeline-playground/shakespeare1.txt',
      artifactClass: Dataset,
      reimport: false,
      metadata: { key: 'value' },
    });
    const train1 = train({ dataset: importer1.outputs.artifact });

    If(train1.outputs.scalar.eq('123'), () => {
      const importer2 = importer({ artifactUri: dataset2, artifactClass: Dataset, reimport: true });
      train({ dataset: importer2.outputs.artifact });
    });
  },
);
