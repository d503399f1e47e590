/** The run page: its graph (live while it runs, through server-sent events), parameters, outputs and artifacts. */
import type { RunView } from '../../server/api-types';
import { enc } from '../api';
import { initiallyCollapsed, renderDag } from '../dag-view';
import { formatDuration, formatTime, h, keyValueTable, link, stateBadge } from '../dom';
import { onLeave } from '../lifecycle';

export async function runPage(runId: string): Promise<HTMLElement> {
  const root = h('section', { class: 'run-page' });
  const collapsed = new Set<string>();
  let first = true;
  let latest: RunView | undefined;
  const render = () => {
    const view = latest!;
    if (first) initiallyCollapsed(view.graph, collapsed);
    first = false;
    const graph = renderDag(view.graph, {
      collapsed,
      onToggle: (path) => {
        collapsed.has(path) ? collapsed.delete(path) : collapsed.add(path);
        render();
      },
      onOpen: (node) => {
        if (node.executionId !== undefined) location.hash = `#/task/${node.executionId}`;
      },
    });
    root.replaceChildren(
      h('h1', {}, 'Run ', h('span', { class: 'mono' }, view.runId), ' ', stateBadge(view.state)),
      h(
        'p',
        { class: 'muted' },
        `pipeline ${view.pipeline}`,
        view.experiment ? ` · experiment ${view.experiment}` : '',
        ` · started ${formatTime(view.startedAt)} · ${formatDuration(view.durationMs)}`,
        view.fromSpec ? '' : ' · graph rebuilt from executions (this run did not record its IR)',
      ),
      h(
        'div',
        { class: 'legend states' },
        ['pending', 'running', 'succeeded', 'cached', 'failed', 'skipped', 'cancelled', 'not-run'].map((s) =>
          h('span', { class: `swatch state-${s}` }, s),
        ),
      ),
      h('div', { class: 'graph-box' }, graph as unknown as Node),
      h(
        'div',
        { class: 'columns' },
        h('div', {}, h('h2', {}, 'Parameters'), keyValueTable(view.parameters)),
        h('div', {}, h('h2', {}, 'Outputs'), keyValueTable(view.outputs)),
      ),
      h('h2', {}, 'Artifacts'),
      view.artifacts.length
        ? h(
            'table',
            { class: 'grid' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['Artifact', 'Type', 'Task', 'URI', ''].map((c) => h('th', {}, c)),
              ),
            ),
            h(
              'tbody',
              {},
              view.artifacts.map((a) =>
                h(
                  'tr',
                  { 'data-artifact': a.id },
                  h('td', {}, link(`#/artifact/${a.id}`, a.name || `artifact ${a.id}`)),
                  h('td', {}, a.type),
                  h('td', {}, a.producerPath ?? ''),
                  h('td', { class: 'mono small' }, a.uri),
                  h('td', {}, link(`#/lineage/${a.id}`, 'lineage')),
                ),
              ),
            ),
          )
        : h('p', { class: 'muted' }, 'none yet'),
    );
    root.setAttribute('data-run-state', view.state);
  };
  const events = new EventSource(`/api/runs/${enc(runId)}/events`);
  onLeave(() => events.close());
  await new Promise<void>((resolve, reject) => {
    events.onmessage = (message: MessageEvent<string>) => {
      latest = JSON.parse(message.data) as RunView;
      render();
      resolve();
    };
    events.onerror = () => {
      if (!latest) {
        events.close();
        reject(new Error(`cannot load run '${runId}' (is it in this store?)`));
      }
    };
  });
  return root;
}
