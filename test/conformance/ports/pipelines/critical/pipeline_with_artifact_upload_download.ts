import { Dataset, pipeline, t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const downloadDatasetAndUploadAsArtifact = pythonFunctionComponent({
  name: 'download_dataset_and_upload_as_artifact',
  inputs: { dataset_repo: t.string(), dataset_name: t.string() },
  outputs: { output_dataset: Dataset },
  functionName: 'download_dataset_and_upload_as_artifact',
  packages: ['datasets==4.0.0'],
  source:
    '\ndef download_dataset_and_upload_as_artifact(dataset_repo: str, dataset_name: str, output_dataset: Output[Dataset]):\n    from datasets import load_dataset\n    # Load data set from hugging face\n    ds = load_dataset(dataset_repo, dataset_name)\n    print("Downloaded Hugging Face data")\n    print(f"Now saving to {output_dataset.path}")\n    ds.save_to_disk(output_dataset.path)\n    print(f"Saved to {output_dataset.path}")\n\n',
});

const printDatasetInfo = pythonFunctionComponent({
  name: 'print_dataset_info',
  inputs: { dataset: Dataset },
  functionName: 'print_dataset_info',
  source:
    "\ndef print_dataset_info(dataset: Dataset):\n    print('Information about the artifact')\n    print('Name:', dataset.name)\n    print('URI:', dataset.uri)\n    assert \"download-dataset-and-upload-as-artifact\" in dataset.uri, \"The URI of the downloaded artifact does not match the expected function's name that generated it\"\n\n",
});

export default pipeline(
  {
    name: 'pipeline-with-datasets',
    description: 'Download Hugging Face Data Set, upload it as an artifact and print its metadata',
    params: {
      dataset_repo: t.string({ default: 'google/frames-benchmark' }),
      dataset_name: t.string({ default: '' }),
    },
  },
  ({ dataset_repo, dataset_name }) => {
    const download = downloadDatasetAndUploadAsArtifact({ dataset_repo, dataset_name });
    printDatasetInfo({ dataset: download.outputs.output_dataset });
  },
);
