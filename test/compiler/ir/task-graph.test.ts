import type { IrPipelineTaskSpec } from '../../../compiler/ir/pipeline-spec';
import { forEachCycle, isTaskOf, upstreamTasks, type TaskDependencies } from '../../../compiler/ir/task-graph';

function task(dependencies: Partial<IrPipelineTaskSpec> = {}): TaskDependencies {
  return dependencies;
}

const taskAfter = (...names: string[]): TaskDependencies => task({ dependentTasks: names });

/** Each cycle as `a -> b -> a` with the task that closes it, read while the walk calls back. */
function cyclesOf(tasks: Record<string, TaskDependencies>): string[] {
  const found: string[] = [];
  forEachCycle(tasks, (cycle) => {
    const names = Array.from({ length: cycle.size + 1 }, (_, index) => cycle.taskAt(index));
    found.push(`${cycle.closedBy}: ${names.join(' -> ')}`);
  });
  return found;
}

describe('upstreamTasks', () => {
  it('gathers dependentTasks and the producers of output parameters, final statuses and artifacts, in document order', () => {
    const consumer = task({
      dependentTasks: ['setup'],
      inputs: {
        parameters: {
          text: { taskOutputParameter: { producerTask: 'produce', outputParameterKey: 'Output' } },
          status: { taskFinalStatus: { producerTask: 'train' } },
          constant: { runtimeValue: { constant: 3 } },
          fromPipeline: { componentInputParameter: 'message' },
        },
        artifacts: {
          model: { taskOutputArtifact: { producerTask: 'train', outputArtifactKey: 'model' } },
          data: { taskOutputArtifact: { producerTask: 'download', outputArtifactKey: 'dataset' } },
          given: { componentInputArtifact: 'images' },
        },
      },
    });
    expect([...upstreamTasks(consumer)]).toEqual(['setup', 'produce', 'train', 'download']);
  });

  it('is empty for a task that reads only pipeline inputs and constants', () => {
    expect(upstreamTasks(task({ inputs: { parameters: { x: { componentInputParameter: 'x' } } } })).size).toBe(0);
    expect(upstreamTasks(task()).size).toBe(0);
  });

  it('reads inputs named after Object.prototype members as the inputs they are', () => {
    const parsed = JSON.parse(
      '{"inputs":{"parameters":{"__proto__":{"taskOutputParameter":{"producerTask":"a","outputParameterKey":"o"}}}}}',
    ) as TaskDependencies;
    expect([...upstreamTasks(parsed)]).toEqual(['a']);
  });
});

describe('isTaskOf', () => {
  it('finds own task names only', () => {
    const tasks = { train: taskAfter() };
    expect(isTaskOf(tasks, 'train')).toBe(true);
    expect(isTaskOf(tasks, 'constructor')).toBe(false);
    expect(isTaskOf(tasks, 'toString')).toBe(false);
  });
});

describe('forEachCycle', () => {
  it('finds nothing in a DAG, however the edges fan out and in', () => {
    expect(cyclesOf({ a: taskAfter(), b: taskAfter('a'), c: taskAfter('a'), d: taskAfter('b', 'c'), e: taskAfter('d', 'a') })).toEqual([]);
  });

  it('names a two-task cycle once, from the task that closes it', () => {
    expect(cyclesOf({ producer: taskAfter('consumer'), consumer: taskAfter('producer') })).toEqual([
      'consumer: producer -> consumer -> producer',
    ]);
  });

  it('reports a task that waits for itself as a cycle of one', () => {
    expect(cyclesOf({ loner: taskAfter('loner'), other: taskAfter() })).toEqual(['loner: loner -> loner']);
  });

  it('follows data edges as well as dependentTasks', () => {
    const reads = (producer: string) =>
      task({ inputs: { artifacts: { x: { taskOutputArtifact: { producerTask: producer, outputArtifactKey: 'x' } } } } });
    expect(cyclesOf({ a: reads('c'), b: taskAfter('a'), c: reads('b') })).toEqual(['b: a -> c -> b -> a']);
  });

  it('ignores edges to names that are not tasks of the DAG', () => {
    expect(cyclesOf({ a: taskAfter('missing', 'constructor') })).toEqual([]);
  });

  it('walks a chain of 50,000 tasks without exhausting the call stack, and finds the cycle that closes it', () => {
    const tasks: Record<string, TaskDependencies> = {};
    const count = 50_000;
    for (let i = 0; i < count; i++) tasks[`t${i}`] = taskAfter(`t${(i + 1) % count}`);
    const found: { closedBy: string; size: number; first: string; last: string }[] = [];
    forEachCycle(tasks, (cycle) =>
      found.push({ closedBy: cycle.closedBy, size: cycle.size, first: cycle.taskAt(0), last: cycle.taskAt(cycle.size - 1) }),
    );
    expect(found).toEqual([{ closedBy: `t${count - 1}`, size: count, first: 't0', last: `t${count - 1}` }]);
  });

  it('reports each of two separate cycles', () => {
    expect(cyclesOf({ a: taskAfter('b'), b: taskAfter('a'), c: taskAfter('d'), d: taskAfter('c') })).toEqual([
      'b: a -> b -> a',
      'd: c -> d -> c',
    ]);
  });
});
