import type { QuantizationFigures, QuantizationRow } from '../../../bench/fashion-mnist/quantized-exports';
import { quantizationTable } from '../../../bench/fashion-mnist/quantization-table';

const row = (
  weights: QuantizationRow['weights'],
  top1: number,
  weightBytes: number,
  within: boolean | null,
  error: string | null = null,
): QuantizationRow => ({
  weights,
  top1,
  top3: 0.98765,
  ece: 0.01234,
  eceUncalibrated: 0.05,
  sameTop1AsFloat32: within === null ? null : weights === 'uint8' ? 0.998 : 1,
  weightBytes,
  downloadBytes: weightBytes + 3000,
  withinTolerance: within,
  toleranceError: error,
  report: within === null ? null : `/out/${weights}/report.md`,
});

const figures = (uint8Within: boolean): QuantizationFigures => ({
  testImages: 10000,
  temperature: 0.65031,
  maxTop1Drop: 0.01,
  maxEceIncrease: 0.01,
  keepFloat32Below: 1024,
  rows: [
    row('float32', 0.8477, 900136, null),
    row('float16', 0.8477, 451112, true),
    row('uint8', 0.8461, 226600, uint8Within, uint8Within ? null : 'the uint8 model is not good enough'),
  ],
});

describe('quantizationTable', () => {
  it('puts float32, float16 and uint8 side by side with their sizes and the tolerance outcome', () => {
    const lines = quantizationTable(figures(true)).split('\n');
    expect(lines.slice(0, 5)).toEqual([
      '| weights | top-1 | top-3 | ECE (temperature-scaled) | same top-1 as float32 | weights bytes |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      '| float32 | 0.8477 | 0.9877 | 0.0123 | — | 900,136 |',
      '| float16 | 0.8477 | 0.9877 | 0.0123 | 100.00 % | 451,112 |',
      '| uint8 | 0.8461 | 0.9877 | 0.0123 | 99.80 % | 226,600 |',
    ]);
    expect(lines).toContain(
      "10,000 test images, every model at the evaluate step's temperature 0.6503; weights with fewer than 1,024 values stay float32.",
    );
    expect(lines).toContain("- uint8 within the export step's tolerance (top-1 drop ≤ 0.01, ECE increase ≤ 0.01)");
    expect(lines).toContain("- uint8 export's report: /out/uint8/report.md");
  });

  it('says which export exceeded the tolerance, with the step’s message', () => {
    expect(quantizationTable(figures(false))).toContain(
      "- uint8 EXCEEDED the export step's tolerance (top-1 drop ≤ 0.01, ECE increase ≤ 0.01): the uint8 model is not good enough",
    );
  });
});
