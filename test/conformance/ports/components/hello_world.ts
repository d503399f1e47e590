import { containerComponent } from '../../../../compiler';

export default containerComponent({
  name: 'echo',
  image: 'registry.access.redhat.com/ubi9/python-311:latest',
  command: ['echo'],
  args: ['hello world'],
});
