// The text that `kfp-ts runs` and `kfp-ts run-info` print, laid out for a 100-column terminal:
// long values are cut with an ellipsis, lists go one item per line.
import * as path from 'node:path';
import type { RunOverview } from '../../runner/experiment-runs';
import type { RunMetric } from '../../runner/run-metrics';
import type { RunDetails } from '../../runner/run-history';
import { ITEM_SEPARATOR, TERMINAL_WIDTH, fitTable, truncate, truncateMiddle } from '../text-table';

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const startedText = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
/** Month, day and minute: enough beside a run id, which holds the full start time. */
const shortStarted = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(5, 16);

/** A metric or parameter for a table cell: numbers to 4 significant digits, strings bare, the rest as JSON. */
export function formatValue(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? String(value);
}

const pairs = (record: Readonly<Record<string, unknown>>, separator = ITEM_SEPARATOR): string =>
  Object.entries(record)
    .map(([name, value]) => `${name}=${formatValue(value)}`)
    .join(separator);

const taskCountText = (counts: Readonly<Record<string, number>>): string =>
  Object.entries(counts)
    .map(([state, n]) => `${n} ${state.toLowerCase()}`)
    .join(ITEM_SEPARATOR);

/** `kfp-ts runs`: a row per run (the run id names its pipeline), task counts and metrics wrapped to fit. */
export function runsTable(runs: readonly RunOverview[]): string {
  const rows = runs.map((r) => [
    r.runId,
    r.state,
    shortStarted(r.startedAt),
    seconds(r.durationMs),
    taskCountText(r.taskCounts),
    pairs(r.metrics),
  ]);
  return (
    fitTable([['run', 'state', 'started', 'time', 'tasks', 'metrics'], ...rows], { fixed: [0, 1, 2, 3], wrap: [4, 5] }) ??
    fitTable([['run', 'state', 'started', 'time', 'tasks', 'metrics'], ...rows], { wrap: [4, 5] })!
  );
}

/**
 * `kfp-ts runs --experiment`: a column per parameter and per metric (as Vertex AI Experiments
 * shows the runs), or, when they are too many for the width, parameters and metrics one per line.
 */
export function experimentTable(experiment: string, runs: readonly RunOverview[]): string {
  const parameterNames = [...new Set(runs.flatMap((r) => Object.keys(r.parameters)))].sort();
  const metricNames = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort();
  const title = `Experiment ${experiment}: ${runs.length} run${runs.length === 1 ? '' : 's'}\n`;
  const cell = (record: Readonly<Record<string, unknown>>, name: string) => (name in record ? formatValue(record[name]) : '');
  const wide = fitTable(
    [
      ['run', 'state', ...parameterNames.map((n) => `param.${n}`), ...metricNames.map((n) => `metric.${n}`)],
      ...runs.map((r) => [
        r.runId,
        r.state,
        ...parameterNames.map((n) => cell(r.parameters, n)),
        ...metricNames.map((n) => cell(r.metrics, n)),
      ]),
    ],
    { fixed: [0, 1], wholeHeaders: true },
  );
  if (wide !== undefined) return title + wide;
  const rows = [
    ['run', 'state', 'parameters', 'metrics'],
    ...runs.map((r) => [r.runId, r.state, pairs(r.parameters, '\n'), pairs(r.metrics, '\n')]),
  ];
  return title + (fitTable(rows, { fixed: [0, 1] }) ?? fitTable(rows)!);
}

/** An artifact URI under the run's folder as a path relative to it (the header names the folder). */
function shortUri(uri: string, runRoot: string): string {
  if (runRoot && uri.startsWith(runRoot + path.sep)) return uri.slice(runRoot.length + 1);
  return uri;
}

/** `kfp-ts run-info`: the run, its parameters, outputs and metrics, then a table of its tasks. */
export function runInfoText(overview: RunOverview, details: RunDetails, metrics: readonly RunMetric[]): string {
  const width = TERMINAL_WIDTH;
  const lines = [
    truncate(`Run ${details.runId} of ${details.pipelineName}: ${details.state} in ${seconds(details.durationMs)}`, width),
    `Started:    ${startedText(overview.startedAt)} UTC`,
    ...(overview.experiments.length ? [truncate(`Experiment: ${overview.experiments.join(', ')}`, width)] : []),
    `Folder:     ${truncateMiddle(details.pipelineRoot, width - 12)}`,
  ];
  let text = `${lines.join('\n')}\n`;
  const section = (title: string, rows: string[][]) => {
    text += rows.length ? `${title}:\n${fitTable(rows, { indent: '  ' })}` : `${title}: none\n`;
  };
  section(
    'Parameters',
    Object.entries(details.parameters).map(([name, value]) => [name, formatValue(value)]),
  );
  section(
    'Outputs',
    Object.entries(details.outputs).map(([name, value]) => [name, formatValue(value)]),
  );
  section(
    'Metrics',
    metrics.map((m) => [m.task, m.output, m.name, formatValue(m.value)]),
  );
  const rows = details.tasks.map((task) => [
    task.path,
    task.state + (task.cachedFrom ? `\n(from #${task.cachedFrom})` : ''),
    seconds(task.durationMs),
    [
      ...Object.entries(task.outputs).map(([k, v]) => `${k}=${formatValue(v)}`),
      ...task.outputArtifacts.map((a) => `${a.key} → #${a.id} ${shortUri(a.uri, details.pipelineRoot)}`),
    ].join('\n'),
  ]);
  text += `\n${fitTable([['task', 'state', 'time', 'outputs'], ...rows])!}`;
  return text;
}
