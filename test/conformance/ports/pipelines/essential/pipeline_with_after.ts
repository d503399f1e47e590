import { containerComponent, pipeline, t } from '../../../../../compiler';

const printText = containerComponent({
  name: 'Print Text',
  inputs: { text: t.string() },
  image: 'alpine',
  command: ({ inputs }) => ['sh', '-c', 'set -e -x\necho "$0"\n', inputs.text],
});

export default pipeline({ name: 'pipeline-with-after' }, () => {
  const task1 = printText({ text: '1st task' });
  const task2 = printText({ text: '2nd task' }).after(task1);
  printText({ text: '3rd task' }).after(task1, task2);
});
