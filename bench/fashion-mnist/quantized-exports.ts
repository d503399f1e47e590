/**
 * The quantization figures of `npm run bench:quality`: the run's trained model exported with
 * float16 and with uint8 weights by the pipeline's own `export-quantized` step code (its
 * implementation, called in-process with the run's Model, model card and test split), so the
 * figures are the ones the step computes, for both precisions whichever `appQuantization` the run
 * used.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KfpTsError } from '../../compiler/errors/kfp-ts-error';
import { EXPORT_DEFAULTS, exportQuantized } from '../../components/image-classifier/export/component';
import { QuantizationToleranceError } from '../../components/image-classifier/export/quantization-check';
import type { WeightQuantization } from '../../components/image-classifier/export/quantize-weights';

/** The export step's inputs, found in a run's folder. */
export interface QuantizationInputs {
  readonly model: string;
  readonly modelCard: string;
  readonly test: string;
}

/** How one precision of the model scored on the test split. */
export interface QuantizationRow {
  readonly weights: 'float32' | WeightQuantization;
  readonly top1: number;
  readonly top3: number;
  /** ECE of the probabilities at the evaluate step's temperature. */
  readonly ece: number;
  readonly eceUncalibrated: number;
  /** Share of test images with the float32 model's top-1 class; null for float32 itself. */
  readonly sameTop1AsFloat32: number | null;
  readonly weightBytes: number;
  /** model.json + weights: what an app downloads. */
  readonly downloadBytes: number;
  /** Whether the export step's tolerance held; null for float32. */
  readonly withinTolerance: boolean | null;
  /** The step's message when it did not. */
  readonly toleranceError: string | null;
  /** The step's Markdown report (absent for float32). */
  readonly report: string | null;
}

export interface QuantizationFigures {
  readonly testImages: number;
  readonly temperature: number;
  readonly maxTop1Drop: number;
  readonly maxEceIncrease: number;
  /** Float32 weights with fewer values than this were left unquantized. */
  readonly keepFloat32Below: number;
  readonly rows: readonly QuantizationRow[];
}

/** A run folder the export inputs cannot be found in. */
export class RunOutputsError extends KfpTsError {
  override readonly name = 'RunOutputsError';
}

const PRECISIONS: readonly WeightQuantization[] = ['float16', 'uint8'];

/** The local folder of output artifact `name` of `task`, from the executor_output.json the step wrote. */
function artifactFolder(runRoot: string, task: string, name: string): string {
  const file = path.join(runRoot, task, 'executor_output.json');
  if (!fs.existsSync(file)) {
    throw new RunOutputsError(
      `${file} is missing: ${runRoot} is not a finished image-classifier run folder (pass …/outputs/image-classifier/<run id>, whose ${task} step succeeded).`,
    );
  }
  let uri: unknown;
  try {
    const output = JSON.parse(fs.readFileSync(file, 'utf8')) as { artifacts?: Record<string, { artifacts?: { uri?: unknown }[] }> };
    uri = output.artifacts?.[name]?.artifacts?.[0]?.uri;
  } catch (error) {
    throw new RunOutputsError(
      `cannot parse ${file}: ${(error as Error).message}; the ${task} step did not finish, run the pipeline again.`,
    );
  }
  if (typeof uri !== 'string') throw new RunOutputsError(`${file} records no '${name}' artifact; is ${runRoot} an image-classifier run?`);
  // The local runner records local paths (file:// where a pipeline root is given as a URL).
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri) && !uri.startsWith('file://')) {
    throw new RunOutputsError(`the ${task} step's '${name}' is at ${uri}, not on this machine; copy the run's outputs here first.`);
  }
  const folder = uri.startsWith('file://') ? fileURLToPath(uri) : uri;
  if (!fs.existsSync(folder))
    throw new RunOutputsError(
      `the ${task} step's '${name}' (${folder}, from ${file}) is missing; the run's outputs were moved or deleted.`,
    );
  return folder;
}

/** The trained Model, the evaluate step's model card and the preprocessed test split of a run. */
export function quantizationInputsOf(runRoot: string): QuantizationInputs {
  if (!fs.existsSync(runRoot) || !fs.statSync(runRoot).isDirectory())
    throw new RunOutputsError(`${runRoot} is not a folder; pass a run folder (…/outputs/image-classifier/<run id>).`);
  return {
    model: artifactFolder(runRoot, 'train', 'model'),
    modelCard: artifactFolder(runRoot, 'evaluate', 'modelCard'),
    test: artifactFolder(runRoot, 'preprocess', 'test'),
  };
}

