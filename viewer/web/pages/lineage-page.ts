/** The lineage page: artifacts and the executions that wrote and read them, laid out left to right. */
import dagre from '@dagrejs/dagre';
import type { LineageView } from '../../server/api-types';
import { api, enc } from '../api';
import { h, s } from '../dom';

export async function lineagePage(id: string): Promise<HTMLElement> {
  const view = await api<LineageView>(`/api/artifacts/${enc(id)}/lineage`);
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 16, ranksep: 48, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const a of view.artifacts) g.setNode(`a${a.id}`, { width: 200, height: 42 });
  for (const e of view.executions) g.setNode(`e${e.executionId}`, { width: 200, height: 42 });
  for (const edge of view.edges) {
    if (edge.type === 'OUTPUT') g.setEdge(`e${edge.executionId}`, `a${edge.artifactId}`);
    else g.setEdge(`a${edge.artifactId}`, `e${edge.executionId}`);
  }
  dagre.layout(g);
  const { width = 0, height = 0 } = g.graph();
  const svg = s(
    'svg',
    { class: 'dag lineage', width: width + 8, height: height + 8, 'data-testid': 'lineage' },
    s(
      'defs',
      {},
      s(
        'marker',
        { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto-start-reverse' },
        s('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow' }),
      ),
    ),
  );
  for (const edge of g.edges())
    svg.appendChild(
      s('polyline', {
        class: 'edge',
        points: (g.edge(edge).points ?? []).map((p) => `${p.x},${p.y}`).join(' '),
        'marker-end': 'url(#arrow)',
      }),
    );
  const box = (key: string, cls: string, href: string, title: string, sub: string, data: Record<string, string>) => {
    const n = g.node(key);
    return s(
      'a',
      { href, ...data },
      s(
        'g',
        { class: `node ${cls}`, transform: `translate(${n.x - 100},${n.y - 21})` },
        s('rect', { width: 200, height: 42, rx: cls.includes('artifact') ? 14 : 4 }),
        s('text', { x: 8, y: 17, class: 'node-label' }, title.slice(0, 28)),
        s('text', { x: 8, y: 33, class: 'node-state' }, sub.slice(0, 32)),
      ),
    );
  };
  for (const a of view.artifacts)
    svg.appendChild(
      box(`a${a.id}`, `artifact${a.id === view.root ? ' root' : ''}`, `#/lineage/${a.id}`, `${a.name || 'artifact'} #${a.id}`, a.type, {
        'data-artifact-type': a.type,
        'data-artifact': String(a.id),
      }),
    );
  for (const e of view.executions)
    svg.appendChild(
      box(
        `e${e.executionId}`,
        `execution state-${e.state}`,
        `#/task/${e.executionId}`,
        e.path || `execution ${e.executionId}`,
        `${e.runId ?? ''}`,
        { 'data-execution': String(e.executionId) },
      ),
    );
  const root = view.artifacts.find((a) => a.id === view.root)!;
  return h(
    'section',
    {},
    h('h1', {}, 'Lineage of ', h('a', { href: `#/artifact/${root.id}` }, `${root.name} #${root.id}`), ` (${root.type})`),
    h(
      'p',
      { class: 'muted' },
      'Artifacts are rounded; click one to see its own lineage, an execution to open its task.',
      view.truncated ? ' The graph was cut at its size limit.' : '',
    ),
    h('div', { class: 'graph-box' }, svg as unknown as Node),
  );
}
