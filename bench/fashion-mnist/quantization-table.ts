/** The quantization table `npm run bench:quality` prints: the float32 model beside its float16 and uint8 exports. */
import type { QuantizationFigures } from './quantized-exports';
import { markdownTable } from './quality-table';

const f4 = (value: number) => value.toFixed(4);
const bytes = (value: number) => Math.round(value).toLocaleString('en-US');

export function quantizationTable(figures: QuantizationFigures): string {
  const table = markdownTable(
    ['weights', 'top-1', 'top-3', 'ECE (temperature-scaled)', 'same top-1 as float32', 'weights bytes'],
    figures.rows.map((row) => [
      row.weights,
      f4(row.top1),
      f4(row.top3),
      f4(row.ece),
      row.sameTop1AsFloat32 === null ? '—' : `${(100 * row.sameTop1AsFloat32).toFixed(2)} %`,
      bytes(row.weightBytes),
    ]),
  );
  const tolerance = `top-1 drop ≤ ${figures.maxTop1Drop}, ECE increase ≤ ${figures.maxEceIncrease}`;
  const outcomes = figures.rows
    .filter((row) => row.withinTolerance !== null)
    .map((row) =>
      row.withinTolerance
        ? `${row.weights} within the export step's tolerance (${tolerance})`
        : `${row.weights} EXCEEDED the export step's tolerance (${tolerance}): ${row.toleranceError ?? 'see its report'}`,
    );
  return [
    table,
    '',
    `${figures.testImages.toLocaleString('en-US')} test images, every model at the evaluate step's temperature ${figures.temperature.toFixed(4)}; weights with fewer than ${figures.keepFloat32Below.toLocaleString('en-US')} values stay float32.`,
    ...outcomes.map((line) => `- ${line}`),
    ...figures.rows.flatMap((row) => (row.report === null ? [] : [`- ${row.weights} export's report: ${row.report}`])),
  ].join('\n');
}
