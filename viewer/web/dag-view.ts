/**
 * The run's DAG as SVG: each level laid out by dagre, sub-DAGs (conditions, loops and their
 * iterations, exit handlers, nested pipelines) drawn as boxes holding their own layout, collapsible
 * by clicking their header. Nodes carry their path and state as data attributes.
 */
import dagre from '@dagrejs/dagre';
import type { GraphDag, GraphNode } from '../server/api-types';
import { s } from './dom';

const LEAF = { width: 180, height: 40 };
const HEADER = 26;
const PAD = 12;

interface Laid {
  readonly width: number;
  readonly height: number;
  draw(x: number, y: number): SVGElement;
}

export interface DagViewOptions {
  readonly collapsed: Set<string>;
  readonly onToggle: (path: string) => void;
  readonly onOpen: (node: GraphNode) => void;
}

function countNodes(dag: GraphDag): number {
  return dag.nodes.reduce((n, node) => n + 1 + (node.children ? countNodes(node.children) : 0), 0);
}

/** Big sub-DAGs start collapsed so a large run stays readable; the rest start open. */
export function initiallyCollapsed(dag: GraphDag, into: Set<string>, limit = 40): void {
  for (const node of dag.nodes) {
    if (!node.children) continue;
    if (countNodes(node.children) > limit) into.add(node.path);
    initiallyCollapsed(node.children, into, limit);
  }
}

function layoutLevel(dag: GraphDag, options: DagViewOptions): Laid {
  const laid = new Map<string, Laid>();
  for (const node of dag.nodes) laid.set(node.name, layoutNode(node, options));
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 36, marginx: 4, marginy: 4 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of dag.nodes) g.setNode(node.name, { width: laid.get(node.name)!.width, height: laid.get(node.name)!.height });
  for (const [from, to] of dag.edges) g.setEdge(from, to);
  dagre.layout(g);
  const graph = g.graph();
  const width = Math.max(graph.width ?? 0, dag.nodes.length ? 0 : 120);
  const height = Math.max(graph.height ?? 0, dag.nodes.length ? 0 : 30);
  return {
    width,
    height,
    draw(x, y) {
      const group = s('g', { transform: `translate(${x},${y})` });
      for (const edge of g.edges()) {
        const points = g.edge(edge).points ?? [];
        group.appendChild(
          s('polyline', { class: 'edge', points: points.map((p) => `${p.x},${p.y}`).join(' '), 'marker-end': 'url(#arrow)' }),
        );
      }
      for (const node of dag.nodes) {
        const position = g.node(node.name);
        const box = laid.get(node.name)!;
        group.appendChild(box.draw(position.x - box.width / 2, position.y - box.height / 2));
      }
      if (dag.nodes.length === 0) group.appendChild(s('text', { x: 6, y: 18, class: 'muted-text' }, 'nothing ran here yet'));
      return group;
    },
  };
}

function layoutNode(node: GraphNode, options: DagViewOptions): Laid {
  const common = {
    class: `node kind-${node.kind} state-${node.state}`,
    'data-path': node.path,
    'data-state': node.state,
    'data-kind': node.kind,
  };
  if (!node.children) {
    return {
      ...LEAF,
      draw: (x, y) =>
        s(
          'g',
          { ...common, transform: `translate(${x},${y})`, onclick: () => options.onOpen(node), tabindex: 0, role: 'button' },
          s('title', {}, `${node.path}: ${node.state}`),
          s('rect', { width: LEAF.width, height: LEAF.height, rx: 6 }),
          s('text', { x: 10, y: 17, class: 'node-label' }, clip(node.label ?? node.name, 24)),
          s('text', { x: 10, y: 32, class: 'node-state' }, node.kind === 'container' ? node.state : `${node.kind} · ${node.state}`),
        ),
    };
  }
  const collapsed = options.collapsed.has(node.path);
  const inner = collapsed ? undefined : layoutLevel(node.children, options);
  const width = Math.max(LEAF.width, (inner?.width ?? 0) + 2 * PAD);
  const height = HEADER + (inner ? inner.height + PAD : 14);
  return {
    width,
    height,
    draw: (x, y) =>
      s(
        'g',
        { ...common, class: `${common.class} group${collapsed ? ' collapsed' : ''}`, transform: `translate(${x},${y})` },
        s('rect', { width, height, rx: 8, class: 'group-box' }),
        s(
          'g',
          { class: 'group-header', onclick: () => options.onToggle(node.path), tabindex: 0, role: 'button', 'data-toggle': node.path },
          s('rect', { width, height: HEADER, rx: 8 }),
          s(
            'text',
            { x: 10, y: 17, class: 'node-label' },
            `${collapsed ? '▸' : '▾'} ${clip(node.label ?? node.name, 30)} · ${node.kind} · ${node.state}${collapsed ? ` (${node.children.nodes.length})` : ''}`,
          ),
        ),
        inner ? inner.draw(PAD, HEADER + PAD / 2) : null,
      ),
  };
}

const clip = (text: string, n: number) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

export function renderDag(dag: GraphDag, options: DagViewOptions): SVGElement {
  const laid = layoutLevel(dag, options);
  const svg = s(
    'svg',
    {
      class: 'dag',
      width: laid.width + 8,
      height: laid.height + 8,
      viewBox: `0 0 ${laid.width + 8} ${laid.height + 8}`,
      'data-testid': 'dag',
    },
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
  svg.appendChild(laid.draw(4, 4));
  return svg;
}
