/** The runs page: filters, chosen metric columns, newest first, a page at a time, and picking runs to compare. */
import type { RunsPage } from '../../server/api-types';
import { api, enc } from '../api';
import { formatDuration, formatTime, formatValue, h, link, stateBadge } from '../dom';

const PAGE = 25;

export async function runsPage(params: URLSearchParams): Promise<HTMLElement> {
  const offset = Number(params.get('offset') ?? 0) || 0;
  const chosen = (params.get('metrics') ?? '').split(',').filter(Boolean);
  const query = new URLSearchParams();
  for (const key of ['pipeline', 'state', 'experiment', 'metrics']) if (params.get(key)) query.set(key, params.get(key)!);
  query.set('limit', String(PAGE));
  query.set('offset', String(offset));
  const page = await api<RunsPage>(`/api/runs?${query}`);
  const selected = new Set<string>();
  const go = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) value ? next.set(key, value) : next.delete(key);
    location.hash = `#/runs?${next}`;
  };
  const select = (name: string, options: readonly string[], label: string) =>
    h(
      'label',
      {},
      `${label} `,
      h(
        'select',
        { name, onchange: (e: Event) => go({ [name]: (e.target as HTMLSelectElement).value || undefined, offset: undefined }) },
        h('option', { value: '' }, 'all'),
        options.map((o) => h('option', { value: o, selected: params.get(name) === o }, o)),
      ),
    );
  const compareButton = h(
    'button',
    { disabled: true, 'data-testid': 'compare', onclick: () => (location.hash = `#/compare?runs=${[...selected].map(enc).join(',')}`) },
    'Compare selected',
  );
  const rows = page.runs.map((run) =>
    h(
      'tr',
      { 'data-run': run.runId },
      h(
        'td',
        {},
        h('input', {
          type: 'checkbox',
          'aria-label': `select ${run.runId}`,
          onchange: (e: Event) => {
            (e.target as HTMLInputElement).checked ? selected.add(run.runId) : selected.delete(run.runId);
            compareButton.disabled = selected.size < 2 || selected.size > 10;
          },
        }),
      ),
      h('td', {}, link(`#/run/${enc(run.runId)}`, run.runId)),
      h('td', {}, run.pipeline),
      h('td', {}, stateBadge(run.state)),
      h('td', {}, formatTime(run.startedAt)),
      h('td', {}, formatDuration(run.durationMs)),
      h('td', {}, run.experiment ?? ''),
      chosen.map((name) => h('td', { class: 'num' }, run.metrics[name] !== undefined ? formatValue(run.metrics[name]) : '')),
    ),
  );
  const last = Math.min(page.total, offset + page.runs.length);
  return h(
    'section',
    {},
    h('h1', {}, 'Runs'),
    h(
      'div',
      { class: 'filters' },
      select('pipeline', page.pipelines, 'Pipeline'),
      select('state', ['RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'], 'State'),
      select('experiment', page.experiments, 'Experiment'),
      h(
        'label',
        {},
        'Metric columns ',
        h(
          'select',
          {
            multiple: true,
            size: Math.min(4, Math.max(2, page.metricNames.length)),
            onchange: (e: Event) =>
              go({ metrics: [...(e.target as HTMLSelectElement).selectedOptions].map((o) => o.value).join(',') || undefined }),
          },
          page.metricNames.map((m) => h('option', { value: m, selected: chosen.includes(m) }, m)),
        ),
      ),
      compareButton,
    ),
    h(
      'table',
      { class: 'grid', 'data-testid': 'runs' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, ''),
          ['Run', 'Pipeline', 'State', 'Started', 'Duration', 'Experiment', ...chosen].map((c) => h('th', {}, c)),
        ),
      ),
      h('tbody', {}, rows),
    ),
    h(
      'div',
      { class: 'pager' },
      page.total ? `${offset + 1}–${last} of ${page.total}` : 'No runs yet: run a pipeline with kfp-ts run.',
      offset > 0 ? h('button', { onclick: () => go({ offset: String(Math.max(0, offset - PAGE)) }) }, '← newer') : null,
      last < page.total ? h('button', { onclick: () => go({ offset: String(offset + PAGE) }) }, 'older →') : null,
    ),
  );
}
