import { containerComponent, pipeline } from '../../../../compiler';

const waitOp = containerComponent({
  name: 'wait_op',
  image: 'alpine:latest',
  command: ['sh', '-c'],
  args: ['echo step-1 sleeping for 5m; sleep 300; echo done1'],
});

export default pipeline({ name: 'wait-awhile' }, () => {
  const first = waitOp();
  waitOp().after(first);
});
