import { Artifact, Dataset, containerComponent, ifPresent, importer, pipeline, t } from '../../../../compiler';
import { pythonFunctionComponent } from '../../support/python-function';

const pythonArtifactPrinter = pythonFunctionComponent({
  name: 'python_artifact_printer',
  inputs: { artifact: t.artifact(Artifact, { optional: true }) },
  functionName: 'python_artifact_printer',
  source:
    "\ndef python_artifact_printer(artifact: Optional[Input[Artifact]] = None):\n    if artifact is not None:\n        print(artifact.name)\n        print(artifact.uri)\n        print(artifact.metadata)\n    else:\n        print('No artifact provided!')\n\n",
});

const customArtifactPrinter = containerComponent({
  name: 'custom_artifact_printer',
  inputs: { artifact: t.artifact(Artifact, { optional: true }) },
  image: 'alpine',
  command: ({ inputs }) => [ifPresent(inputs.artifact, ['echo', inputs.artifact.uri], ['echo', 'No artifact provided!'])],
});

const innerPipeline = pipeline({ name: 'inner_pipeline', params: { dataset: t.artifact(Dataset, { optional: true }) } }, ({ dataset }) => {
  pythonArtifactPrinter({ artifact: dataset });
});

export default pipeline(
  { name: 'optional-artifact-pipeline', params: { dataset1: t.artifact(Dataset, { optional: true }) } },
  ({ dataset1 }) => {
    const imported = importer({ artifactUri: 'gs://ml-pipeline-playground/shakespeare1.txt', artifactClass: Dataset });
    innerPipeline({ dataset: imported.outputs.artifact });
    innerPipeline({});
    customArtifactPrinter({ artifact: dataset1 });
    customArtifactPrinter({});
  },
);
