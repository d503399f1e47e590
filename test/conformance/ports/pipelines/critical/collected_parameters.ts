import { ParallelFor, pipeline, t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const splitIds = pythonFunctionComponent({
  name: 'split_ids',
  inputs: { ids: t.string() },
  outputs: { Output: t.list<string>() },
  functionName: 'split_ids',
  source: "\ndef split_ids(ids: str) -> list:\n    return ids.split(',')\n\n",
});

const prependId = pythonFunctionComponent({
  name: 'prepend_id',
  inputs: { content: t.string() },
  outputs: { Output: t.string() },
  functionName: 'prepend_id',
  source:
    "\ndef prepend_id(content: str) -> str:\n    print(f\"prepending: {content} with 'model_id'\")\n    return f'model_id_{content}'\n\n",
});

const consumeIds = pythonFunctionComponent({
  name: 'consume_ids',
  inputs: { ids: t.list<string>() },
  outputs: { Output: t.string() },
  functionName: 'consume_ids',
  source: "\ndef consume_ids(ids: List[str]) -> str:\n    for id in ids:\n        print(f'Consuming: {id}')\n    return 'completed'\n\n",
});

const consumeSingleId = pythonFunctionComponent({
  name: 'consume_single_id',
  inputs: { id: t.string() },
  outputs: { Output: t.string() },
  functionName: 'consume_single_id',
  source: "\ndef consume_single_id(id: str) -> str:\n    print(f'Consuming single: {id}')\n    return 'completed'\n\n",
});

const collectingParameters = pipeline(
  { name: 'collecting_parameters', params: { model_ids: t.string({ default: '' }) } },
  ({ model_ids }) => {
    const ids = splitIds({ ids: model_ids });
    const loop = ParallelFor(ids.outputs.Output, (id) => {
      const prepended = prependId({ content: id }).setCaching(false);
      consumeSingleId({ id: prepended.outputs.Output }).setCaching(false);
      return { ids: prepended.outputs.Output };
    });
    consumeIds({ ids: loop.outputs.ids }).setCaching(false);
    return { Output: loop.outputs.ids };
  },
);

export default pipeline({ name: 'collected-param-pipeline' }, () => {
  const dag = collectingParameters({ model_ids: 's1,s2,s3' }).setCaching(false);
  consumeIds({ ids: dag.outputs.Output }).setCaching(false);
});
