import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  Dataset,
  If,
  ParallelFor,
  PipelineValidationError,
  collected,
  compilePipeline,
  compileToYaml,
  containerComponent,
  formatProblem,
  pipeline,
  t,
  type Loop,
  type ParameterChannel,
} from '../../../compiler';
import type { IrPipelineSpec } from '../../../compiler/ir/pipeline-spec';
import { validatePipelineSpec } from '../../../compiler/ir/validate-pipeline-spec';
import { goldensDir } from '../../support/kfp-goldens';
import { addTwoNumbers, double, nestedAdd, simpleAdd } from '../../conformance/ports/pipelines/parameters_complex';

/**
 * One collection (a loop's `outputs.x`, or one `collected()` channel) read by consumers at different
 * DAG depths. The reference compiler surfaces each `dsl.Collected(…)` out of the loops only as far
 * up as its consumer sits; kfp-ts gives every consumer its own surfaced channel, so sharing the
 * collection yields the same IR as one `collected()` per consumer.
 */
const count = containerComponent({ name: 'count', inputs: { n: t.int() }, outputs: { total: t.int(), data: Dataset }, image: 'count:1' });
const gather = containerComponent({ name: 'gather', inputs: { values: t.list<number>() }, outputs: { n: t.int() }, image: 'gather:1' });
const gatherData = containerComponent({ name: 'gather-data', inputs: { data: t.artifactList(Dataset) }, image: 'gather-data:1' });

type Totals = Loop<{ total: ParameterChannel<'NUMBER_INTEGER', number> }>;

/** Compiles with the schema check and the referential IR validation, and checks both again here. */
function compileValid(build: () => Parameters<typeof compilePipeline>[0]): IrPipelineSpec {
  const spec = compilePipeline(build());
  expect(validatePipelineSpec(spec)).toEqual([]);
  return spec;
}

const component = (spec: IrPipelineSpec, name: string) => spec.components![name]!;

/** The problems a pipeline is rejected with, formatted as users see them. */
function rejection(build: () => Parameters<typeof compilePipeline>[0]): string[] {
  try {
    compilePipeline(build());
  } catch (error) {
    if (error instanceof PipelineValidationError) return error.problems.map(formatProblem);
    throw error;
  }
  throw new Error('expected the pipeline to be rejected');
}

/** A loop inside an If, its totals read in the If, and by `after` after the If. */
function loopInsideIf(name: string, after: (totals: Totals['outputs']['total']) => void) {
  return pipeline({ name }, () => {
    let loop: Totals | undefined;
    If(gather({ values: [] }).outputs.n.gt(0), () => {
      loop = ParallelFor([1, 2], (n) => ({ total: count({ n }).outputs.total }));
      gather({ values: loop.outputs.total });
    });
    after(loop!.outputs.total);
  });
}

/** `file:line` of the line of this file that holds `marker`. */
function at(marker: string): string {
  const line =
    fs
      .readFileSync(__filename, 'utf8')
      .split('\n')
      .findIndex((text) => text.includes(marker) && !text.includes('at(')) + 1;
  return `${path.relative(process.cwd(), __filename)}:${line}`;
}

