/**
 * GPU proof for the train component: in one run, trains the demo pipeline's CNN (cnn.ts
 * DEFAULT_CNN) with each backend on the same demo images (the demo's texture classes, rendered at
 * 64×64 and 224×224) through the component's own input pipeline, and prints per backend and size:
 * training images/s, the final train/val loss and accuracy, and whether the GPU run learned as well
 * as the CPU (wasm) run — val accuracy within `--tolerance` (default 0.05) at 64×64, where both
 * train to the end. At 224×224 wasm is too slow for a full run, so both backends train a short run
 * (`--epochs-224`, default 1) for throughput. With `--pytorch` it also runs
 * bench/train-gpu-pytorch.py (the same network in PyTorch on the same GPU) for the hardware's
 * reference point and prints it beside.
 *
 *   node -r ./project/register-ts.js bench/train-gpu.ts [--backends=webgpu,wasm] [--per-class=200]
 *     [--epochs=10] [--epochs-224=1] [--per-class-224=48] [--batch=32] [--tolerance=0.05] [--pytorch] [--json=FILE]
 *
 * On the lent H100: bench/gpu/run-on-device.sh (see bench/gpu/README.md).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { makeDemoImageSet } from '../components/image-classifier/demo-data/make-demo-image-set';
import { chooseTrainingBackend, parseBackendPreference, type BackendChoice } from '../components/image-classifier/train/backend-choice';
import { DEFAULT_CNN, buildCnn } from '../components/image-classifier/train/cnn';
import { DEFAULT_AUGMENTATION } from '../components/image-classifier/train/augment';
import type { LabelledImage } from '../components/image-classifier/train/image-dataset';
import { trainClassifier, type EpochMetrics } from '../components/image-classifier/train/training-loop';
import { numericOption, stringOption } from './options';

const CLASSES = ['checker', 'ring', 'stripes'] as const;
const SEED = 7;

const backends = stringOption('backends', 'webgpu,wasm')
  .split(',')
  .map((name) => parseBackendPreference(name.trim()));
const perClass = numericOption('per-class', 200);
const perClass224 = numericOption('per-class-224', 48);
const epochs = numericOption('epochs', 10);
const epochs224 = numericOption('epochs-224', 1);
const BATCH = numericOption('batch', 32);
const tolerance = Number(stringOption('tolerance', '0.05'));
const jsonFile = stringOption('json', '');
const withPytorch = process.argv.includes('--pytorch');

interface DemoSplit {
  readonly train: LabelledImage[];
  readonly val: LabelledImage[];
}

/** The demo's texture classes at `size` px; every fifth image of a class goes to val. */
async function demoImages(size: number, count: number): Promise<DemoSplit> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kfp-ts-gpu-bench-${size}-`));
  const set = await makeDemoImageSet({ dir, classes: [...CLASSES], perClass: count, size, seed: SEED, nearDuplicates: 0 });
  const split: DemoSplit = { train: [], val: [] };
  const seen = new Map<string, number>();
  for (const row of set.rows) {
    if (row.kind !== 'image') continue;
    const label = set.classes.indexOf(row.label);
    const n = seen.get(row.label) ?? 0;
    seen.set(row.label, n + 1);
    const image = { encoded: fs.readFileSync(path.join(dir, row.image)), label, filename: row.image };
    (n % 5 === 4 ? split.val : split.train).push(image);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return split;
}

interface Row {
  readonly backend: string;
  readonly device: string;
  readonly size: number;
  readonly epochs: number;
  readonly trainImages: number;
  /** Training images/s over the epochs after the first (the first compiles shaders / warms up). */
  readonly imagesPerSecond: number;
  readonly last: EpochMetrics;
}

async function trainRun(choice: BackendChoice, size: number, data: DemoSplit, epochCount: number): Promise<Row> {
  const model = buildCnn({ ...DEFAULT_CNN, imageSize: size, numClasses: CLASSES.length, seed: SEED });
  try {
    const result = await trainClassifier(model, data.train, data.val, {
      epochs: epochCount,
      batchSize: BATCH,
      learningRate: 1e-3,
      patience: 0,
      imageSize: size,
      numClasses: CLASSES.length,
      augment: DEFAULT_AUGMENTATION,
      seed: SEED,
      log: (line) => console.log(`  [${choice.backend} ${size}px] ${line}`),
    });
    const timed = result.history.length > 1 ? result.history.slice(1) : result.history;
    const imagesPerSecond = timed.reduce((sum, m) => sum + m.trainImagesPerSecond, 0) / timed.length;
    return {
      backend: choice.backend,
      device: choice.device,
      size,
      epochs: epochCount,
      trainImages: data.train.length,
      imagesPerSecond,
      last: result.history[result.history.length - 1]!,
    };
  } finally {
    model.dispose();
  }
}

function pytorchReference(): Record<string, number> | string {
  const script = path.join(__dirname, 'train-gpu-pytorch.py');
  const run = spawnSync('python3', [script, '--json'], { encoding: 'utf8', timeout: 300_000 });
  if (run.status !== 0)
    return `PyTorch run failed (${run.error?.message ?? `exit ${run.status}`}): ${(run.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}`;
  const lastLine = run.stdout.trim().split('\n').pop() ?? '{}';
  return JSON.parse(lastLine) as Record<string, number>;
}

async function main(): Promise<void> {
  console.log(
    `GPU training bench: ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, Node ${process.version}, tfjs ${tf.version.tfjs}, ${new Date().toISOString().slice(0, 10)}`,
  );
  const data64 = await demoImages(64, perClass);
  const data224 = await demoImages(224, perClass224);
  console.log(
    `data: 64px ${data64.train.length} train / ${data64.val.length} val; 224px ${data224.train.length} train / ${data224.val.length} val; classes ${CLASSES.join(', ')}`,
  );
  const rows: Row[] = [];
  for (const backend of backends) {
    const choice = await chooseTrainingBackend(backend, (line) => console.log(line));
    rows.push(await trainRun(choice, 64, data64, epochs));
    rows.push(await trainRun(choice, 224, data224, epochs224));
  }
  const reference = withPytorch ? pytorchReference() : undefined;

  const header = [
    'backend',
    'device',
    'input',
    'epochs',
    'train img/s',
    'train loss',
    'train acc',
    'val loss',
    'val acc',
    'PyTorch img/s (same GPU)',
  ];
  const table = rows.map((row) => [
    row.backend,
    row.device,
    `${row.size}×${row.size}`,
    String(row.epochs),
    row.imagesPerSecond.toFixed(1),
    row.last.trainLoss.toFixed(4),
    row.last.trainAccuracy.toFixed(3),
    row.last.valLoss.toFixed(4),
    row.last.valAccuracy.toFixed(3),
    typeof reference === 'object' ? (reference[`fp32_${row.size}_b${BATCH}`]?.toFixed(0) ?? '–') : '–',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`\n${line(header)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n${table.map(line).join('\n')}`);
  if (typeof reference === 'string') console.log(`\nPyTorch reference: ${reference}`);
  else if (reference)
    console.log(
      `\nPyTorch reference (same network, Adam, batch ${BATCH}, random data, mean of 100 steps after 20 warm-up): ${JSON.stringify(reference)}`,
    );

  const cpu = rows.find((row) => row.size === 64 && (row.backend === 'wasm' || row.backend === 'cpu'));
  const gpu = rows.find((row) => row.size === 64 && (row.backend === 'webgpu' || row.backend === 'tensorflow'));
  let verdict = 'learning check skipped (needs a GPU and a CPU backend in --backends)';
  if (cpu && gpu) {
    const gap = Math.abs(gpu.last.valAccuracy - cpu.last.valAccuracy);
    verdict = `${gap <= tolerance ? 'PASS' : 'FAIL'}: ${gpu.backend} val accuracy ${gpu.last.valAccuracy.toFixed(3)} vs ${cpu.backend} ${cpu.last.valAccuracy.toFixed(3)} after ${epochs} epochs at 64×64 (|gap| ${gap.toFixed(3)}, tolerance ${tolerance}); val loss ${gpu.last.valLoss.toFixed(4)} vs ${cpu.last.valLoss.toFixed(4)}; speed-up ${(gpu.imagesPerSecond / cpu.imagesPerSecond).toFixed(1)}×`;
  }
  console.log(`\n${verdict}`);
  if (jsonFile) fs.writeFileSync(jsonFile, `${JSON.stringify({ rows, reference, verdict }, null, 2)}\n`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
