/** The page's DOM-free parts: the Markdown parser and the classification metadata shapes it draws. */
import { slicedClassificationMetricsOf } from '../../compiler';
import { parseMarkdown } from '../../viewer/web/markdown-parse';
import { confidenceCurves, evaluationSlices } from '../../viewer/web/metric-shapes';

describe('parseMarkdown', () => {
  it('parses headings, lists, code, emphasis and http(s) links', () => {
    expect(
      parseMarkdown(
        '# Report\n\nSome *good* and **bold** `code` [docs](https://example.com/x).\n\n- one\n- two\n\n1. first\n\n```\nx < y\n```',
      ),
    ).toEqual([
      { tag: 'h2', children: ['Report'] },
      {
        tag: 'p',
        children: [
          'Some ',
          { tag: 'em', children: ['good'] },
          ' and ',
          { tag: 'strong', children: ['bold'] },
          ' ',
          { tag: 'code', text: 'code' },
          ' ',
          { tag: 'a', href: 'https://example.com/x', text: 'docs' },
          '.',
        ],
      },
      { tag: 'ul', items: [['one'], ['two']] },
      { tag: 'ol', items: [['first']] },
      { tag: 'pre', text: 'x < y' },
    ]);
  });

  it('keeps raw HTML as text and turns links to other schemes into text', () => {
    const html = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    expect(parseMarkdown(html)).toEqual([{ tag: 'p', children: [html] }]);
    expect(parseMarkdown('[click](javascript:alert(1)) [data](data:text/html,<b>x</b>)')).toEqual([
      { tag: 'p', children: ['[click](javascript:alert(1)', ') ', '[data](data:text/html,<b>x</b>)'] },
    ]);
  });
});

describe('classification metadata shapes', () => {
  it('gives each slice of SlicedClassificationMetrics its ClassificationMetrics', () => {
    const target = { metadata: {} as Record<string, unknown> };
    slicedClassificationMetricsOf(target)
      .slice('US')
      .logConfusionMatrix(
        ['a', 'b'],
        [
          [1, 2],
          [3, 4],
        ],
      )
      .logRocDataPoint({ fpr: 0.1, tpr: 0.7, threshold: 0.5 });
    slicedClassificationMetricsOf(target)
      .slice('FR')
      .logConfusionMatrix(
        ['a', 'b'],
        [
          [5, 0],
          [0, 5],
        ],
      );
    const slices = evaluationSlices(target.metadata);
    expect(slices.map((s) => s.slice)).toEqual(['US', 'FR']);
    expect(slices[0]!.metrics['confusionMatrix']).toEqual({
      annotationSpecs: [{ displayName: 'a' }, { displayName: 'b' }],
      rows: [{ row: [1, 2] }, { row: [3, 4] }],
    });
    expect(confidenceCurves(slices[0]!.metrics)).toEqual({ roc: [[0.1, 0.7]], precisionRecall: [] });
  });

  it('draws precision-recall only from points that carry precision', () => {
    const kfp = {
      confidenceMetrics: [
        { confidenceThreshold: 0.2, recall: 0.9, falsePositiveRate: 0.5 },
        { confidenceThreshold: 0.8, recall: 0.4, falsePositiveRate: 0.1 },
      ],
    };
    expect(confidenceCurves(kfp)).toEqual({
      roc: [
        [0.1, 0.4],
        [0.5, 0.9],
      ],
      precisionRecall: [],
    });
    const vertex = {
      confidenceMetrics: [
        { confidenceThreshold: 0.8, recall: 0.4, falsePositiveRate: 0.1, precision: 0.95 },
        { confidenceThreshold: 0.2, recall: 0.9, falsePositiveRate: 0.5, precision: 0.7 },
      ],
    };
    expect(confidenceCurves(vertex)!.precisionRecall).toEqual([
      [0.4, 0.95],
      [0.9, 0.7],
    ]);
    expect(confidenceCurves({})).toBeUndefined();
  });
});
