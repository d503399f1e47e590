import { ExitHandler, containerComponent, pipeline, t } from '../../../../compiler';

const exitOp = containerComponent({
  name: 'Exit Op',
  inputs: { user_input: t.string(), status: t.taskFinalStatus() },
  image: 'registry.access.redhat.com/ubi9/python-311:latest',
  command: ({ inputs }) => ['echo', 'user input:', inputs.user_input, 'pipeline status:', inputs.status],
});

const printOp = containerComponent({
  name: 'Print Op',
  inputs: { message: t.string() },
  image: 'registry.access.redhat.com/ubi9/python-311:latest',
  command: ({ inputs }) => ['echo', inputs.message],
});

export default pipeline(
  { name: 'pipeline-with-task-final-status-yaml', params: { message: t.string({ default: 'Hello World!' }) } },
  ({ message }) => {
    const exitTask = exitOp({ user_input: message });
    ExitHandler(
      exitTask,
      () => {
        printOp({ message });
      },
      { name: 'my-pipeline' },
    );
  },
);
