/** The artifact page: rendered by its type, then its metadata, files and producers. */
import type { ArtifactView, FileEntry } from '../../server/api-types';
import { api, enc } from '../api';
import { confusionHeatmap, curveCharts, lineChart, type ConfusionMatrix } from '../charts';
import { h, keyValueTable, link } from '../dom';
import { renderMarkdown } from '../markdown';
import { confidenceCurves, evaluationSlices } from '../metric-shapes';

const fileUrl = (id: number, file: FileEntry) => `/api/artifacts/${id}/file?path=${enc(file.path)}`;
const MAX_TEXT_PREVIEW = 256 * 1024;

function classification(metadata: Readonly<Record<string, unknown>>, title = ''): HTMLElement[] {
  const out: HTMLElement[] = [];
  const matrix = metadata['confusionMatrix'] as ConfusionMatrix | undefined;
  if (matrix?.rows && matrix.annotationSpecs) out.push(h('h2', {}, `${title}Confusion matrix`), confusionHeatmap(matrix));
  const curves = confidenceCurves(metadata);
  if (curves) {
    const charts = [
      lineChart(`${title}ROC`, [{ name: 'ROC', points: curves.roc }], { x: 'false positive rate', y: 'true positive rate', unit: true }),
    ];
    if (curves.precisionRecall.length)
      charts.push(
        lineChart(`${title}Precision-recall`, [{ name: 'PR', points: curves.precisionRecall }], {
          x: 'recall',
          y: 'precision',
          unit: true,
        }),
      );
    out.push(h('div', { class: 'charts' }, charts));
  }
  return out;
}

async function rendered(view: ArtifactView): Promise<(HTMLElement | null)[]> {
  const { metadata } = view;
  const scalars = Object.fromEntries(
    Object.entries(metadata).filter(([, v]) => typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean'),
  );
  switch (view.type) {
    case 'system.Metrics': {
      const curves = metadata['curves'];
      return [
        h('h2', {}, 'Metrics'),
        h('div', { 'data-testid': 'metrics' }, keyValueTable(scalars)),
        curves && typeof curves === 'object'
          ? h(
              'div',
              {},
              h('h2', {}, 'Training curves'),
              h('div', { class: 'charts', 'data-testid': 'curves' }, curveCharts(curves as Record<string, number[]>)),
            )
          : null,
      ];
    }
    case 'system.ClassificationMetrics':
      return classification(metadata);
    case 'system.SlicedClassificationMetrics': {
      return evaluationSlices(metadata).map(({ slice, metrics }) =>
        h('section', { class: 'slice', 'data-slice': slice }, h('h2', {}, `Slice ${slice}`), classification(metrics, `${slice}: `)),
      );
    }
    case 'system.Dataset':
      return [h('h2', {}, 'Dataset'), keyValueTable(scalars)];
    case 'system.Model':
      return [h('h2', {}, 'Model'), keyValueTable(scalars)];
    default:
      break;
  }
  const main = view.files.find((f) => f.kind === 'html' || f.kind === 'markdown');
  if (main?.kind === 'html') {
    // No allow-scripts and no allow-same-origin: the report is static markup in an opaque origin (the server adds a CSP too).
    return [
      h('h2', {}, 'Report'),
      h('iframe', { class: 'report', sandbox: '', src: fileUrl(view.id, main), title: 'HTML artifact', 'data-testid': 'html-frame' }),
    ];
  }
  if (main?.kind === 'markdown') {
    const text = await (await fetch(fileUrl(view.id, main))).text();
    return [h('h2', {}, 'Report'), renderMarkdown(text.slice(0, MAX_TEXT_PREVIEW))];
  }
  return [];
}

async function previews(view: ArtifactView): Promise<HTMLElement[]> {
  const out: HTMLElement[] = [];
  for (const file of view.files.slice(0, 12)) {
    if (file.kind === 'image')
      out.push(
        h(
          'figure',
          { class: 'preview' },
          h('img', { src: fileUrl(view.id, file), alt: file.path || view.name }),
          h('figcaption', {}, file.path || view.name),
        ),
      );
    else if (file.kind === 'text' && file.size <= MAX_TEXT_PREVIEW) {
      const text = await (await fetch(fileUrl(view.id, file))).text();
      out.push(
        h(
          'figure',
          { class: 'preview' },
          h('pre', { class: 'small' }, text.slice(0, 20_000)),
          h('figcaption', {}, `${file.path || view.name} (${file.size} bytes)`),
        ),
      );
    }
  }
  return out;
}

export async function artifactPage(id: string): Promise<HTMLElement> {
  const view = await api<ArtifactView>(`/api/artifacts/${enc(id)}`);
  return h(
    'section',
    { 'data-artifact-type': view.type },
    h('h1', {}, `${view.type} `, h('span', { class: 'mono' }, view.name || `#${view.id}`)),
    h('p', { class: 'muted' }, h('span', { class: 'mono' }, view.uri), ' · ', link(`#/lineage/${view.id}`, 'lineage')),
    h(
      'p',
      {},
      'produced by ',
      view.producers.length
        ? view.producers.map((p) => [
            link(`#/task/${p.executionId}`, p.path || `execution ${p.executionId}`),
            p.runId ? [' in ', link(`#/run/${enc(p.runId)}`, p.runId)] : '',
            ' ',
          ])
        : 'nothing recorded (an imported artifact)',
    ),
    ...(await rendered(view)),
    h('h2', {}, 'Metadata'),
    h('pre', { class: 'small' }, JSON.stringify(view.metadata, null, 2).slice(0, 100_000)),
    h('h2', {}, 'Files'),
    view.local
      ? h(
          'ul',
          {},
          view.files.map((f) =>
            h(
              'li',
              {},
              h('a', { href: fileUrl(view.id, f), target: '_blank', rel: 'noopener' }, f.path || '(the artifact file)'),
              ` · ${f.size} bytes`,
            ),
          ),
        )
      : h('p', { class: 'muted' }, 'not a local file under the pipeline root'),
    h('div', { class: 'previews' }, await previews(view)),
  );
}
