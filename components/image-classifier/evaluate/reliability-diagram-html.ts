/**
 * A self-contained HTML reliability diagram (Guo et al. 2017, https://arxiv.org/abs/1706.04599, fig. 1): per equal-width bin, the accuracy
 * as a bar at the bin, the gap to the mean confidence as a second bar stacked on it, the diagonal
 * of perfect calibration, and a histogram of bin counts underneath, plus the bin table.
 *
 * Inline SVG and inline CSS only: the file is opened from an artifact store (KFP's system.HTML
 * viewer, a GCS console, a local path) where external scripts, fonts or images may not load.
 */
import type { ReliabilityBin } from './calibration';

export interface ReliabilitySeries {
  /** Caption, e.g. "before temperature scaling". */
  readonly name: string;
  readonly bins: readonly ReliabilityBin[];
  readonly ece: number;
  readonly mce?: number;
}

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const fmt = (value: number, digits = 3): string => value.toFixed(digits);

const PLOT = { width: 360, height: 300, histogram: 90, left: 44, top: 16, gap: 26, bottom: 34 } as const;

/** One diagram: reliability bars over the diagonal, count histogram below. */
function seriesSvg(series: ReliabilitySeries): string {
  const { width, height, histogram, left, top, gap, bottom } = PLOT;
  const x = (v: number) => left + v * width;
  const y = (v: number) => top + (1 - v) * height;
  const histTop = top + height + gap;
  const maxCount = Math.max(1, ...series.bins.map((b) => b.count));
  const parts: string[] = [];
  parts.push(`<rect x="${left}" y="${top}" width="${width}" height="${height}" class="frame"/>`);
  for (const t of [0, 0.2, 0.4, 0.6, 0.8, 1]) {
    parts.push(`<line x1="${x(0)}" y1="${fmt(y(t), 1)}" x2="${x(1)}" y2="${fmt(y(t), 1)}" class="grid"/>`);
    parts.push(`<text x="${left - 6}" y="${fmt(y(t) + 4, 1)}" class="tick" text-anchor="end">${fmt(t, 1)}</text>`);
    parts.push(`<text x="${fmt(x(t), 1)}" y="${histTop + histogram + 16}" class="tick" text-anchor="middle">${fmt(t, 1)}</text>`);
  }
  for (const bin of series.bins) {
    if (bin.count === 0 || bin.accuracy === null || bin.confidence === null) continue;
    const x0 = x(bin.lo) + 1;
    const w = Math.max(0.5, x(bin.hi) - x(bin.lo) - 2);
    const label = `${fmt(bin.lo)}–${fmt(bin.hi)}: n=${bin.count}, accuracy ${fmt(bin.accuracy)}, confidence ${fmt(bin.confidence)}`;
    parts.push(
      `<rect x="${fmt(x0, 1)}" y="${fmt(y(bin.accuracy), 1)}" width="${fmt(w, 1)}" height="${fmt(y(0) - y(bin.accuracy), 1)}" class="acc"><title>${escapeHtml(label)}</title></rect>`,
    );
    const gapLo = Math.min(bin.accuracy, bin.confidence);
    const gapHi = Math.max(bin.accuracy, bin.confidence);
    parts.push(
      `<rect x="${fmt(x0, 1)}" y="${fmt(y(gapHi), 1)}" width="${fmt(w, 1)}" height="${fmt(y(gapLo) - y(gapHi), 1)}" class="${bin.confidence > bin.accuracy ? 'over' : 'under'}"/>`,
    );
    const h = (bin.count / maxCount) * histogram;
    parts.push(
      `<rect x="${fmt(x0, 1)}" y="${fmt(histTop + histogram - h, 1)}" width="${fmt(w, 1)}" height="${fmt(h, 1)}" class="count"><title>${bin.count}</title></rect>`,
    );
  }
  parts.push(`<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" class="diagonal"/>`);
  parts.push(`<rect x="${left}" y="${histTop}" width="${width}" height="${histogram}" class="frame"/>`);
  parts.push(`<text x="${left - 6}" y="${histTop + 10}" class="tick" text-anchor="end">${maxCount}</text>`);
  parts.push(
    `<text x="${x(0.5)}" y="${histTop + histogram + bottom - 2}" class="axis" text-anchor="middle">confidence (top-label probability)</text>`,
  );
  parts.push(`<text transform="translate(12 ${y(0.5)}) rotate(-90)" class="axis" text-anchor="middle">accuracy</text>`);
  const svgHeight = histTop + histogram + bottom + 4;
  return `<svg width="${left + width + 12}" height="${svgHeight}" viewBox="0 0 ${left + width + 12} ${svgHeight}" role="img" aria-label="${escapeHtml(`reliability diagram, ${series.name}`)}">${parts.join('')}</svg>`;
}

