// system.Metrics: metricsOf(...).logMetric / logMetrics write a flat map of finite numbers.
import { MetricsError, metricsOf } from '../../../../compiler';

const artifact = () => ({ uri: 'gs://b/metrics', path: '/gcs/b/metrics', metadata: {} as Record<string, unknown> });

describe('metricsOf', () => {
  test("logMetric sets metadata[name] = value, as the SDK's Metrics.log_metric; logging a name again replaces it", () => {
    const output = artifact();
    metricsOf(output).logMetric('accuracy', 0.9).logMetric('loss', 0.25).logMetric('accuracy', 0.91);
    // What the SDK writes for log_metric('accuracy', 0.9); log_metric('loss', 0.25); log_metric('accuracy', 0.91).
    expect(JSON.stringify(output.metadata)).toBe('{"accuracy":0.91,"loss":0.25}');
  });

  test('logMetrics logs every entry in order, and keeps keys already there', () => {
    const metadata: Record<string, unknown> = { samples: 100 };
    metricsOf({ metadata }).logMetrics({ top1: 0.8, top3: 0.95 });
    expect(Object.entries(metadata)).toEqual([
      ['samples', 100],
      ['top1', 0.8],
      ['top3', 0.95],
    ]);
  });

  test('reads the metadata record on every call, so an implementation may replace it', () => {
    const output = artifact();
    const writer = metricsOf(output);
    output.metadata = { fresh: 1 };
    writer.logMetric('auc', 0.7);
    expect(output.metadata).toEqual({ fresh: 1, auc: 0.7 });
  });

  test('refuses NaN, Infinity and non-numbers, naming the metric and the fix', () => {
    const writer = metricsOf(artifact());
    expect(() => writer.logMetric('accuracy', NaN)).toThrow(
      'logMetric: metric "accuracy" is NaN; system.Metrics values must be finite numbers — JSON has no NaN or Infinity',
    );
    expect(() => writer.logMetric('loss', Infinity)).toThrow('metric "loss" is Infinity');
    expect(() => writer.logMetric('f1', '0.9' as unknown as number)).toThrow(
      'metric "f1" is the string "0.9"; system.Metrics values must be finite numbers — log a number',
    );
    expect(() => writer.logMetric('nested', { a: 1 } as unknown as number)).toThrow('metric "nested" is an object');
  });

  test('refuses an empty name and the reserved display_name', () => {
    const writer = metricsOf(artifact());
    expect(() => writer.logMetric('', 1)).toThrow('logMetric: the metric name is the string "", not a non-empty string');
    expect(() => writer.logMetric('display_name', 1)).toThrow('"display_name" is reserved: KFP sets it from the output\'s name');
  });

  test('logMetrics checks every value before writing any', () => {
    const metadata: Record<string, unknown> = {};
    const attempt = () => metricsOf({ metadata }).logMetrics({ ok: 1, bad: NaN });
    expect(attempt).toThrow(MetricsError);
    expect(attempt).toThrow('logMetrics: metric "bad" is NaN');
    expect(metadata).toEqual({});
  });

  test('a MetricsError carries the method, the problem and the fix', () => {
    try {
      metricsOf(artifact()).logMetric('x', NaN);
      throw new Error('expected a MetricsError');
    } catch (error) {
      expect(error).toBeInstanceOf(MetricsError);
      expect(error).toMatchObject({
        name: 'MetricsError',
        method: 'logMetric',
        problem: 'metric "x" is NaN; system.Metrics values must be finite numbers',
      });
    }
  });

  test('refuses a target without a metadata record, when it is wrapped and at each call', () => {
    expect(() => metricsOf({} as never)).toThrow(
      'metricsOf: the target has no metadata record — pass an output artifact of the component (outputs.<name>), or { metadata: record } to fill a plain record',
    );
    const output = artifact();
    const writer = metricsOf(output);
    output.metadata = null as never;
    expect(() => writer.logMetric('a', 1)).toThrow('logMetric: the target has no metadata record');
  });
});
