import type { IrPipelineSpec, IrPipelineTaskSpec } from '../../../compiler/ir/pipeline-spec';
import { graphFromSpec } from '../../../viewer/server/run-graph';

function task(name: string, extra: Partial<IrPipelineTaskSpec> = {}): IrPipelineTaskSpec {
  return { taskInfo: { name }, componentRef: { name: 'comp-step' }, ...extra };
}

/** A pipeline whose root DAG has `tasks`, all running one container component. */
function pipeline(tasks: Record<string, IrPipelineTaskSpec>): IrPipelineSpec {
  return {
    pipelineInfo: { name: 'graph' },
    schemaVersion: '2.1.0',
    sdkVersion: 'kfp-ts',
    root: { dag: { tasks } },
    components: { 'comp-step': { executorLabel: 'exec-step' } },
    deploymentSpec: { executors: { 'exec-step': { container: { image: 'busybox' } } } },
  };
}

describe('graphFromSpec', () => {
  it('draws the edges the runner schedules by: dependentTasks and the producers of task inputs', () => {
    const spec = pipeline({
      produce: task('produce'),
      train: task('train', {
        inputs: { artifacts: { data: { taskOutputArtifact: { producerTask: 'produce', outputArtifactKey: 'data' } } } },
      }),
      report: task('report', {
        dependentTasks: ['produce'],
        inputs: { parameters: { status: { taskFinalStatus: { producerTask: 'train' } } } },
      }),
    });
    const graph = graphFromSpec(spec, new Map(), [], true);
    expect(graph.nodes.map((node) => [node.name, node.state])).toEqual([
      ['produce', 'pending'],
      ['train', 'pending'],
      ['report', 'pending'],
    ]);
    expect(graph.edges).toEqual([
      ['produce', 'train'],
      ['produce', 'report'],
      ['train', 'report'],
    ]);
  });

  it('draws no edge from a name that is not a task of the DAG, Object.prototype member names included', () => {
    const spec = pipeline({ only: task('only', { dependentTasks: ['constructor', 'toString', 'missing'] }) });
    expect(graphFromSpec(spec, new Map(), [], false).edges).toEqual([]);
  });
});
