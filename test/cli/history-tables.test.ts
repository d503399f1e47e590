import { experimentTable, formatValue } from '../../cli/commands/history-tables';
import { fitTable, truncateMiddle } from '../../cli/text-table';
import type { RunOverview } from '../../runner/experiment-runs';

const run = (runId: string, parameters: Record<string, unknown>, metrics: Record<string, number>): RunOverview => ({
  runId,
  pipelineName: 'p',
  state: 'COMPLETE',
  startedAt: 0,
  durationMs: 1000,
  parameters,
  metrics,
  experiments: ['sweep'],
  taskCounts: { COMPLETE: 2 },
});

describe('history tables', () => {
  it('gives each parameter and metric a column when they fit whole, as the Vertex console does', () => {
    const text = experimentTable('sweep', [
      run('p-1', { lr: 0.1 }, { top1: 0.912345, ece: 0.05 }),
      run('p-2', { lr: 0.2 }, { top1: 0.93 }),
    ]);
    expect(text).toBe(
      'Experiment sweep: 2 runs\n' +
        'run  state     param.lr  metric.ece  metric.top1\n' +
        'p-1  COMPLETE  0.1       0.05        0.9123\n' +
        'p-2  COMPLETE  0.2                   0.93\n',
    );
  });

  it('narrows the widest column first and cuts its lines with an ellipsis, never a fixed column', () => {
    const rows = [
      ['id', 'text'],
      ['a-long-identifier', 'x'.repeat(50)],
    ];
    expect(fitTable(rows, { width: 40, fixed: [0] })).toBe(`id                 text\na-long-identifier  ${'x'.repeat(20)}…\n`);
    expect(fitTable(rows, { width: 10, fixed: [0] })).toBeUndefined();
  });

  it('wraps item lists between items and keeps paths readable at both ends', () => {
    expect(fitTable([['m'], ['a=1  b=2  c=3']], { width: 8, wrap: [0] })).toBe('m\na=1  b=2\nc=3\n');
    expect(truncateMiddle('/very/long/path/to/run/folder', 15)).toBe('/very/l…/folder');
    expect(formatValue(1 / 3)).toBe('0.3333');
    expect(formatValue(12)).toBe('12');
    expect(formatValue({ a: 1 })).toBe('{"a":1}');
  });
});
