import { ExitHandler, pipeline, t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const echoState = pythonFunctionComponent({
  name: 'echo_state',
  inputs: { status: t.taskFinalStatus() },
  functionName: 'echo_state',
  source:
    "\ndef echo_state(status: dsl.PipelineTaskFinalStatus):\n    assert(status.state == 'COMPLETE')\n    assert('status-state-pipeline' in status.pipeline_job_resource_name)\n    assert(status.pipeline_task_name == 'exit-handler-1')\n    #TODO: Add assert statements to validate status.error_code and status.error_message values once those fields have been implemented.\n\n",
});

const someTask = pythonFunctionComponent({
  name: 'some_task',
  functionName: 'some_task',
  source: "\ndef some_task():\n    print('Executing some_task()...')\n\n",
});

export default pipeline({ name: 'status-state-pipeline' }, () => {
  const exit = echoState({});
  ExitHandler(exit, () => {
    someTask({});
  });
});
