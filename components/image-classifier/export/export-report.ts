/**
 * The export step's Markdown report: the float and the quantized model side by side (top-1, top-3,
 * ECE, bytes), the tolerance and its outcome, and how each weight was stored.
 */
import type { QuantizationComparison, QuantizationTolerance } from './quantization-check';
import type { QuantizedModelFolder } from './quantized-model-folder';
import type { WeightQuantization } from './quantize-weights';

export interface ExportReportInput {
  readonly quantization: WeightQuantization;
  readonly folder: QuantizedModelFolder;
  readonly comparison: QuantizationComparison;
  readonly tolerance: QuantizationTolerance;
  /** Whether the quantized model met the tolerance. */
  readonly passed: boolean;
}

const f4 = (value: number) => value.toFixed(4);
/** A change to 4 decimals, signed; one that rounds to 0 is ±0.0000 (not −0.0000). */
const signed = (value: number) => {
  const shown = Math.abs(value).toFixed(4);
  return `${Number(shown) === 0 ? '±' : value > 0 ? '+' : '−'}${shown}`;
};
const bytes = (value: number) => String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

export function exportReportMarkdown(input: ExportReportInput): string {
  const { quantization, folder, comparison: c, tolerance } = input;
  const ratio = (folder.float.weights / Math.max(1, folder.quantized.weights)).toFixed(2);
  const quantizedWeights = folder.weights.filter((w) => w.storedAs === quantization);
  const keptWeights = folder.weights.filter((w) => w.storedAs !== quantization);
  const lines = [
    `# Quantized model (${quantization})`,
    '',
    `${input.passed ? 'Within' : '**Outside**'} the tolerance (top-1 drop ≤ ${tolerance.maxTop1Drop}, ECE increase ≤ ${tolerance.maxEceIncrease}) on ${c.samples} test images, ` +
      `both models with the float model's temperature ${c.temperature.toFixed(4)}.`,
    '',
    `| | float32 | ${quantization} | change |`,
    '|---|---:|---:|---:|',
    `| top-1 | ${f4(c.float.top1)} | ${f4(c.quantized.top1)} | ${signed(-c.top1Drop)} |`,
    `| top-3 | ${f4(c.float.top3)} | ${f4(c.quantized.top3)} | ${signed(c.quantized.top3 - c.float.top3)} |`,
    `| ECE (temperature-scaled) | ${f4(c.float.ece)} | ${f4(c.quantized.ece)} | ${signed(c.eceIncrease)} |`,
    `| ECE (raw softmax) | ${f4(c.float.eceUncalibrated)} | ${f4(c.quantized.eceUncalibrated)} | ${signed(c.quantized.eceUncalibrated - c.float.eceUncalibrated)} |`,
    `| weights bytes | ${bytes(folder.float.weights)} | ${bytes(folder.quantized.weights)} | ${ratio}× smaller |`,
    `| model.json + weights bytes | ${bytes(folder.float.total)} | ${bytes(folder.quantized.total)} | |`,
    '',
    `Same top-1 class for ${(100 * c.agreement).toFixed(2)} % of the test images; the largest change of a calibrated probability is ${c.maxProbabilityChange.toExponential(2)}.`,
    '',
    `${quantizedWeights.length} weights stored as ${quantization}` +
      (keptWeights.length > 0
        ? `, ${keptWeights.length} small ones unchanged (${keptWeights.map((w) => `${w.name}: ${w.values} values`).join(', ')})`
        : '') +
      '.',
    '',
    '| weight | values | stored as | bytes | max abs error |',
    '|---|---:|---|---:|---:|',
    ...folder.weights.map(
      (w) => `| ${w.name} | ${bytes(w.values)} | ${w.storedAs} | ${bytes(w.bytes)} | ${w.maxAbsError.toExponential(2)} |`,
    ),
    '',
  ];
  return lines.join('\n');
}
