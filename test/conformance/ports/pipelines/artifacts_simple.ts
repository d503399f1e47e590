import { Dataset, ParallelFor, containerComponent, pipeline, t } from '../../../../compiler';
import { pythonFunctionComponent } from '../../support/python-function';

const double = pythonFunctionComponent({
  name: 'double',
  inputs: { num: t.int() },
  outputs: { out_dataset: Dataset },
  functionName: 'double',
  source:
    "\ndef double(num: int, out_dataset: Output[Dataset]):\n    with open(out_dataset.path, 'w') as f:\n        f.write(str(2 * num))\n\n",
});

const add = pythonFunctionComponent({
  name: 'add',
  inputs: { in_datasets: t.artifactList(Dataset) },
  outputs: { out_dataset: Dataset },
  functionName: 'add',
  source:
    "\ndef add(in_datasets: Input[List[Dataset]], out_dataset: Output[Dataset]):\n    nums = []\n    for dataset in in_datasets:\n        with open(dataset.path) as f:\n            nums.append(int(f.read()))\n    with open(out_dataset.path, 'w') as f:\n        f.write(str(sum(nums)))\n\n",
});

const addContainer = containerComponent({
  name: 'add_container',
  inputs: { in_datasets: t.artifactList(Dataset) },
  outputs: { out_dataset: Dataset },
  image: 'registry.access.redhat.com/ubi9/python-311:latest',
  command: ['python', '-c'],
  args: ({ inputs, outputs }) => [
    "\nimport argparse\nimport json\nimport os\n\ndef main(in_datasets, out_dataset_uri):\n    in_dicts = json.loads(in_datasets)\n    uris = [d['uri'] for d in in_dicts]\n    total = 0\n    for uri in uris:\n        with open(uri.replace('gs://', '/gcs/')) as f:\n            total += int(f.read())\n\n    outpath = out_dataset_uri.replace('gs://', '/gcs/')\n    os.makedirs(os.path.dirname(outpath), exist_ok=True)\n    with open(outpath, 'w') as f:\n        f.write(str(total))\n\nparser = argparse.ArgumentParser()\nparser.add_argument('in_datasets')\nparser.add_argument('out_dataset_uri')\nargs = parser.parse_args()\n\nmain(args.in_datasets, args.out_dataset_uri)\n",
    inputs.in_datasets,
    outputs.out_dataset.uri,
  ],
});

export default pipeline({ name: 'math-pipeline' }, () => {
  const loop = ParallelFor([1, 2, 3], (x) => ({ datasets: double({ num: x }).outputs.out_dataset }));
  add({ in_datasets: loop.outputs.datasets });
  addContainer({ in_datasets: loop.outputs.datasets });
  return { Output: loop.outputs.datasets };
});
