import { containerComponent, pipeline } from '../../../../../compiler';

const helloWorldContainer = containerComponent({
  name: 'hello_world_container',
  image: 'registry.access.redhat.com/ubi9/python-311:latest',
  command: ['echo', 'hello world'],
});

export default pipeline({ name: 'v2-container-component-no-input' }, () => {
  helloWorldContainer({});
});
