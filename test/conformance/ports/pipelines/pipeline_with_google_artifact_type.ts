import { artifactType, importer, pipeline } from '../../../../compiler';
import { pythonFunctionComponent } from '../../support/python-function';

/** The artifact types of the (fake) `aiplatform` package this pipeline uses, at version 0.0.0. */
const VertexModel = artifactType('google.VertexModel', '0.0.0');
const VertexDataset = artifactType('google.VertexDataset', '0.0.0');

const modelProducer = pythonFunctionComponent({
  name: 'model_producer',
  outputs: { model: VertexModel },
  functionName: 'model_producer',
  packages: ['aiplatform'],
  extraImports: 'import aiplatform\n',
  source:
    "\ndef model_producer(model: Output[aiplatform.VertexModel]):\n\n    assert isinstance(model, aiplatform.VertexModel), type(model)\n    with open(model.path, 'w') as f:\n        f.write('my model')\n\n",
});

const modelConsumer = pythonFunctionComponent({
  name: 'model_consumer',
  inputs: { model: VertexModel, dataset: VertexDataset },
  functionName: 'model_consumer',
  packages: ['aiplatform'],
  extraImports: 'from aiplatform import VertexModel\nfrom aiplatform import VertexDataset\n',
  source:
    "\ndef model_consumer(model: Input[VertexModel],\n                   dataset: Input[VertexDataset]):\n    print('Model')\n    print('artifact.type: ', type(model))\n    print('artifact.name: ', model.name)\n    print('artifact.uri: ', model.uri)\n    print('artifact.metadata: ', model.metadata)\n\n    print('Dataset')\n    print('artifact.type: ', type(dataset))\n    print('artifact.name: ', dataset.name)\n    print('artifact.uri: ', dataset.uri)\n    print('artifact.metadata: ', dataset.metadata)\n\n",
});

export default pipeline({ name: 'pipeline-with-google-types' }, () => {
  const producer = modelProducer();
  const importedDataset = importer({
    artifactUri: 'gs://ml-pipeline-playground/shakespeare1.txt',
    artifactClass: VertexDataset,
    reimport: false,
    metadata: { key: 'value' },
  });
  modelConsumer({ model: producer.outputs.model, dataset: importedDataset.outputs.artifact });
});
