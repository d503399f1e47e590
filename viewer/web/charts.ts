/** Plain SVG charts: line charts (training curves, ROC, precision-recall) and the confusion-matrix heatmap. */
import { formatValue, h, s } from './dom';

export interface Series {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
}

const palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

function ticks(min: number, max: number, count = 5): number[] {
  if (min === max) return [min];
  const step = (max - min) / (count - 1);
  return Array.from({ length: count }, (_, i) => min + i * step);
}

export function lineChart(title: string, series: readonly Series[], axes: { x: string; y: string; unit?: boolean }): HTMLElement {
  const width = 420;
  const height = 260;
  const pad = { left: 48, right: 12, top: 24, bottom: 40 };
  const all = series.flatMap((line) => line.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const xs = all.map(([x]) => x);
  const ys = all.map(([, y]) => y);
  const [x0, x1] = axes.unit ? [0, 1] : [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = axes.unit ? [0, 1] : [Math.min(...ys, 0), Math.max(...ys)];
  const sx = (x: number) => pad.left + ((x - x0) / (x1 - x0 || 1)) * (width - pad.left - pad.right);
  const sy = (y: number) => height - pad.bottom - ((y - y0) / (y1 - y0 || 1)) * (height - pad.top - pad.bottom);
  const svg = s(
    'svg',
    { viewBox: `0 0 ${width} ${height}`, width, height, class: 'chart', role: 'img', 'aria-label': title },
    s('text', { x: width / 2, y: 14, 'text-anchor': 'middle', class: 'chart-title' }, title),
    s('line', { x1: pad.left, y1: height - pad.bottom, x2: width - pad.right, y2: height - pad.bottom, class: 'axis' }),
    s('line', { x1: pad.left, y1: pad.top, x2: pad.left, y2: height - pad.bottom, class: 'axis' }),
    ticks(x0, x1).map((t) =>
      s('text', { x: sx(t), y: height - pad.bottom + 14, 'text-anchor': 'middle', class: 'tick' }, formatValue(Number(t.toPrecision(3)))),
    ),
    ticks(y0, y1).map((t) =>
      s('text', { x: pad.left - 4, y: sy(t) + 4, 'text-anchor': 'end', class: 'tick' }, formatValue(Number(t.toPrecision(3)))),
    ),
    s('text', { x: width / 2, y: height - 6, 'text-anchor': 'middle', class: 'axis-label' }, axes.x),
    s('text', { x: 12, y: height / 2, transform: `rotate(-90 12 ${height / 2})`, 'text-anchor': 'middle', class: 'axis-label' }, axes.y),
    series.map((line, i) =>
      s('polyline', {
        points: line.points
          .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y))
          .map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`)
          .join(' '),
        fill: 'none',
        stroke: palette[i % palette.length]!,
        'stroke-width': 2,
        'data-series': line.name,
      }),
    ),
  );
  const legend = h(
    'div',
    { class: 'legend' },
    series.map((line, i) => h('span', {}, h('i', { style: `background:${palette[i % palette.length]}` }), line.name)),
  );
  return h('figure', { class: 'chart-box' }, svg as unknown as Node, legend);
}

/** Training curves: every series of `curves` against its `epoch` series. */
export function curveCharts(curves: Readonly<Record<string, readonly number[]>>, prefix = ''): HTMLElement[] {
  const epochs = curves['epoch'] ?? curves[Object.keys(curves)[0]!]!.map((_, i) => i + 1);
  const names = Object.keys(curves).filter((name) => name !== 'epoch');
  const groups = new Map<string, string[]>();
  for (const name of names) {
    // trainLoss and valLoss share a chart, as do the accuracies.
    const kind = name.replace(/^(train|val|validation|test)/i, '').toLowerCase() || name;
    groups.set(kind, [...(groups.get(kind) ?? []), name]);
  }
  return [...groups.entries()].map(([kind, members]) =>
    lineChart(
      `${prefix}${kind}`,
      members.map((name) => ({ name, points: curves[name]!.map((y, i) => [epochs[i] ?? i + 1, y] as const) })),
      { x: 'epoch', y: kind },
    ),
  );
}

export interface ConfusionMatrix {
  readonly annotationSpecs: readonly { readonly displayName?: string }[];
  readonly rows: readonly { readonly row: readonly number[] }[];
}

/** The confusion matrix as a table whose cells are shaded by their share of the row. */
export function confusionHeatmap(matrix: ConfusionMatrix): HTMLElement {
  const labels = matrix.annotationSpecs.map((spec, i) => spec.displayName ?? String(i));
  const max = Math.max(1, ...matrix.rows.flatMap((r) => r.row));
  return h(
    'table',
    { class: 'heatmap', 'data-testid': 'confusion-matrix' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { class: 'corner' }, 'actual \\ predicted'),
        labels.map((label) => h('th', {}, label)),
      ),
    ),
    h(
      'tbody',
      {},
      matrix.rows.map((r, i) =>
        h(
          'tr',
          {},
          h('th', {}, labels[i] ?? String(i)),
          r.row.map((value, j) => {
            const share = value / max;
            return h(
              'td',
              {
                'data-row': i,
                'data-col': j,
                style: `background: rgba(31, 119, 180, ${(0.08 + 0.92 * share).toFixed(3)}); color: ${share > 0.55 ? '#fff' : '#111'}`,
              },
              String(value),
            );
          }),
        ),
      ),
    ),
  );
}
