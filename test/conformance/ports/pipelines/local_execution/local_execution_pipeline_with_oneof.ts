import { If, pipeline, t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const branchA = pythonFunctionComponent({
  name: 'branch_a',
  outputs: { Output: t.string() },
  functionName: 'branch_a',
  source: "\ndef branch_a() -> str:\n    return 'A'\n\n",
});

const branchB = pythonFunctionComponent({
  name: 'branch_b',
  outputs: { Output: t.string() },
  functionName: 'branch_b',
  source: "\ndef branch_b() -> str:\n    return 'B'\n\n",
});

const tagSelected = pythonFunctionComponent({
  name: 'tag_selected',
  inputs: { value: t.string() },
  outputs: { Output: t.string() },
  functionName: 'tag_selected',
  source: "\ndef tag_selected(value: str) -> str:\n    return f'selected:{value}'\n\n",
});

export default pipeline({ name: 'pipeline-with-oneof', params: { pick_a: t.bool({ default: true }) } }, ({ pick_a }) => {
  const branches = If(pick_a.eq(true), () => {
    return { value: branchA().outputs.Output };
  }).Else(() => {
    return { value: branchB().outputs.Output };
  });
  const tagged = tagSelected({ value: branches.outputs.value });
  return { Output: tagged.outputs.Output };
});
