import { t } from '../../../../compiler';
import { pythonFunctionComponent } from '../../support/python-function';

export default pythonFunctionComponent({
  name: 'exit_comp',
  inputs: { status: t.taskFinalStatus() },
  functionName: 'exit_comp',
  source: '\ndef exit_comp(status: dsl.PipelineTaskFinalStatus):\n    print(status)\n\n',
});
