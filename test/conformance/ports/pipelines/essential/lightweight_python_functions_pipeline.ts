import { Dataset, Model, pipeline, t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const preprocess = pythonFunctionComponent({
  name: 'preprocess',
  inputs: {
    message: t.string(),
    input_dict_parameter: t.struct(),
    input_list_parameter: t.list(),
  },
  outputs: {
    output_dataset_one: Dataset,
    output_dataset_two_path: Dataset,
    output_parameter_path: t.string(),
    output_bool_parameter_path: t.bool(),
    output_dict_parameter_path: t.struct(),
    output_list_parameter_path: t.list(),
  },
  functionName: 'preprocess',
  source:
    "\ndef preprocess(\n    # An input parameter of type string.\n    message: str,\n    # An input parameter of type dict.\n    input_dict_parameter: Dict[str, int],\n    # An input parameter of type list.\n    input_list_parameter: List[str],\n    # Use Output[T] to get a metadata-rich handle to the output artifact\n    # of type `Dataset`.\n    output_dataset_one: Output[Dataset],\n    # A locally accessible filepath for another output artifact of type\n    # `Dataset`.\n    output_dataset_two_path: OutputPath('Dataset'),\n    # A locally accessible filepath for an output parameter of type string.\n    output_parameter_path: OutputPath(str),\n    # A locally accessible filepath for an output parameter of type bool.\n    output_bool_parameter_path: OutputPath(bool),\n    # A locally accessible filepath for an output parameter of type dict.\n    output_dict_parameter_path: OutputPath(Dict[str, int]),\n    # A locally accessible filepath for an output parameter of type list.\n    output_list_parameter_path: OutputPath(List[str]),\n):\n    \"\"\"Dummy preprocessing step.\"\"\"\n\n    # Use Dataset.path to access a local file path for writing.\n    # One can also use Dataset.uri to access the actual URI file path.\n    with open(output_dataset_one.path, 'w') as f:\n        f.write(message)\n\n    # OutputPath is used to just pass the local file path of the output artifact\n    # to the function.\n    with open(output_dataset_two_path, 'w') as f:\n        f.write(message)\n\n    with open(output_parameter_path, 'w') as f:\n        f.write(message)\n\n    with open(output_bool_parameter_path, 'w') as f:\n        f.write(\n            str(True))  # use either `str()` or `json.dumps()` for bool values.\n\n    import json\n    with open(output_dict_parameter_path, 'w') as f:\n        f.write(json.dumps(input_dict_parameter))\n\n    with open(output_list_parameter_path, 'w') as f:\n        f.write(json.dumps(input_list_parameter))\n\n",
});

const train = pythonFunctionComponent({
  name: 'train',
  inputs: {
    dataset_one_path: Dataset,
    dataset_two: Dataset,
    message: t.string(),
    input_bool: t.bool(),
    input_dict: t.struct(),
    input_list: t.list(),
    num_steps: t.int({ default: 100 }),
  },
  outputs: { model: Model },
  functionName: 'train',
  source:
    "\ndef train(\n    # Use InputPath to get a locally accessible path for the input artifact\n    # of type `Dataset`.\n    dataset_one_path: InputPath('Dataset'),\n    # Use Input[T] to get a metadata-rich handle to the input artifact\n    # of type `Dataset`.\n    dataset_two: Input[Dataset],\n    # An input parameter of type string.\n    message: str,\n    # Use Output[T] to get a metadata-rich handle to the output artifact\n    # of type `Dataset`.\n    model: Output[Model],\n    # An input parameter of type bool.\n    input_bool: bool,\n    # An input parameter of type dict.\n    input_dict: Dict[str, int],\n    # An input parameter of type List[str].\n    input_list: List[str],\n    # An input parameter of type int with a default value.\n    num_steps: int = 100,\n):\n    \"\"\"Dummy Training step.\"\"\"\n    with open(dataset_one_path) as input_file:\n        dataset_one_contents = input_file.read()\n\n    with open(dataset_two.path) as input_file:\n        dataset_two_contents = input_file.read()\n\n    line = (f'dataset_one_contents: {dataset_one_contents} || '\n            f'dataset_two_contents: {dataset_two_contents} || '\n            f'message: {message} || '\n            f'input_bool: {input_bool}, type {type(input_bool)} || '\n            f'input_dict: {input_dict}, type {type(input_dict)} || '\n            f'input_list: {input_list}, type {type(input_list)} \\n')\n\n    with open(model.path, 'w') as output_file:\n        for i in range(num_steps):\n            output_file.write(f'Step {i}\\n{line}\\n=====\\n')\n\n    # model is an instance of Model artifact, which has a .metadata dictionary\n    # to store arbitrary metadata for the output artifact.\n    model.metadata['accuracy'] = 0.9\n\n",
});

export default pipeline(
  {
    name: 'my-test-pipeline-beta',
    params: { message: t.string(), input_dict: t.struct({ default: { A: 1, B: 2 } }) },
  },
  ({ message, input_dict }) => {
    const preprocessTask = preprocess({ message, input_dict_parameter: input_dict, input_list_parameter: ['a', 'b', 'c'] });
    train({
      dataset_one_path: preprocessTask.outputs.output_dataset_one,
      dataset_two: preprocessTask.outputs.output_dataset_two_path,
      message: preprocessTask.outputs.output_parameter_path,
      input_bool: preprocessTask.outputs.output_bool_parameter_path,
      input_dict: preprocessTask.outputs.output_dict_parameter_path,
      input_list: preprocessTask.outputs.output_list_parameter_path,
    });
  },
);
