import { Dataset, Model, pipeline } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const genData = pythonFunctionComponent({
  name: 'gen_data',
  outputs: { Output: Dataset },
  functionName: 'gen_data',
  source:
    '\ndef gen_data() -> Dataset:\n    dataset = Dataset(uri=dsl.get_uri())\n    with open(dataset.path, "w") as f:\n        f.write("some data")\n\n    dataset.metadata["length"] = len("some data")\n    return dataset\n\n',
});

const trainModel = pythonFunctionComponent({
  name: 'train_model',
  inputs: { dataset: Dataset },
  outputs: { Output: Model },
  functionName: 'train_model',
  source:
    '\ndef train_model(dataset: Dataset) -> Model:\n    with open(dataset.path) as f:\n        lines = f.read()\n\n    assert lines == "some data"\n    assert dataset.metadata["length"] == len("some data")\n\n    model_artifact = Model(uri=dsl.get_uri("model"))\n    with open(model_artifact.path, "w") as f:\n        f.write("model trained")\n\n    return model_artifact\n\n',
});

export default pipeline({ name: 'pythonic-artifacts-test' }, () => {
  const data = genData({}).setCaching(false);
  trainModel({ dataset: data.outputs.Output }).setCaching(false);
});