describe('a collection read at two DAG depths', () => {
  it('inside the enclosing loop and at the root: surfaced once out of the inner loop, once more out of the outer one', () => {
    const spec = compileValid(() =>
      pipeline({ name: 'two-depths' }, () => {
        let inner: Totals | undefined;
        ParallelFor([1, 2], () => {
          inner = ParallelFor([3, 4], (n) => ({ total: count({ n }).outputs.total }));
          gather({ values: inner.outputs.total }); // one list per outer iteration
        });
        gather({ values: inner!.outputs.total }); // every outer iteration's list
      }),
    );
    // The inner loop surfaces count's output.
    expect(component(spec, 'comp-for-loop-4').dag!.outputs!.parameters).toEqual({
      'pipelinechannel--count-total': { valueFromParameter: { producerSubtask: 'count', outputParameterKey: 'total' } },
    });
    // Inside the outer loop, gather reads the inner loop, its sibling.
    const outer = component(spec, 'comp-for-loop-2');
    expect(outer.dag!.tasks['gather']!.inputs!.parameters!['values']).toEqual({
      taskOutputParameter: { producerTask: 'for-loop-4', outputParameterKey: 'pipelinechannel--count-total' },
    });
    expect(outer.dag!.tasks['gather']!.dependentTasks).toEqual(['for-loop-4']);
    // For the root's consumer, the outer loop surfaces it once more,
    expect(outer.dag!.outputs!.parameters).toEqual({
      'pipelinechannel--count-total': {
        valueFromParameter: { producerSubtask: 'for-loop-4', outputParameterKey: 'pipelinechannel--count-total' },
      },
    });
    expect(outer.outputDefinitions!.parameters).toEqual({ 'pipelinechannel--count-total': { parameterType: 'LIST' } });
    // and the root's gather reads the outer loop.
    const rootGather = spec.root.dag!.tasks['gather-2']!;
    expect(rootGather.inputs!.parameters!['values']).toEqual({
      taskOutputParameter: { producerTask: 'for-loop-2', outputParameterKey: 'pipelinechannel--count-total' },
    });
    expect(rootGather.dependentTasks).toEqual(['for-loop-2']);
  });

  it('inside an If and as a pipeline output: the If surfaces it for the root; its own consumer reads the loop', () => {
    const spec = compileValid(() =>
      pipeline({ name: 'if-and-output' }, () => {
        let loop: Totals | undefined;
        If(gather({ values: [] }).outputs.n.gt(0), () => {
          loop = ParallelFor([1, 2], (n) => ({ total: count({ n }).outputs.total }));
          gather({ values: loop.outputs.total });
        });
        return { totals: loop!.outputs.total };
      }),
    );
    const condition = component(spec, 'comp-condition-1');
    expect(condition.dag!.tasks['gather-2']!.inputs!.parameters!['values']).toEqual({
      taskOutputParameter: { producerTask: 'for-loop-3', outputParameterKey: 'pipelinechannel--count-total' },
    });
    expect(condition.dag!.outputs!.parameters).toEqual({
      'pipelinechannel--count-total': {
        valueFromParameter: { producerSubtask: 'for-loop-3', outputParameterKey: 'pipelinechannel--count-total' },
      },
    });
    expect(condition.outputDefinitions!.parameters).toEqual({ 'pipelinechannel--count-total': { parameterType: 'LIST' } });
    expect(spec.root.dag!.outputs!.parameters).toEqual({
      totals: { valueFromParameter: { producerSubtask: 'condition-1', outputParameterKey: 'pipelinechannel--count-total' } },
    });
  });

  it('at the root, inside an If and inside a later ParallelFor, parameters and artifact lists alike: the same IR as one collected() per consumer', () => {
    const build = (shared: boolean) => () =>
      pipeline({ name: 'three-consumers' }, () => {
        let produced: ReturnType<typeof count> | undefined;
        const loop = ParallelFor([1, 2], (n) => {
          produced = count({ n });
          return { total: produced.outputs.total, data: produced.outputs.data };
        });
        const totals = () => (shared ? loop.outputs.total : collected(produced!.outputs.total));
        const data = () => (shared ? loop.outputs.data : collected(produced!.outputs.data));
        const first = gather({ values: totals() });
        gatherData({ data: data() });
        If(first.outputs.n.gt(1), () => {
          gather({ values: totals() });
          gatherData({ data: data() });
        });
        ParallelFor([5, 6], () => {
          gather({ values: totals() });
          gatherData({ data: data() });
        });
      });
    const spec = compileValid(build(true));
    expect(spec).toEqual(compileValid(build(false)));

    const fromLoop = {
      artifact: { taskOutputArtifact: { producerTask: 'for-loop-2', outputArtifactKey: 'pipelinechannel--count-data' } },
      parameter: { taskOutputParameter: { producerTask: 'for-loop-2', outputParameterKey: 'pipelinechannel--count-total' } },
    };
    expect(spec.root.dag!.tasks['gather']!.inputs!.parameters!['values']).toEqual(fromLoop.parameter);
    expect(spec.root.dag!.tasks['gather-data']!.inputs!.artifacts!['data']).toEqual(fromLoop.artifact);
    // The nested groups take the surfaced lists in as pipelinechannel--for-loop-2-… inputs …
    for (const [group, tasks] of [
      ['condition-3', ['gather-2', 'gather-data-2']],
      ['for-loop-5', ['gather-3', 'gather-data-3']],
    ] as const) {
      const groupTask = spec.root.dag!.tasks[group]!;
      expect(groupTask.inputs!.parameters!['pipelinechannel--for-loop-2-pipelinechannel--count-total']).toEqual(fromLoop.parameter);
      expect(groupTask.inputs!.artifacts!['pipelinechannel--for-loop-2-pipelinechannel--count-data']).toEqual(fromLoop.artifact);
      expect(groupTask.dependentTasks).toContain('for-loop-2');
      const groupComponent = component(spec, `comp-${group}`);
      expect(groupComponent.inputDefinitions!.parameters!['pipelinechannel--for-loop-2-pipelinechannel--count-total']).toEqual({
        parameterType: 'LIST',
      });
      expect(groupComponent.inputDefinitions!.artifacts!['pipelinechannel--for-loop-2-pipelinechannel--count-data']).toEqual({
        artifactType: { schemaTitle: 'system.Dataset', schemaVersion: '0.0.1' },
        isArtifactList: true,
      });
      // … and their tasks read those inputs.
      expect(groupComponent.dag!.tasks[tasks[0]]!.inputs!.parameters!['values']).toEqual({
        componentInputParameter: 'pipelinechannel--for-loop-2-pipelinechannel--count-total',
      });
      expect(groupComponent.dag!.tasks[tasks[1]]!.inputs!.artifacts!['data']).toEqual({
        componentInputArtifact: 'pipelinechannel--for-loop-2-pipelinechannel--count-data',
      });
    }
  });

  it('still rejects the deeper consumer when the loop sits in an If it is outside of', () => {
    expect(
      rejection(() =>
        loopInsideIf('outside-if', (totals) => {
          gather({ values: totals }); // marker: gather outside the If
        }),
      ),
    ).toEqual([
      `[outside-if/gather-3] ${at('marker: gather outside the If')}: collects output 'total' of task 'count' from a ParallelFor inside If/Elif/Else branch 'condition-1', which may not run — move the consumer into the same If/Elif/Else branch, or the ParallelFor out of it`,
    ]);
  });
});

