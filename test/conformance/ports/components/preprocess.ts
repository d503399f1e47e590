import { Dataset, containerComponent, t } from '../../../../compiler';
import { pythonFunctionCommand } from '../../support/python-function';

export default containerComponent({
  name: 'preprocess',
  description: 'Dummy preprocessing step.',
  inputs: {
    message: t.string(),
    input_dict_parameter: t.struct<{ [key: string]: number }>(),
    input_list_parameter: t.list<string>(),
  },
  outputs: {
    output_dataset_one: Dataset,
    output_dataset_two_path: Dataset,
    output_parameter_path: t.string(),
    output_bool_parameter_path: t.bool(),
    output_dict_parameter_path: t.struct<{ [key: string]: number }>(),
    output_list_parameter_path: t.list<string>(),
  },
  image: 'python:3.11',
  command: pythonFunctionCommand({
    functionName: 'preprocess',
    source:
      "\ndef preprocess(\n    # An input parameter of type string.\n    message: str,\n    # An input parameter of type dict.\n    input_dict_parameter: Dict[str, int],\n    # An input parameter of type list.\n    input_list_parameter: List[str],\n    # Use Output[T] to get a metadata-rich handle to the output artifact\n    # of type `Dataset`.\n    output_dataset_one: Output[Dataset],\n    # A locally accessible filepath for another output artifact of type\n    # `Dataset`.\n    output_dataset_two_path: OutputPath('Dataset'),\n    # A locally accessible filepath for an output parameter of type string.\n    output_parameter_path: OutputPath(str),\n    # A locally accessible filepath for an output parameter of type bool.\n    output_bool_parameter_path: OutputPath(bool),\n    # A locally accessible filepath for an output parameter of type dict.\n    output_dict_parameter_path: OutputPath(Dict[str, int]),\n    # A locally accessible filepath for an output parameter of type list.\n    output_list_parameter_path: OutputPath(List[str]),\n):\n    \"\"\"Dummy preprocessing step.\"\"\"\n\n    # Use Dataset.path to access a local file path for writing.\n    # One can also use Dataset.uri to access the actual URI file path.\n    with open(output_dataset_one.path, 'w') as f:\n        f.write(message)\n\n    # OutputPath is used to just pass the local file path of the output artifact\n    # to the function.\n    with open(output_dataset_two_path, 'w') as f:\n        f.write(message)\n\n    with open(output_parameter_path, 'w') as f:\n        f.write(message)\n\n    with open(output_bool_parameter_path, 'w') as f:\n        f.write(\n            str(True))  # use either `str()` or `json.dumps()` for bool values.\n\n    import json\n    with open(output_dict_parameter_path, 'w') as f:\n        f.write(json.dumps(input_dict_parameter))\n\n    with open(output_list_parameter_path, 'w') as f:\n        f.write(json.dumps(input_list_parameter))\n\n",
  }),
  args: ['--executor_input', '{{$}}', '--function_to_execute', 'preprocess'],
});
