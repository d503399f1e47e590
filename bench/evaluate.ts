/**
 * `node -r ./project/register-ts.js bench/evaluate.ts`: the evaluate component's metric code on
 * 1,000,000 predictions of 10 classes (the V3 generator of test/components/image-classifier/evaluate/vectors.ts, scaled up), beside a
 * straightforward baseline measured in the same run: arrays of arrays, one pass per metric, objects
 * per sample, comparator sorts. Target: all metrics in under 2 s.
 *
 * Rows: every metric of scorePredictions (top-k, ECE/MCE/RMSCE, adaptive and classwise ECE, Brier,
 * NLL, confusion matrix, per-class P/R/F1); the temperature fit on the same rows as logits (Newton on
 * 1/T against a golden-section search on T); the tau/margin choice for a target precision.
 * The baseline's results are checked against ours before any time is printed. Ours is the median
 * of 3 runs after a warm-up (the temperature fit: 1 run); the baseline runs once.
 */
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import { chooseThresholdsForPrecision, fitTemperature, scorePredictions, softmaxRows } from '../components/image-classifier/evaluate';
import { makeV3 } from '../test/components/image-classifier/evaluate/vectors';

const SAMPLES = 1_000_000;
const CLASSES = 10;
const BINS = 15;

// ---- the baseline: the metrics' definitions written the obvious way ----

interface Prediction {
  confidence: number;
  predicted: number;
  margin: number;
  correct: boolean;
  label: number;
}

function baselinePredictions(rows: number[][], labels: number[]): Prediction[] {
  return rows.map((row, i) => {
    const confidence = Math.max(...row);
    const predicted = row.indexOf(confidence);
    const [first = 0, second = 0] = [...row].sort((a, b) => b - a);
    const label = labelAt(labels, i);
    return { confidence, predicted, margin: first - second, correct: predicted === label, label };
  });
}

function baselineTopK(rows: number[][], labels: number[], k: number): number {
  let hits = 0;
  rows.forEach((row, i) => {
    const ranked = row.map((p, j) => ({ p, j })).sort((a, b) => b.p - a.p || a.j - b.j);
    if (ranked.slice(0, k).some((r) => r.j === labels[i])) hits++;
  });
  return hits / rows.length;
}

function labelAt(labels: readonly number[], i: number): number {
  const label = labels[i];
  if (label === undefined) throw new Error(`row ${i} has no label: rows and labels differ in length`);
  return label;
}

/** A confusion-matrix or bin cell that the loop bounds put in range; absence would be a bug here. */
function cell<T>(row: readonly T[] | undefined, index: number): T {
  const value = row?.[index];
  if (value === undefined) throw new Error(`index ${index} out of range`);
  return value;
}

const binOf = (value: number) => Math.min(Math.max(Math.ceil(value * BINS) - 1, 0), BINS - 1);

function baselineCalibration(predictions: Prediction[]) {
  let ece = 0;
  let mce = 0;
  for (let m = 0; m < BINS; m++) {
    const members = predictions.filter((p) => binOf(p.confidence) === m);
    if (members.length === 0) continue;
    const accuracy = members.filter((p) => p.correct).length / members.length;
    const confidence = members.reduce((s, p) => s + p.confidence, 0) / members.length;
    ece += (members.length / predictions.length) * Math.abs(accuracy - confidence);
    mce = Math.max(mce, Math.abs(accuracy - confidence));
  }
  return { ece, mce };
}

function baselineAdaptiveEce(predictions: Prediction[]): number {
  const sorted = [...predictions].sort((a, b) => a.confidence - b.confidence);
  const n = sorted.length;
  let ece = 0;
  for (let m = 0; m < BINS; m++) {
    const members = sorted.slice(Math.floor((m * n) / BINS), Math.floor(((m + 1) * n) / BINS));
    if (members.length === 0) continue;
    const accuracy = members.filter((p) => p.correct).length / members.length;
    const confidence = members.reduce((s, p) => s + p.confidence, 0) / members.length;
    ece += (members.length / n) * Math.abs(accuracy - confidence);
  }
  return ece;
}

