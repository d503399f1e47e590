/** The markdown tables `npm run bench:quality` prints. */

export interface QualityColumn {
  readonly top1: number;
  readonly top3: number;
  readonly eceUncalibrated: number;
  readonly ece: number;
  readonly temperature: number;
  readonly trainImagesPerSecond: number;
  readonly trainImages: number;
  readonly testImages: number;
  readonly epochs: number;
  readonly parameters: number;
}

export interface QualityTableInput {
  readonly kfpTs: QualityColumn;
  readonly kfpTsTitle: string;
  /** The PyTorch result, or why there is none. */
  readonly pytorch: QualityColumn | string;
  readonly pytorchTitle: string;
  /** The published top-1 of the network, and what it was measured on. */
  readonly published?: { readonly top1: number; readonly note: string };
}

const fixed = (digits: number) => (value: number) => value.toFixed(digits);
const whole = (value: number) => Math.round(value).toLocaleString('en-US');

const ROWS: readonly [string, keyof QualityColumn, (value: number) => string][] = [
  ['top-1 (official test images)', 'top1', fixed(4)],
  ['top-3', 'top3', fixed(4)],
  ['ECE before temperature scaling', 'eceUncalibrated', fixed(4)],
  ['ECE after temperature scaling', 'ece', fixed(4)],
  ['temperature (fitted on val)', 'temperature', fixed(3)],
  ['train images/s', 'trainImagesPerSecond', whole],
  ['train images', 'trainImages', whole],
  ['test images', 'testImages', whole],
  ['epochs', 'epochs', whole],
  ['parameters', 'parameters', whole],
];

export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

export function qualityTable(input: QualityTableInput): string {
  const { kfpTs, pytorch, published } = input;
  const header = ['', input.kfpTsTitle, input.pytorchTitle, ...(published ? ['published'] : [])];
  const rows = ROWS.map(([name, key, format]) => [
    name,
    format(kfpTs[key]),
    typeof pytorch === 'string' ? '–' : format(pytorch[key]),
    ...(published ? [key === 'top1' ? `${published.top1.toFixed(3)} (${published.note})` : ''] : []),
  ]);
  const table = markdownTable(header, rows);
  return typeof pytorch === 'string' ? `${table}\n\nPyTorch column not run: ${pytorch}` : table;
}