function binTable(bins: readonly ReliabilityBin[]): string {
  const rows = bins
    .map(
      (b) =>
        `<tr><td>${fmt(b.lo)}–${fmt(b.hi)}</td><td>${b.count}</td><td>${b.accuracy === null ? '' : fmt(b.accuracy)}</td><td>${b.confidence === null ? '' : fmt(b.confidence)}</td><td>${b.accuracy === null || b.confidence === null ? '' : fmt(b.confidence - b.accuracy)}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th>bin</th><th>count</th><th>accuracy</th><th>confidence</th><th>gap</th></tr></thead><tbody>${rows}</tbody></table>`;
}

const STYLE = `body{font:14px system-ui,sans-serif;margin:24px;color:#222}
.series{display:inline-block;vertical-align:top;margin:0 32px 24px 0}
.frame{fill:none;stroke:#888}.grid{stroke:#eee}.tick{font-size:11px;fill:#555}.axis{font-size:12px;fill:#333}
.acc{fill:#3b6fb6}.over{fill:#d9534f;fill-opacity:.45}.under{fill:#5cb85c;fill-opacity:.45}.count{fill:#999}
.diagonal{stroke:#333;stroke-dasharray:4 3}
table{border-collapse:collapse;font-size:12px;margin-top:8px}td,th{border:1px solid #ddd;padding:2px 8px;text-align:right}
.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle}`;

/**
 * The HTML page: one diagram and bin table per series (e.g. before and after temperature scaling),
 * side by side, with optional scalar rows (name → value) above them.
 */
export function reliabilityDiagramHtml(input: {
  readonly title?: string;
  readonly series: readonly ReliabilitySeries[];
  readonly scalars?: Readonly<Record<string, number>>;
}): string {
  if (input.series.length === 0) throw new Error('reliability diagram needs at least one series of bins');
  const title = input.title ?? 'Reliability diagram';
  const scalars = Object.entries(input.scalars ?? {})
    .map(([name, value]) => `<tr><th>${escapeHtml(name)}</th><td>${Number.isInteger(value) ? value : fmt(value, 4)}</td></tr>`)
    .join('');
  const sections = input.series
    .map((s) => {
      const summary = `ECE ${fmt(s.ece, 4)}${s.mce === undefined ? '' : `, MCE ${fmt(s.mce, 4)}`}, ${s.bins.length} bins, n = ${s.bins.reduce((t, b) => t + b.count, 0)}`;
      return `<div class="series"><h2>${escapeHtml(s.name)}</h2><p>${summary}</p>${seriesSvg(s)}${binTable(s.bins)}</div>`;
    })
    .join('\n');
  const legend =
    '<p class="legend"><span style="background:#3b6fb6"></span>accuracy<span style="background:#d9534f;opacity:.45"></span>overconfident gap' +
    '<span style="background:#5cb85c;opacity:.45"></span>underconfident gap<span style="background:#999"></span>samples per bin</p>';
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style></head><body>`,
    `<h1>${escapeHtml(title)}</h1>`,
    scalars ? `<table>${scalars}</table>` : '',
    legend,
    sections,
    '</body></html>',
    '',
  ].join('\n');
}