const artifact = (where: string) => ({ uri: where, path: where, metadata: {} as Record<string, unknown> });

function metric(metrics: Readonly<Record<string, unknown>>, name: string, where: string): number {
  const value = metrics[name];
  if (typeof value !== 'number')
    throw new Error(
      `the export step logged no '${name}' metric in ${where}; its metrics changed, update bench/fashion-mnist/quantized-exports.ts.`,
    );
  return value;
}

interface Export {
  readonly metrics: Readonly<Record<string, unknown>>;
  readonly toleranceError: string | null;
  readonly report: string;
}

/** Runs the export step for `quantization` into `outDir`; a tolerance failure is a figure, not an error. */
async function exportWith(inputs: QuantizationInputs, quantization: WeightQuantization, outDir: string): Promise<Export> {
  fs.rmSync(outDir, { recursive: true, force: true });
  const outputs = {
    quantizedModel: artifact(path.join(outDir, 'model')),
    metrics: artifact(path.join(outDir, 'metrics.json')),
    report: artifact(path.join(outDir, 'report.md')),
  };
  let toleranceError: string | null = null;
  try {
    await exportQuantized.implementation({
      inputs: {
        ...EXPORT_DEFAULTS,
        quantization,
        model: artifact(inputs.model),
        modelCard: artifact(inputs.modelCard),
        test: artifact(inputs.test),
      },
      outputs,
    });
  } catch (error) {
    // The step writes its metrics and report before failing on the tolerance (component.ts).
    if (!(error instanceof QuantizationToleranceError)) throw error;
    toleranceError = error.message;
  }
  return { metrics: outputs.metrics.metadata, toleranceError, report: outputs.report.path };
}

/**
 * Scores the float32 model and its float16 and uint8 exports on the test split, with the export
 * step's default tolerance and small-weight rule; the exports and their reports go under `outDir`.
 */
export async function scoreQuantizedExports(inputs: QuantizationInputs, outDir: string): Promise<QuantizationFigures> {
  const exports = new Map<WeightQuantization, Export>();
  for (const quantization of PRECISIONS) exports.set(quantization, await exportWith(inputs, quantization, path.join(outDir, quantization)));
  const first = exports.get(PRECISIONS[0]!)!;
  const where = first.report;
  // The float model is scored by each export; the same weights on the same images give the same logits.
  for (const [quantization, other] of exports) {
    for (const name of ['float_top1', 'float_ece']) {
      if (metric(other.metrics, name, where) !== metric(first.metrics, name, where)) {
        throw new Error(
          `the float32 model's ${name} differs between the ${PRECISIONS[0]} and ${quantization} exports (${first.metrics[name]} vs ${other.metrics[name]}); its inference is not deterministic on this backend.`,
        );
      }
    }
  }
  const m = (name: string) => metric(first.metrics, name, where);
  const float32: QuantizationRow = {
    weights: 'float32',
    top1: m('float_top1'),
    top3: m('float_top3'),
    ece: m('float_ece'),
    eceUncalibrated: m('float_ece_uncalibrated'),
    sameTop1AsFloat32: null,
    weightBytes: m('float_weight_bytes'),
    downloadBytes: m('float_bytes'),
    withinTolerance: null,
    toleranceError: null,
    report: null,
  };
  const quantizedRows = PRECISIONS.map((quantization): QuantizationRow => {
    const done = exports.get(quantization)!;
    const q = (name: string) => metric(done.metrics, name, done.report);
    return {
      weights: quantization,
      top1: q('quantized_top1'),
      top3: q('quantized_top3'),
      ece: q('quantized_ece'),
      eceUncalibrated: q('quantized_ece_uncalibrated'),
      sameTop1AsFloat32: q('top1_agreement'),
      weightBytes: q('quantized_weight_bytes'),
      downloadBytes: q('quantized_bytes'),
      withinTolerance: q('within_tolerance') === 1,
      toleranceError: done.toleranceError,
      report: done.report,
    };
  });
  return {
    testImages: m('test_images'),
    temperature: m('temperature'),
    maxTop1Drop: m('max_top1_drop'),
    maxEceIncrease: m('max_ece_increase'),
    keepFloat32Below: EXPORT_DEFAULTS.keepFloat32Below,
    rows: [float32, ...quantizedRows],
  };
}
