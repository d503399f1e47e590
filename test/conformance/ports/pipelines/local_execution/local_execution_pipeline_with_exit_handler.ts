import { ExitHandler, pipeline, t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const echo = pythonFunctionComponent({
  name: 'echo',
  inputs: { message: t.string() },
  outputs: { Output: t.string() },
  functionName: 'echo',
  source: '\ndef echo(message: str) -> str:\n    return message\n\n',
});

const recordExit = pythonFunctionComponent({
  name: 'record_exit',
  inputs: { status: t.taskFinalStatus() },
  outputs: { Output: t.string() },
  functionName: 'record_exit',
  source: "\ndef record_exit(status: PipelineTaskFinalStatus) -> str:\n    return f'exit:{status.state}'\n\n",
});

export default pipeline(
  {
    name: 'pipeline-with-exit-handler',
    description:
      "Runs `echo` inside an ExitHandler.\nOn success the exit task receives a PipelineTaskFinalStatus with\nstate='SUCCEEDED'. No pipeline output \u2014 KFP's compiler rejects\nreturning a value from inside an ExitHandler.",
    params: { message: t.string({ default: 'hello' }) },
  },
  ({ message }) => {
    const exitTask = recordExit();
    ExitHandler(exitTask, () => {
      echo({ message });
    });
  },
);