function baselineClasswiseEce(rows: number[][], labels: number[]): number {
  let total = 0;
  for (let k = 0; k < CLASSES; k++) {
    const bins: { score: number; hit: boolean }[][] = Array.from({ length: BINS }, () => []);
    rows.forEach((row, i) => {
      const score = cell(row, k);
      cell(bins, binOf(score)).push({ score, hit: labels[i] === k });
    });
    for (const members of bins) {
      if (members.length === 0) continue;
      const freq = members.filter((m) => m.hit).length / members.length;
      const mean = members.reduce((s, m) => s + m.score, 0) / members.length;
      total += (members.length / rows.length) * Math.abs(freq - mean);
    }
  }
  return total / CLASSES;
}

function baselineMetrics(rows: number[][], labels: number[]) {
  const predictions = baselinePredictions(rows, labels);
  const brier = rows.reduce((s, row, i) => s + row.reduce((t, p, k) => t + (p - (k === labels[i] ? 1 : 0)) ** 2, 0), 0) / rows.length;
  const nll = -rows.reduce((s, row, i) => s + Math.log(Math.max(cell(row, labelAt(labels, i)), 1e-12)), 0) / rows.length;
  const confusion = Array.from({ length: CLASSES }, () => new Array<number>(CLASSES).fill(0));
  for (const p of predictions) {
    const row = cell(confusion, p.label);
    row[p.predicted] = cell(row, p.predicted) + 1;
  }
  const f1 = confusion.map((row, k) => {
    const tp = cell(row, k);
    const precision =
      tp /
      Math.max(
        1,
        confusion.reduce((s, r) => s + cell(r, k), 0),
      );
    const recall =
      tp /
      Math.max(
        1,
        row.reduce((s, v) => s + v, 0),
      );
    return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  });
  return {
    top1: baselineTopK(rows, labels, 1),
    top3: baselineTopK(rows, labels, 3),
    ...baselineCalibration(predictions),
    adaptiveEce: baselineAdaptiveEce(predictions),
    classwiseEce: baselineClasswiseEce(rows, labels),
    brier,
    nll,
    macroF1: f1.reduce((s, v) => s + v, 0) / CLASSES,
    predictions,
  };
}

/** Golden-section search on T in [0.05, 100] for the minimum validation NLL (scipy-style bounded search). */
function baselineFitTemperature(logitRows: number[][], labels: number[]): number {
  const nllAt = (t: number) => {
    let total = 0;
    logitRows.forEach((row, i) => {
      const scaled = row.map((z) => z / t);
      const max = Math.max(...scaled);
      const logSum = Math.log(scaled.reduce((s, w) => s + Math.exp(w - max), 0)) + max;
      total += logSum - cell(scaled, labelAt(labels, i));
    });
    return total / logitRows.length;
  };
  const ratio = (Math.sqrt(5) - 1) / 2;
  let lo = 0.05;
  let hi = 100;
  let a = hi - ratio * (hi - lo);
  let b = lo + ratio * (hi - lo);
  let fa = nllAt(a);
  let fb = nllAt(b);
  while (hi - lo > 1e-6) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - ratio * (hi - lo);
      fa = nllAt(a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + ratio * (hi - lo);
      fb = nllAt(b);
    }
  }
  return (lo + hi) / 2;
}

/** The threshold procedure of thresholds.ts written plainly: an object per sample, filtered and sorted per margin. */
function baselineThresholds(predictions: Prediction[], target: number) {
  let best: { tau: number; margin: number; coverage: number; accuracy: number } | null = null;
  for (const margin of [0, 0.05, 0.1, 0.2]) {
    const kept = predictions.filter((p) => p.margin >= margin).sort((a, b) => b.confidence - a.confidence);
    let hits = 0;
    kept.forEach((p, k) => {
      hits += p.correct ? 1 : 0;
      if (kept[k + 1]?.confidence === p.confidence) return;
      const coverage = (k + 1) / predictions.length;
      const accuracy = hits / (k + 1);
      if (
        k + 1 >= 20 &&
        accuracy >= target &&
        (!best || coverage > best.coverage || (coverage === best.coverage && accuracy > best.accuracy))
      ) {
        best = { tau: p.confidence, margin, coverage, accuracy };
      }
    });
  }
  return best as { tau: number; margin: number; coverage: number; accuracy: number } | null;
}

// ---- measurement ----

function time<T>(run: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = run();
  return { value, ms: performance.now() - started };
}

