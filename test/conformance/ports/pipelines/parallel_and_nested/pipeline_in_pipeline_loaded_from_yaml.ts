import * as path from 'node:path';
import { Artifact, loadComponentFromFile, pipeline, type t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

/** `pipeline-in-pipeline`, compiled earlier (by KFP SDK 2.14.6) and loaded from its IR YAML. */
const pipelineInPipeline = loadComponentFromFile<{ msg: ReturnType<typeof t.string<{ default: string }>> }, { Output: typeof Artifact }>(
  path.join(__dirname, 'fixtures', 'pipeline_in_pipeline.yaml'),
);

const printOp1 = pythonFunctionComponent({
  name: 'print_op1',
  inputs: { data: Artifact },
  functionName: 'print_op1',
  source: "\ndef print_op1(data: Input[Artifact]):\n    with open(data.path, 'r') as f:\n        print(f.read())\n\n",
});

export default pipeline({ name: 'pipeline-in-pipeline' }, () => {
  const task = pipelineInPipeline({ msg: 'Hello' });
  printOp1({ data: task.outputs.Output });
});
