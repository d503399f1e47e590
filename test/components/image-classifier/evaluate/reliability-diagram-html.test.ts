import { softmaxRows } from '../../../../components/image-classifier/evaluate/probability-rows';
import { reliabilityDiagramHtml } from '../../../../components/image-classifier/evaluate/reliability-diagram-html';
import { scorePredictions } from '../../../../components/image-classifier/evaluate/score-predictions';
import { makeV3 } from './vectors';

describe('reliabilityDiagramHtml', () => {
  const { logits, labels } = makeV3();
  const before = scorePredictions(softmaxRows(logits, 10), labels, 10);
  const after = scorePredictions(softmaxRows(logits, 10, 2.0398406919), labels, 10);
  const html = reliabilityDiagramHtml({
    title: 'V3 <calibration> & "scaling"',
    series: [
      { name: 'before temperature scaling', bins: before.reliability, ece: before.ece, mce: before.mce },
      { name: 'after (T = 2.04)', bins: after.reliability, ece: after.ece },
    ],
    scalars: { top1: 0.456, temperature: 2.0398406919, samples: 1000 },
  });

  test('is one self-contained page: inline SVG and CSS, no external reference of any kind', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).not.toMatch(/\b(src|href)\s*=|url\(|@import|<script|<link|https?:/i);
  });

  test('draws one accuracy bar, one gap bar and one count bar per non-empty bin', () => {
    expect(html.match(/class="acc"/g)).toHaveLength(13 + 12);
    expect(html.match(/class="(over|under)"/g)).toHaveLength(13 + 12);
    expect(html.match(/class="count"/g)).toHaveLength(13 + 12);
    // the bin table keeps empty bins: 15 rows per series
    expect(html.match(/<tr><td>/g)).toHaveLength(30);
  });

  test('shows the ECE per series and escapes text', () => {
    expect(html).toContain('ECE 0.1383, MCE 0.2432, 15 bins, n = 1000');
    expect(html).toContain('ECE 0.1202, 15 bins, n = 1000');
    expect(html).toContain('<title>V3 &lt;calibration&gt; &amp; &quot;scaling&quot;</title>');
    expect(html).toContain('<tr><th>samples</th><td>1000</td></tr>');
  });

  test('is deterministic, and refuses an empty series list', () => {
    const again = reliabilityDiagramHtml({
      title: 'V3 <calibration> & "scaling"',
      series: [
        { name: 'before temperature scaling', bins: before.reliability, ece: before.ece, mce: before.mce },
        { name: 'after (T = 2.04)', bins: after.reliability, ece: after.ece },
      ],
      scalars: { top1: 0.456, temperature: 2.0398406919, samples: 1000 },
    });
    expect(again).toBe(html);
    expect(() => reliabilityDiagramHtml({ series: [] })).toThrow('reliability diagram needs at least one series of bins');
  });
});
