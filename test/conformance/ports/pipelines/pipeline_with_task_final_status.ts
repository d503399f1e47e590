import { ExitHandler, pipeline, t } from '../../../../compiler';
import { pythonFunctionComponent } from '../../support/python-function';

const exitOp = pythonFunctionComponent({
  name: 'exit_op',
  inputs: { user_input: t.string(), status: t.taskFinalStatus() },
  functionName: 'exit_op',
  source:
    "\ndef exit_op(user_input: str, status: PipelineTaskFinalStatus):\n    \"\"\"Checks pipeline run status.\"\"\"\n    print('Pipeline status: ', status.state)\n    print('Job resource name: ', status.pipeline_job_resource_name)\n    print('Pipeline task name: ', status.pipeline_task_name)\n    print('Error code: ', status.error_code)\n    print('Error message: ', status.error_message)\n\n",
});

const failOp = pythonFunctionComponent({
  name: 'fail_op',
  inputs: { message: t.string() },
  functionName: 'fail_op',
  source: '\ndef fail_op(message: str):\n    """Fails."""\n    import sys\n    print(message)\n    sys.exit(1)\n\n',
});

const printOp = pythonFunctionComponent({
  name: 'print_op',
  inputs: { message: t.string() },
  functionName: 'print_op',
  source: '\ndef print_op(message: str):\n    """Prints a message."""\n    print(message)\n\n',
});

export default pipeline(
  { name: 'pipeline-with-task-final-status', params: { message: t.string({ default: 'Hello World!' }) } },
  ({ message }) => {
    const exitTask = exitOp({ user_input: message });
    ExitHandler(
      exitTask,
      () => {
        printOp({ message });
        failOp({ message: 'Task failed.' });
      },
      { name: 'my-pipeline' },
    );
  },
);
