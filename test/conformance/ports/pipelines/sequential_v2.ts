import { containerComponent, pipeline, t } from '../../../../compiler';

const download = containerComponent({
  name: 'download',
  inputs: { url: t.string() },
  outputs: { downloaded: t.string() },
  image: 'google/cloud-sdk',
  command: ['sh', '-c'],
  args: ({ inputs, outputs }) => [`gsutil cp ${inputs.url} ${outputs.downloaded.path}`],
});

const echo = containerComponent({
  name: 'echo',
  inputs: { downloaded: t.string() },
  image: 'library/bash',
  command: ['sh', '-c'],
  args: ({ inputs }) => [`echo ${inputs.downloaded}`],
});

export default pipeline({ name: 'sequential', params: { url: t.string() } }, ({ url }) => {
  const downloaded = download({ url });
  echo({ downloaded: downloaded.outputs.downloaded });
});
