import { VertexDataset, containerComponent, importer, pipeline } from '../../../../compiler';

const consumerOp = containerComponent({
  name: 'consumer_op',
  inputs: { dataset: VertexDataset },
  image: 'dummy',
  command: ['cmd'],
  args: ({ inputs }) => [inputs.dataset.path],
});

export default pipeline({ name: 'pipeline-with-importer-and-gcpc-type' }, () => {
  const imported = importer({
    artifactUri: 'gs://ml-pipeline-playground/shakespeare1.txt',
    artifactClass: VertexDataset,
    reimport: false,
    metadata: { key: 'value' },
  });
  consumerOp({ dataset: imported.outputs.artifact });
});
