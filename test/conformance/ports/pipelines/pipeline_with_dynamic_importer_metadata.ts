import { Dataset, fmt, importer, pipeline, t, type ParameterChannel } from '../../../../compiler';
import { pythonFunctionComponent } from '../../support/python-function';

const makeName = pythonFunctionComponent({
  name: 'make_name',
  inputs: { name: t.string() },
  outputs: { Output: t.string() },
  functionName: 'make_name',
  source: '\ndef make_name(name: str) -> str:\n    return name\n\n',
});

export default pipeline(
  {
    name: 'pipeline-with-importer',
    params: {
      name: t.string({ default: 'default-name' }),
      int_input: t.int({ default: 1 }),
      pipeline_input_artifact_uri: t.string({ default: 'gs://ml-pipeline-playground/shakespeare1.txt' }),
      pipeline_input_image_uri: t.string({ default: 'us-docker.pkg.dev/vertex-ai/prediction/tf2-gpu.2-5:latest' }),
    },
  },
  ({ name, int_input, pipeline_input_artifact_uri, pipeline_input_image_uri }) => {
    importer({
      artifactUri: pipeline_input_artifact_uri,
      artifactClass: Dataset,
      reimport: false,
      metadata: {
        name: [name, 'alias-name'],
        containerSpec: { imageUri: pipeline_input_image_uri },
      },
    });

    const madeName = makeName({ name: 'a-different-name' });
    importer({
      artifactUri: 'gs://ml-pipeline-playground/shakespeare1.txt',
      artifactClass: Dataset,
      reimport: false,
      metadata: new Map<string | ParameterChannel<'STRING'>, unknown>([
        ['name', fmt`prefix-${madeName.outputs.Output}`],
        ['list-of-data', [madeName.outputs.Output, name, int_input]],
        [madeName.outputs.Output, madeName.outputs.Output],
        [name, 'us-docker.pkg.dev/vertex-ai/prediction/tf2-gpu.2-5:latest'],
        ['containerSpec', { imageUri: 'us-docker.pkg.dev/vertex-ai/prediction/tf2-gpu.2-5:latest' }],
      ]),
    });
  },
);
