/**
 * setRetry durations: the reference's forms (`set_retry(backoff_duration='2m')`: a whole number and
 * a unit, s/m/h/d/w or their English words) and plain seconds, written to the IR in seconds as the
 * reference's RetryPolicy.to_proto does ('2m' → '120s'); anything else is a user error at the
 * setRetry line.
 */
import * as fs from 'node:fs';
import {
  PipelineValidationError,
  compilePipeline,
  containerComponent,
  pipeline,
  type RetryDuration,
  type RetryOptions,
} from '../../../compiler';
import { parseDurationSeconds } from '../../../compiler/synth/retry-policy';

const flaky = containerComponent({ name: 'flaky', image: 'flaky:1' });

const retryPolicyOf = (options: RetryOptions) =>
  compilePipeline(pipeline({ name: 'retry' }, () => void flaky().setRetry(options))).root.dag!.tasks['flaky']!.retryPolicy;

describe('setRetry durations', () => {
  it.each<[RetryDuration, number]>([
    ['0s', 0],
    ['30s', 30],
    ['1.5s', 1.5],
    ['2m', 120],
    ['1h', 3600],
    ['1d', 86_400],
    ['2w', 1_209_600],
    ['0.1m', 6],
    ['2 hours', 7200],
    ['1 minute', 60],
    ['45seconds', 45],
    [30, 30],
    [0.25, 0.25],
  ])('reads %p as %p seconds', (duration, seconds) => {
    expect(parseDurationSeconds(duration)).toBe(seconds);
  });

  it.each(['30', '2 fortnights', '-5s', '1e3s', 's', '', ' 5s', '5 m', '2 H'])('rejects %p', (duration) => {
    expect(parseDurationSeconds(duration as RetryDuration)).toBeUndefined();
  });

  it('rejects negative and non-finite numbers', () => {
    for (const seconds of [-1, Number.NaN, Number.POSITIVE_INFINITY]) expect(parseDurationSeconds(seconds)).toBeUndefined();
  });

  it('writes durations to the IR in seconds, with the reference defaults', () => {
    expect(retryPolicyOf({ maxRetries: 3, backoffDuration: '2m', backoffMaxDuration: '1h' })).toEqual({
      backoffDuration: '120s',
      backoffFactor: 2,
      backoffMaxDuration: '3600s',
      maxRetryCount: 3,
    });
    expect(retryPolicyOf({ maxRetries: 1, backoffDuration: 45, backoffFactor: 1.5 })).toEqual({
      backoffDuration: '45s',
      backoffFactor: 1.5,
      backoffMaxDuration: '3600s',
      maxRetryCount: 1,
    });
    expect(retryPolicyOf({ maxRetries: 2 })).toEqual({
      backoffDuration: '0s',
      backoffFactor: 2,
      backoffMaxDuration: '3600s',
      maxRetryCount: 2,
    });
  });

  it('reports an invalid duration (as plain JavaScript could pass it) at the setRetry line, with the accepted forms', () => {
    let error: unknown;
    try {
      compilePipeline(
        pipeline({ name: 'bad-retry' }, () => {
          const task = flaky();
          task.setRetry({ maxRetries: 2, backoffDuration: '5 parsecs', backoffMaxDuration: -3 } as unknown as RetryOptions); // setRetry here
        }),
      );
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PipelineValidationError);
    const line =
      fs
        .readFileSync(__filename, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('// setRetry here')) + 1;
    expect((error as PipelineValidationError).problems).toEqual([
      {
        path: 'bad-retry/flaky',
        location: expect.objectContaining({ file: __filename, line }),
        message: "retry backoffDuration '5 parsecs' is not a duration",
        fix: "write seconds as a number (30) or a number with a unit: '30s', '2m', '1h', '1d', '1w'",
      },
      {
        path: 'bad-retry/flaky',
        location: expect.objectContaining({ file: __filename, line }),
        message: 'retry backoffMaxDuration -3 is not a duration',
        fix: expect.stringContaining("'2m'"),
      },
    ]);
  });
});
