import { DslUsageError, Model, containerComponent, pipeline, t } from '../../../compiler';

const produce = containerComponent({ name: 'produce', outputs: { model: Model, n: t.int() }, image: 'p:1' });

describe('the scoped build context', () => {
  it('rejects a component called outside a pipeline body, naming the call site', () => {
    expect(() => produce()).toThrow(DslUsageError);
    expect(() => produce()).toThrow(
      /test\/compiler\/dsl\/build-context\.test\.ts:\d+: Component 'produce' was called outside a pipeline body — call components inside the function given to pipeline/,
    );
  });

  it('ends the scope when the pipeline function returns, even when it throws', () => {
    expect(() =>
      pipeline({ name: 'throws' }, () => {
        produce();
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(() => produce()).toThrow(DslUsageError);
  });

  it('explains that a channel is not a string', () => {
    pipeline({ name: 'strings' }, () => {
      const task = produce();
      expect(() => `${task.outputs.n}`).toThrow(
        /build-context\.test\.ts:\d+: output 'n' of task 'produce' was used as a string.* — pass it directly as a task argument/,
      );
    });
  });
});
