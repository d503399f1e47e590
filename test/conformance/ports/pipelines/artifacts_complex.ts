import { Dataset, If, ParallelFor, collected, pipeline, t } from '../../../../compiler';
import { pythonFunctionComponent } from '../../support/python-function';

const double = pythonFunctionComponent({
  name: 'double',
  inputs: { num: t.int() },
  outputs: { out_dataset: Dataset },
  functionName: 'double',
  source:
    "\ndef double(\n    num: int,\n    out_dataset: Output[Dataset],\n):\n    with open(out_dataset.path, 'w') as f:\n        f.write(str(2 * num))\n\n",
});

const add = pythonFunctionComponent({
  name: 'add',
  inputs: { in_datasets: t.artifactList(Dataset) },
  outputs: { out_dataset: Dataset },
  functionName: 'add',
  source:
    "\ndef add(\n    in_datasets: Input[List[Dataset]],\n    out_dataset: Output[Dataset],\n):\n    nums = []\n    for dataset in in_datasets:\n        with open(dataset.path) as f:\n            nums.append(int(f.read()))\n    with open(out_dataset.path, 'w') as f:\n        f.write(str(sum(nums)))\n\n",
});

const addTwoInts = pythonFunctionComponent({
  name: 'add_two_ints',
  inputs: { in_dataset1: Dataset, in_dataset2: Dataset },
  outputs: { out_dataset: Dataset },
  functionName: 'add_two_ints',
  source:
    "\ndef add_two_ints(\n    in_dataset1: Input[Dataset],\n    in_dataset2: Input[Dataset],\n    out_dataset: Output[Dataset],\n):\n    with open(in_dataset1.path) as f:\n        in_dataset1 = int(f.read())\n\n    with open(in_dataset2.path) as f:\n        in_dataset2 = int(f.read())\n\n    with open(out_dataset.path, 'w') as f:\n        f.write(str(in_dataset1 + in_dataset2))\n\n",
});

const addTwoListsOfDatasets = pipeline(
  {
    name: 'add_two_lists_of_datasets',
    params: { in_datasets1: t.artifactList(Dataset), in_datasets2: t.artifactList(Dataset) },
  },
  ({ in_datasets1, in_datasets2 }) => {
    const first = add({ in_datasets: in_datasets1 });
    const second = add({ in_datasets: in_datasets2 });
    const total = addTwoInts({ in_dataset1: first.outputs.out_dataset, in_dataset2: second.outputs.out_dataset });
    return { Output: total.outputs.out_dataset };
  },
);

export default pipeline({ name: 'math-pipeline', params: { threshold: t.int({ default: 2 }) } }, ({ threshold }) => {
  let doubled2: ReturnType<typeof double> | undefined;
  const outer = ParallelFor([1, 2, 3], (x) => {
    const doubled = double({ num: x });
    ParallelFor([1, 2, 3], (y) => {
      If(y.ge(threshold), () => {
        doubled2 = double({ num: y });
      });
    });
    return { datasets: doubled.outputs.out_dataset };
  });
  const sum = addTwoListsOfDatasets({
    in_datasets1: outer.outputs.datasets,
    in_datasets2: collected(doubled2!.outputs.out_dataset),
  });
  return { datasets: outer.outputs.datasets, sum: sum.outputs.Output };
});
