import { Dataset, Model, importer, pipeline } from '../../../../compiler';
import { pythonFunctionComponent } from '../../support/python-function';

const makeLanguageModel = pythonFunctionComponent({
  name: 'make_language_model',
  inputs: { text_dataset: Dataset },
  outputs: { Output: Model },
  functionName: 'make_language_model',
  packages: ['dill==0.3.7'],
  source:
    "\ndef make_language_model(text_dataset: Dataset) -> Model:\n    # dill allows pickling objects belonging to a function's local namespace\n    import dill\n\n    with open(text_dataset.path) as f:\n        text = f.read()\n\n    # insert train on text here #\n\n    def dummy_model(x: str) -> str:\n        return x\n\n    model = Model(\n        uri=dsl.get_uri(suffix='model'),\n        metadata={'data': text_dataset.name},\n    )\n\n    with open(model.path, 'wb') as f:\n        dill.dump(dummy_model, f)\n\n    return model\n\n",
});

export default pipeline({ name: 'make-language-model-pipeline' }, () => {
  const imported = importer({
    artifactUri: 'gs://ml-pipeline-playground/shakespeare1.txt',
    artifactClass: Dataset,
    reimport: false,
    metadata: { key: 'value' },
  });
  const model = makeLanguageModel({ text_dataset: imported.outputs.artifact });
  return { Output: model.outputs.Output };
});
