import { Model, importer, pipeline, t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const buildModelCar = pythonFunctionComponent({
  name: 'build_model_car',
  outputs: { model: Model },
  functionName: 'build_model_car',
  source:
    '\ndef build_model_car(model: dsl.Output[dsl.Model]):\n    # Simulate pushing the Modelcar to an OCI registry\n    model.uri = "oci://registry.domain.local/org/repo:v1.0"\n\n',
});

const getModelFilesList = pythonFunctionComponent({
  name: 'get_model_files_list',
  inputs: { input_model: Model },
  outputs: { Output: t.string() },
  functionName: 'get_model_files_list',
  source:
    '\ndef get_model_files_list(input_model: dsl.Input[dsl.Model]) -> str:\n    import os\n    import os.path\n\n    if not os.path.exists(input_model.path):\n        raise RuntimeError(f"The model does not exist at: {input_model.path}")\n\n    expected_files = {\n        "added_tokens.json",\n        "config.json",\n        "generation_config.json",\n        "merges.txt",\n        "model.safetensors",\n        "normalizer.json",\n        "preprocessor_config.json",\n        "special_tokens_map.json",\n        "tokenizer.json",\n        "tokenizer_config.json",\n        "vocab.json",\n    }\n\n    filesInPath = set(os.listdir(input_model.path))\n\n    if not filesInPath.issuperset(expected_files):\n        raise RuntimeError(\n            "The model does not have expected files: "\n            + ", ".join(sorted(expected_files.difference(filesInPath)))\n        )\n\n    return ", ".join(sorted(filesInPath))\n\n',
});

export default pipeline(
  { name: 'pipeline-with-modelcar-model', params: { model_uri: t.string({ default: 'oci://registry.domain.local/modelcar:test' }) } },
  ({ model_uri }) => {
    const model = importer({ artifactUri: model_uri, artifactClass: Model });
    getModelFilesList({ input_model: model.outputs.artifact }).setCaching(false);
    buildModelCar({}).setCaching(false);
  },
);