/** Median of `runs` timings, after the first call has warmed the JIT. */
function timeOurs<T>(run: () => T, runs = 3): { value: T; ms: number } {
  const timings: { value: T; ms: number }[] = [];
  for (let r = 0; r < runs; r++) timings.push(time(run));
  timings.sort((x, y) => x.ms - y.ms);
  return cell(timings, Math.floor(runs / 2));
}

function agree(name: string, ours: number, baseline: number, tolerance = 1e-9): void {
  if (!(Math.abs(ours - baseline) <= tolerance)) throw new Error(`baseline disagrees on ${name}: ours ${ours}, baseline ${baseline}`);
}

function main(): void {
  const { logits, labels } = makeV3(SAMPLES, CLASSES);
  const probabilities = Float32Array.from(softmaxRows(logits, CLASSES));

  // Ours first, before the baseline's 2,000,000 small arrays exist: a heap full of them makes every
  // major GC slower, which would charge the baseline's input format to our time.
  scorePredictions(probabilities.subarray(0, 100_000 * CLASSES), labels.subarray(0, 100_000), CLASSES); // JIT warm-up
  const ours = timeOurs(() => scorePredictions(probabilities, labels, CLASSES));
  const oursFit = timeOurs(() => fitTemperature(logits, labels, CLASSES), 1);
  const oursCut = timeOurs(() => chooseThresholdsForPrecision(ours.value.scored, 0.9));

  const labelList = Array.from(labels);
  const rows = Array.from({ length: SAMPLES }, (_, i) => Array.from(probabilities.subarray(i * CLASSES, (i + 1) * CLASSES)));
  const base = time(() => baselineMetrics(rows, labelList));
  const baseCut = time(() => baselineThresholds(base.value.predictions, 0.9));
  rows.length = 0;
  const logitRows = Array.from({ length: SAMPLES }, (_, i) => Array.from(logits.subarray(i * CLASSES, (i + 1) * CLASSES)));
  const baseFit = time(() => baselineFitTemperature(logitRows, labelList));

  const r = ours.value;
  const b = base.value;
  for (const [name, o, v] of [
    ['top1', r.top1, b.top1],
    ['top3', r.top3, b.top3],
    ['ece', r.ece, b.ece],
    ['mce', r.mce, b.mce],
    ['adaptive ECE', r.adaptiveEce, b.adaptiveEce],
    ['classwise ECE', r.classwiseEce, b.classwiseEce],
    ['brier', r.brier, b.brier],
    ['nll', r.nll, b.nll],
    ['macro F1', r.classReport.macroF1, b.macroF1],
  ] as const)
    agree(name, o, v);
  agree('temperature', oursFit.value.temperature, baseFit.value, 1e-5);
  agree('tau', oursCut.value!.tau, baseCut.value!.tau, 0);
  agree('coverage', oursCut.value!.coverage, baseCut.value!.coverage, 0);

  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const table = [
    [
      'all metrics (float32 rows)',
      seconds(base.ms),
      seconds(ours.ms),
      `${(base.ms / ours.ms).toFixed(1)}x`,
      ours.ms < 2000 ? 'yes (< 2 s)' : 'NO (target < 2 s)',
    ],
    [
      `temperature fit (${oursFit.value.iterations} Newton steps)`,
      seconds(baseFit.ms),
      seconds(oursFit.ms),
      `${(baseFit.ms / oursFit.ms).toFixed(1)}x`,
      '',
    ],
    ['tau/margin for precision 0.9', seconds(baseCut.ms), seconds(oursCut.ms), `${(baseCut.ms / oursCut.ms).toFixed(1)}x`, ''],
  ];
  const header = [
    '1,000,000 predictions × 10 classes',
    'baseline (arrays of arrays)',
    'kfp-ts (flat typed arrays)',
    'speed-up',
    'target met',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => cell(row, i).length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(cell(widths, i))).join(' | ')} |`;
  console.log(
    `Evaluate benchmark on ${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}`,
  );
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of table) console.log(line(row));
  console.log(
    `Results agree with the baseline: top1 ${r.top1}, top3 ${r.top3}, ECE ${r.ece.toFixed(6)}, adaptive ECE ${r.adaptiveEce.toFixed(6)}, ` +
      `NLL ${r.nll.toFixed(6)}, T ${oursFit.value.temperature.toFixed(6)}, tau ${oursCut.value!.tau.toFixed(6)} at margin ${oursCut.value!.margin}.`,
  );
}

main();
