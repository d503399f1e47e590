import { Dataset, pipeline, t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const componentOutputArtifact = pythonFunctionComponent({
  name: 'component_output_artifact',
  outputs: { out_dataset: Dataset },
  functionName: 'component_output_artifact',
  source:
    "\ndef component_output_artifact(out_dataset: Output[Dataset]):\n    out_dataset.set_path('/tmp/out_dataset')\n\n    with open(out_dataset.path, 'w') as f:\n        f.write('Hello, World!')\n\n    if out_dataset.path != '/tmp/out_dataset':\n        raise ValueError(f\"File path is {out_dataset.path} but should be '/tmp/out_dataset'.\")\n    if out_dataset.custom_path != '/tmp/out_dataset':\n        raise ValueError(f\"File uri is {out_dataset.custom_path} but should be '/tmp/out_dataset'.\")\n\n",
});

const validateInputArtifact = pythonFunctionComponent({
  name: 'validate_input_artifact',
  inputs: { in_dataset: Dataset },
  outputs: { Output: t.bool() },
  functionName: 'validate_input_artifact',
  source:
    "\ndef validate_input_artifact(in_dataset: Input[Dataset]) -> bool:\n    if in_dataset is None:\n        raise ValueError(\"Input artifact is None.\")\n\n    with open(in_dataset.path, 'r') as f:\n        for line in f:\n            if line != 'Hello, World!':\n                raise ValueError(f\"File content is {line} but should be 'Hello, World!'.\")\n    return True\n\n",
});

export default pipeline({ name: 'pipeline-with-custom-path-artifact', description: 'pipeline with artifact with custom path' }, () => {
  const producer = componentOutputArtifact({}).setCaching(false);
  validateInputArtifact({ in_dataset: producer.outputs.out_dataset });
});
