import { Dataset, Metrics, Model, pipeline, t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const concatMessage = pythonFunctionComponent({
  name: 'concat_message',
  inputs: { first: t.string(), second: t.string() },
  outputs: { Output: t.string() },
  functionName: 'concat_message',
  source: '\ndef concat_message(first: str, second: str) -> str:\n    return first + second\n\n',
});

const addNumbers = pythonFunctionComponent({
  name: 'add_numbers',
  inputs: { first: t.int(), second: t.int() },
  outputs: { Output: t.int() },
  functionName: 'add_numbers',
  source: '\ndef add_numbers(first: int, second: int) -> int:\n    return first + second\n\n',
});

const outputArtifact = pythonFunctionComponent({
  name: 'output_artifact',
  inputs: { number: t.int(), message: t.string() },
  outputs: { Output: Dataset },
  functionName: 'output_artifact',
  source:
    "\ndef output_artifact(number: int, message: str) -> Dataset:\n    result = [message for _ in range(number)]\n    return '\\n'.join(result)\n\n",
});

const outputNamedTuple = pythonFunctionComponent({
  name: 'output_named_tuple',
  inputs: { artifact: Dataset },
  outputs: { scalar: t.string(), metrics: Metrics, model: Model },
  functionName: 'output_named_tuple',
  source:
    "\ndef output_named_tuple(\n    artifact: Input[Dataset]\n) -> NamedTuple('Outputs', [\n    ('scalar', str),\n    ('metrics', Metrics),\n    ('model', Model),\n]):\n    scalar = '123'\n\n    import json\n    metrics = json.dumps({\n        'metrics': [{\n            'name': 'accuracy',\n            'numberValue': 0.9,\n            'format': 'PERCENTAGE',\n        }]\n    })\n\n    with open(artifact.path) as f:\n        artifact_contents = f.read()\n    model = 'Model contents: ' + artifact_contents\n\n    from collections import namedtuple\n    output = namedtuple('Outputs', ['scalar', 'metrics', 'model'])\n    return output(scalar, metrics, model)\n\n",
});

export default pipeline(
  {
    name: 'functions-with-outputs',
    params: {
      first_message: t.string(),
      second_message: t.string(),
      first_number: t.int(),
      second_number: t.int(),
    },
  },
  ({ first_message, second_message, first_number, second_number }) => {
    const addTask = addNumbers({ first: first_number, second: second_number });
    const concatTask = concatMessage({ first: first_message, second: second_message });
    const artifactTask = outputArtifact({ number: addTask.outputs.Output, message: concatTask.outputs.Output });
    outputNamedTuple({ artifact: artifactTask.outputs.Output });
  },
);
