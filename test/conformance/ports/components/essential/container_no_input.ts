import { containerComponent } from '../../../../../compiler';

export default containerComponent({
  name: 'container_no_input',
  image: 'registry.access.redhat.com/ubi9/python-311:latest',
  command: ['echo', 'hello world'],
});
