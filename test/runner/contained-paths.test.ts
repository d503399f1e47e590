import * as fs from 'node:fs';
import * as path from 'node:path';
import { compilePipeline, pipeline } from '../../compiler';
import type { IrPipelineSpec } from '../../compiler/ir/pipeline-spec';
import { runPipeline } from '../../runner/run-pipeline';
import { echoText } from './fixtures/components';
import { tempWorkspace } from './support';

/** Every file under `dir`, relative to it. */
const filesUnder = (dir: string) => fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();

function echoIr(): IrPipelineSpec {
  return compilePipeline(pipeline({ name: 'echo-once' }, () => void echoText({ text: 'hi' })));
}

/** The IR with its one task renamed, as a hand-edited or hostile IR file could have it. */
function withTaskName(spec: IrPipelineSpec, name: string): IrPipelineSpec {
  const copy = structuredClone(spec);
  const tasks = copy.root.dag!.tasks;
  const [only] = Object.keys(tasks);
  tasks[name] = tasks[only!]!;
  delete tasks[only!];
  return copy;
}

describe('run and task folders stay under the pipeline root', () => {
  it('a pipeline name with ../ is sanitised as KFP names are, and the run writes only below the root', async () => {
    const workspace = tempWorkspace();
    const spec = echoIr();
    spec.pipelineInfo.name = '../../escaped';
    const result = await runPipeline(spec, { pipelineRoot: workspace.pipelineRoot, metadataFile: workspace.metadataFile });
    expect(result.state).toBe('SUCCEEDED');
    expect(result.runRoot.startsWith(path.join(workspace.pipelineRoot, 'escaped') + path.sep)).toBe(true);
    expect(fs.readdirSync(workspace.root).sort()).toEqual(['metadata.sqlite', 'outputs']);
    expect(filesUnder(workspace.pipelineRoot)).toContain(path.join('escaped', path.basename(result.runRoot), 'echo-text', 'out'));
  });

  it('a task name with ../ segments fails that task, naming it, and writes nothing outside the root', async () => {
    const workspace = tempWorkspace();
    const result = await runPipeline(withTaskName(echoIr(), '../../../../outside'), {
      pipelineRoot: workspace.pipelineRoot,
      metadataFile: workspace.metadataFile,
    });
    expect(result.state).toBe('FAILED');
    expect(result.error).toMatch(
      /task '\.\.\/\.\.\/\.\.\/\.\.\/outside': path segment '\.\.' has no letter or digit to name a folder with; rename it/,
    );
    expect(fs.readdirSync(workspace.root).sort()).toEqual(['metadata.sqlite', 'outputs']);
  });

  it('other task names are sanitised as KFP names are, inside the run folder', async () => {
    const workspace = tempWorkspace();
    const result = await runPipeline(withTaskName(echoIr(), 'Up..Up'), {
      pipelineRoot: workspace.pipelineRoot,
      metadataFile: workspace.metadataFile,
    });
    expect(result.state).toBe('SUCCEEDED');
    expect(fs.readFileSync(path.join(result.runRoot, 'up-up', 'out'), 'utf8')).toBe('hi');
  });

  it('a pipeline name with no letter or digit is refused with the fix, before anything is written', async () => {
    const workspace = tempWorkspace();
    const spec = echoIr();
    spec.pipelineInfo.name = '..';
    await expect(runPipeline(spec, { pipelineRoot: workspace.pipelineRoot, metadataFile: workspace.metadataFile })).rejects.toThrow(
      /^pipeline name \(pipelineInfo\.name\) '\.\.' has no letter or digit to name a folder with/,
    );
    expect(fs.existsSync(workspace.pipelineRoot)).toBe(false);
  });

  it('an output key that climbs out of the task folder fails the task, naming it', async () => {
    const workspace = tempWorkspace();
    const spec = echoIr();
    const component = Object.values(spec.components!)[0]!;
    const parameters = component.outputDefinitions!.parameters!;
    parameters['../../../../stolen'] = parameters['out']!;
    delete parameters['out'];
    const result = await runPipeline(spec, { pipelineRoot: workspace.pipelineRoot, metadataFile: workspace.metadataFile });
    expect(result.state).toBe('FAILED');
    expect(result.error).toMatch(/task 'echo-text': output '\.\.\/\.\.\/\.\.\/\.\.\/stolen' leads outside \S*echo-text \(to /);
    expect(fs.readdirSync(workspace.root).sort()).toEqual(['metadata.sqlite', 'outputs']);
  });
});
