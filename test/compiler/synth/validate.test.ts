import {
  Dataset,
  Model,
  PipelineValidationError,
  compilePipeline,
  containerComponent,
  importer,
  pipeline,
  t,
  type RetryDuration,
} from '../../../compiler';

const produce = containerComponent({
  name: 'produce',
  outputs: { model: Model, count: t.int(), label: t.string() },
  image: 'producer:1',
});
const consume = containerComponent({
  name: 'consume',
  inputs: { data: Dataset, epochs: t.int(), note: t.string({ optional: true }) },
  image: 'consumer:1',
});

/** Calls a component the way untyped JavaScript (or a component loaded from YAML) would. */
const untyped = (component: unknown) => component as (args?: Record<string, unknown>) => unknown;

function problemsOf(build: () => Parameters<typeof compilePipeline>[0]) {
  try {
    compilePipeline(build());
  } catch (error) {
    if (error instanceof PipelineValidationError) return error;
    throw error;
  }
  throw new Error('expected the pipeline to be rejected');
}

describe('validation collects every problem with its task path and source line', () => {
  it('reports three independent mistakes in one run, each with file:line and a fix', () => {
    const error = problemsOf(() =>
      pipeline({ name: 'three-mistakes' }, () => {
        const source = produce();
        untyped(consume)({ data: source.outputs.model, epochs: 1 }); // line A: Model into Dataset
        untyped(consume)({ data: source.outputs.model, epochs: 'three', note: 'x' }); // line B: also a string into int
        untyped(consume)({ epochs: 2, epoch: 3 }); // line C: unknown input, missing data
      }),
    );
    const thisFile = 'test/compiler/synth/validate.test.ts';
    const messages = error.problems.map(
      (p) => `${p.path} ${p.location?.file.endsWith(thisFile) ? 'here' : 'elsewhere'}:${p.location?.line} ${p.message}`,
    );
    expect(messages).toEqual([
      expect.stringMatching(
        /^three-mistakes\/consume here:\d+ input 'data': expects a system\.Dataset artifact, got system\.Model from output 'model' of task 'produce'$/,
      ),
      expect.stringMatching(/^three-mistakes\/consume-2 here:\d+ input 'data': expects a system\.Dataset artifact/),
      expect.stringMatching(/^three-mistakes\/consume-2 here:\d+ input 'epochs': expects an int, got the string "three"$/),
      expect.stringMatching(/^three-mistakes\/consume-3 here:\d+ unknown input 'epoch' for component 'consume'$/),
      expect.stringMatching(/^three-mistakes\/consume-3 here:\d+ missing required input 'data' of component 'consume'$/),
    ]);
    const lines = error.problems.map((p) => p.location!.line);
    expect(lines[0]! + 1).toBe(lines[1]);
    expect(lines[1]! + 1).toBe(lines[3]);
    expect(error.problems.every((p) => p.fix.length > 0)).toBe(true);
    expect(error.message).toContain(`[three-mistakes/consume] ${thisFile}:${lines[0]}: input 'data'`);
    expect(error.message).toContain('— pass a system.Dataset artifact');
    expect(error.message).toMatch(/^Pipeline has 5 problems:/);
  });

  it('rejects bad resource quantities, retry settings and env names', () => {
    const error = problemsOf(() =>
      pipeline({ name: 'bad-settings' }, () => {
        produce()
          .setCpuLimit('two')
          .setMemoryLimit('16GB')
          .setAcceleratorLimit('0')
          .setRetry({ maxRetries: -1, backoffDuration: '5 parsecs' as RetryDuration })
          .setEnv('1BAD', 'x');
      }),
    );
    expect(error.problems.map((p) => p.message)).toEqual([
      "CPU limit 'two' is not valid",
      "memory limit '16GB' is not valid",
      "accelerator count '0' is not a positive whole number",
      'retry count -1 is not a whole number >= 0',
      "retry backoffDuration '5 parsecs' is not a duration",
      "environment variable name '1BAD' is not valid",
    ]);
    expect(error.problems[1]!.fix).toContain("'512Mi'");
  });

  it('rejects pipeline outputs that are not task outputs, and dependency cycles', () => {
    const error = problemsOf(() =>
      pipeline({ name: 'bad-outputs', params: { n: t.int() } }, ({ n }) => {
        const a = produce();
        const b = produce().after(a);
        a.after(b);
        return { n, text: 'literal' } as never;
      }),
    );
    expect(error.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      "bad-outputs: pipeline output 'n' is pipeline input 'n'; pipeline outputs must come from tasks",
      `bad-outputs: pipeline output 'text' is the string "literal", not a task output`,
      'bad-outputs/produce: dependency cycle: produce => produce-2 => produce',
    ]);
  });

  it('rejects channels captured from another pipeline', () => {
    let leaked: unknown;
    pipeline({ name: 'first' }, () => {
      leaked = produce().outputs.count;
    });
    const error = problemsOf(() =>
      pipeline({ name: 'second' }, () => {
        const source = produce();
        untyped(consume)({ data: source.outputs.model, epochs: leaked });
      }),
    );
    expect(error.problems.map((p) => p.message)).toContain(
      "input 'epochs': output 'count' of task 'produce' belongs to pipeline 'first', not to 'second'",
    );
  });

  it('gives a final status only to exit tasks and ignoreUpstreamFailure() tasks, which must not need a failed output', () => {
    const report = containerComponent({ name: 'report', inputs: { status: t.taskFinalStatus() }, image: 'report:1' });
    const evaluate = containerComponent({
      name: 'evaluate',
      inputs: { model: Model, label: t.string({ default: '' }) },
      image: 'evaluate:1',
    });
    const error = problemsOf(() =>
      pipeline({ name: 'after-failure' }, () => {
        const source = produce();
        report().after(source);
        evaluate({ model: source.outputs.model, label: source.outputs.label }).ignoreUpstreamFailure();
        report().after(source).ignoreUpstreamFailure();
      }),
    );
    expect(error.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      "after-failure/report: input 'status' is a t.taskFinalStatus(), which only an exit task or a task with .ignoreUpstreamFailure() is given",
      "after-failure/evaluate: ignoreUpstreamFailure(): input 'model' takes output 'model' of task 'produce', which is missing when that task fails, and 'model' has no default",
    ]);
  });

  it('names the kind of task that cannot take container settings', () => {
    const inner = pipeline({ name: 'inner' }, () => {
      produce();
    });
    const error = problemsOf(() =>
      pipeline({ name: 'outer' }, () => {
        inner().setCpuLimit('1');
        importer({ artifactUri: 'gs://b/m', artifactClass: Model }).setEnv('A', 'b');
      }),
    );
    expect(error.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'outer/inner: resources, env and image can only be set on container tasks, not on a pipeline used as a task',
      'outer/importer: resources, env and image can only be set on container tasks, not on an importer task',
    ]);
  });
});
