/** Comparing runs: parameters (differences highlighted), metrics, overlaid curves, cache hits. */
import type { CompareView } from '../../server/api-types';
import { api, enc } from '../api';
import { lineChart, type Series } from '../charts';
import { formatValue, h, link, stateBadge } from '../dom';

export async function comparePage(params: URLSearchParams): Promise<HTMLElement> {
  const runs = (params.get('runs') ?? '').split(',').filter(Boolean);
  const view = await api<CompareView>(`/api/compare?runs=${runs.map(enc).join(',')}`);
  const differing = new Set(view.differingParameters);
  const names = [...new Set(view.runs.flatMap((r) => Object.keys(r.parameters)))].sort();
  const metricNames = [...new Set(view.runs.flatMap((r) => Object.keys(r.metrics)))].sort();
  const head = h(
    'thead',
    {},
    h(
      'tr',
      {},
      h('th', {}, ''),
      view.runs.map((r) => h('th', {}, link(`#/run/${enc(r.runId)}`, r.runId), ' ', stateBadge(r.state))),
    ),
  );
  const table = (
    rows: string[],
    value: (run: CompareView['runs'][number], name: string) => unknown,
    testid: string,
    highlight = new Set<string>(),
  ) =>
    h(
      'table',
      { class: 'grid compare', 'data-testid': testid },
      head.cloneNode(true),
      h(
        'tbody',
        {},
        rows.map((name) =>
          h(
            'tr',
            { class: highlight.has(name) ? 'diff' : undefined, 'data-name': name },
            h('th', {}, name),
            view.runs.map((run) => h('td', {}, formatValue(value(run, name) ?? ''))),
          ),
        ),
      ),
    );
  const curveNames = [...new Set(view.runs.flatMap((r) => Object.keys(r.curves ?? {})))].filter((n) => n !== 'epoch');
  const curveCharts = curveNames.map((name) =>
    lineChart(
      name,
      view.runs
        .filter((r) => r.curves?.[name])
        .map(
          (r): Series => ({
            name: r.runId.slice(-12),
            points: r.curves![name]!.map((y, i) => [r.curves!['epoch']?.[i] ?? i + 1, y] as const),
          }),
        ),
      { x: 'epoch', y: name },
    ),
  );
  const rocRuns = view.runs.filter((r) => r.roc?.length);
  return h(
    'section',
    {},
    h('h1', {}, `Comparing ${view.runs.length} runs`),
    h('h2', {}, 'Parameters'),
    table(names, (run, name) => run.parameters[name], 'compare-parameters', differing),
    h('h2', {}, 'Metrics'),
    metricNames.length ? table(metricNames, (run, name) => run.metrics[name], 'compare-metrics') : h('p', { class: 'muted' }, 'no metrics'),
    curveCharts.length || rocRuns.length ? h('h2', {}, 'Curves') : null,
    h(
      'div',
      { class: 'charts' },
      rocRuns.length
        ? lineChart(
            'ROC',
            rocRuns.map((r) => ({
              name: r.runId.slice(-12),
              points: [...r.roc!].sort((a, b) => a.fpr - b.fpr).map((p) => [p.fpr, p.tpr] as const),
            })),
            { x: 'false positive rate', y: 'true positive rate', unit: true },
          )
        : null,
      curveCharts,
    ),
    h('h2', {}, 'Tasks'),
    table(
      [...new Set(view.runs.flatMap((r) => r.tasks.map((t) => t.path)))],
      (run, name) => run.tasks.find((t) => t.path === name)?.state ?? '',
      'compare-tasks',
    ),
  );
}