describe('a ParallelFor over a collection', () => {
  const echo = containerComponent({ name: 'echo', inputs: { msg: t.string() }, image: 'echo:1' });

  it('reads it where the loop sits, whatever deeper consumer reads it too', () => {
    const spec = compileValid(() =>
      pipeline({ name: 'iterate' }, () => {
        const loop = ParallelFor([1, 2], (n) => ({ total: count({ n }).outputs.total }));
        If(gather({ values: [] }).outputs.n.gt(0), () => {
          gather({ values: loop.outputs.total });
        });
        ParallelFor(loop.outputs.total, () => {
          echo({ msg: 'one more' });
        });
      }),
    );
    const iterating = spec.root.dag!.tasks['for-loop-4']!;
    expect(iterating.inputs!.parameters).toEqual({
      'pipelinechannel--for-loop-2-pipelinechannel--count-total': {
        taskOutputParameter: { producerTask: 'for-loop-2', outputParameterKey: 'pipelinechannel--count-total' },
      },
    });
    expect(iterating.parameterIterator).toEqual({
      itemInput: 'pipelinechannel--for-loop-2-pipelinechannel--count-total-loop-item',
      items: { inputParameter: 'pipelinechannel--for-loop-2-pipelinechannel--count-total' },
    });
  });

  it('is checked like a task consumer, and reported at the loop', () => {
    expect(
      rejection(() =>
        loopInsideIf('iterate-outside-if', (totals) => {
          ParallelFor(totals, () => void echo({ msg: 'one more' })); // marker: loop outside the If
        }),
      ),
    ).toEqual([
      `[iterate-outside-if/for-loop-4] ${at('marker: loop outside the If')}: collects output 'total' of task 'count' from a ParallelFor inside If/Elif/Else branch 'condition-1', which may not run — move the consumer into the same If/Elif/Else branch, or the ParallelFor out of it`,
    ]);
  });
});

describe('golden pipelines/parameters_complex.yaml with shared collections', () => {
  // The golden's source calls dsl.Collected once per consumer (as its port does); here one
  // collection per loop output is read at every depth: inside the outer loop, at the root, and
  // inside a later ParallelFor.
  const shared = pipeline({ name: 'math-pipeline' }, () => {
    let inner: Loop<{ Output: ParameterChannel<'NUMBER_INTEGER', number> }> | undefined;
    const outer = ParallelFor([1, 2, 3], (x) => {
      const single = double({ num: x });
      inner = ParallelFor([4, 5, 6], (y) => ({ Output: double({ num: y }).outputs.Output }));
      simpleAdd({ nums: inner.outputs.Output });
      return { Output: single.outputs.Output };
    });
    const nested = inner!.outputs.Output;
    nestedAdd({ nums: nested });
    const sums = ParallelFor([0, 0, 0], () => ({
      simple: simpleAdd({ nums: outer.outputs.Output }).outputs.Output,
      nested: nestedAdd({ nums: nested }).outputs.Output,
    }));
    return { Output: addTwoNumbers({ x: sums.outputs.simple, y: sums.outputs.nested }).outputs.Output };
  });

  it('compiles to the golden, byte for byte', () => {
    const golden = fs.readFileSync(path.join(goldensDir(), 'pipelines/parameters_complex.yaml'), 'utf8');
    expect(compileToYaml(shared, { sdkVersion: 'kfp-2.15.2' })).toBe(golden);
  });
});
