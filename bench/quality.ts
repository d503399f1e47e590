/**
 * `npm run bench:quality`: how good a model the image-classifier pipeline trains on real data.
 *
 *   1. converts Fashion-MNIST from the Debian package (dataset-fashion-mnist) into grey PNGs and a
 *      manifest.csv whose split column fixes every row: `--per-class` training images per class
 *      (default 1000, sampled with `--seed`; `--full` takes all 60,000 minus validation),
 *      `--val-per-class` validation images per class (default 100, other official training images)
 *      and all 10,000 official test images as `test` (bench/fashion-mnist/convert.ts);
 *   2. compiles pipelines/image-classifier.ts and runs it with the local runner, as `npm run demo`
 *      does, with imageSize 28 and the train step's defaults (`--epochs N` overrides the
 *      pipeline's epochs); caching is off so every step is measured (`--cache` reuses
 *      unchanged steps, e.g. preprocess when only training changed); the gate and deploy steps
 *      run too, and the local prediction server they start is stopped at the end;
 *   3. trains the same network in PyTorch on the CPU (bench/quality-pytorch.py: rebuilt from the
 *      kfp-ts model's model.json, the same training images after dedupe, the same epochs, batch
 *      size and optimizer settings, as many threads as the train step's one core), unless
 *      `--no-pytorch` or torch is missing;
 *   4. prints markdown tables: top-1, top-3, ECE before and after temperature scaling, train
 *      images/s, beside PyTorch and the published figure; the data each split kept; wall time
 *      per stage; the machine's load. The figures are also written to results.json.
 *   5. exports the trained model with float16 and with uint8 weights through the export step's own
 *      code and prints their top-1, top-3, ECE and size beside the float32 model's
 *      (bench/fashion-mnist/quantized-exports.ts); `--quantization-only RUN_FOLDER` does only this,
 *      for a run that has finished (…/outputs/image-classifier/<run id>), training nothing.
 *
 *   npm run bench:quality -- [--per-class 1000 | --full] [--val-per-class 100] [--epochs N] [--seed 42]
 *                            [--data /usr/share/datasets/fashion-mnist] [--out .kfp-ts/bench-quality] [--no-pytorch] [--cache]
 *   npm run bench:quality -- --quantization-only RUN_FOLDER [--out .kfp-ts/bench-quality]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { UsageError } from '../cli/sub-command';
import { parseArgs, positiveIntegerOption } from '../cli/parse-args';
import { putKfpTsOnPath } from '../cli/kfp-ts-on-path';
import { projectOptionsFor } from '../cli/project-options';
import { compilePipeline } from '../compiler/synth/compile-pipeline';
import { runPipeline, type RunResult } from '../runner/run-pipeline';
import { TerminalReporter } from '../cli/terminal-reporter';
import { stopDetachedServer } from '../serving/detached-server';
import { gcpcLocalLaunchers } from '../serving/gcpc-launchers';
import { readImageDataset } from '../components/image-classifier/train/image-dataset';
import { IdxFormatError } from './fashion-mnist/idx';
import {
  FASHION_MNIST_DIR,
  FashionMnistMissingError,
  loadFashionMnist,
  missingFashionMnistFiles,
  INSTALL_HINT,
} from './fashion-mnist/dataset';
import { SampleSizeError } from './fashion-mnist/sample';
import { convertFashionMnist, existingSelection, officialIndexOf, type Selection } from './fashion-mnist/convert';
import { pytorchUnavailable, runPytorchBaseline, type PytorchResult } from './fashion-mnist/pytorch-baseline';
import { pytorchSettingsFrom, type TrainHyperparameters } from './fashion-mnist/mirror-settings';
import { markdownTable, qualityTable, type QualityColumn } from './fashion-mnist/quality-table';
import { RunOutputsError, quantizationInputsOf, scoreQuantizedExports, type QuantizationFigures } from './fashion-mnist/quantized-exports';
import { quantizationTable } from './fashion-mnist/quantization-table';
import imageClassifier from '../pipelines/image-classifier';

const PIPELINE_FILE = path.join(__dirname, '..', 'pipelines', 'image-classifier.ts');
/** Fashion-MNIST's images are 28 × 28; the network sees them at their own size. */
const IMAGE_SIZE = 28;
/**
 * The two-convolution network's published top-1 on the full training set: the figure the issue
 * quotes for the TensorFlow tutorial's convnet (two 3×3 conv + pool blocks, dense, softmax).
 */
const PUBLISHED_TWO_CONV_TOP1 = 0.916;
const USAGE = `Usage: npm run bench:quality -- [--per-class 1000 | --full] [--val-per-class 100] [--epochs N] [--seed 42]
                              [--data ${FASHION_MNIST_DIR}] [--out .kfp-ts/bench-quality] [--no-pytorch] [--cache]
       npm run bench:quality -- --quantization-only RUN_FOLDER [--out .kfp-ts/bench-quality]

Converts Fashion-MNIST (sudo apt-get install dataset-fashion-mnist) into images + manifest.csv, runs
pipelines/image-classifier.ts on it, trains the same network in PyTorch (python3-torch) when
/usr/bin/python3 has it, and prints top-1, top-3, ECE and train images/s side by side.
`;
const PYTORCH_TIMEOUT_MS = 3 * 60 * 60 * 1000;

interface ExecutorOutput {
  readonly parameterValues?: Record<string, unknown>;
  readonly artifacts?: Record<
    string,
    { readonly artifacts: readonly { readonly uri?: string; readonly metadata?: Record<string, unknown> }[] }
  >;
}

function executorOutput(runRoot: string, task: string): ExecutorOutput {
  const file = path.join(runRoot, task, 'executor_output.json');
  if (!fs.existsSync(file)) throw new Error(`the ${task} step left no ${file}; see its executor.log beside it.`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ExecutorOutput;
}

const artifactMetadata = (output: ExecutorOutput, name: string) => output.artifacts?.[name]?.artifacts[0]?.metadata ?? {};
const num = (value: unknown, what: string): number => {
  if (typeof value !== 'number') throw new Error(`${what} is missing from the run's outputs (got ${JSON.stringify(value)}).`);
  return value;
};

/** Seconds a task of the run took, by its name (the last segment of its path). */
function taskSeconds(result: RunResult, name: string): number | undefined {
  const task = result.tasks.find((t) => t.path === name || t.path.endsWith(`/${name}`) || t.path.endsWith(`.${name}`));
  return task?.durationMs === undefined ? undefined : task.durationMs / 1000;
}

/** The official training indices of the images the preprocess step kept for training. */
function keptTrainIndices(trainDatasetDir: string): number[] {
  const { images } = readImageDataset(trainDatasetDir, 'train Dataset');
  return images.map((image) => {
    const official = officialIndexOf(image.filename);
    if (official?.set !== 'train') throw new Error(`train record ${image.filename} is not one of the converted training images.`);
    return official.index;
  });
}

/** The network's input channels, from the first layer's batch_input_shape in model.json. */
function inputChannels(modelJson: string): number {
  const topology = JSON.parse(fs.readFileSync(modelJson, 'utf8')).modelTopology;
  const layers = (topology.config.layers ?? topology.config) as { config: { batch_input_shape?: number[] } }[];
  const shape = layers.find((layer) => layer.config.batch_input_shape)?.config.batch_input_shape;
  return shape?.[shape.length - 1] ?? 3;
}

/** A task's wall time for the stage table: seconds, or 'cached' when --cache reused it. */
function stageTime(result: RunResult, name: string): string {
  const task = result.tasks.find((t) => t.path === name || t.path.endsWith(`/${name}`) || t.path.endsWith(`.${name}`));
  return task?.state === 'cached' ? 'cached (--cache)' : seconds(taskSeconds(result, name));
}

/**
 * The float32 / float16 / uint8 table of the run in `runRoot`, also written to results.json beside
 * the exports; a failure is reported in place of the table, so the other figures still stand.
 */
async function quantizationSection(
  runRoot: string,
  outRoot: string,
): Promise<{ readonly text: string; readonly figures: QuantizationFigures | string }> {
  const outDir = path.join(outRoot, 'quantization', path.basename(runRoot));
  console.log(`\nExporting the trained model with float16 and uint8 weights into ${outDir} …`);
  const started = performance.now();
  try {
    const figures = await scoreQuantizedExports(quantizationInputsOf(runRoot), outDir);
    const took = (performance.now() - started) / 1000;
    fs.writeFileSync(path.join(outDir, 'results.json'), `${JSON.stringify({ runRoot, seconds: took, ...figures }, null, 2)}\n`);
    const heading = `## Quantized exports (run ${path.basename(runRoot)}; ${took.toFixed(0)} s)`;
    return { text: `\n${heading}\n\n${quantizationTable(figures)}`, figures };
  } catch (error) {
    const why = `failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
    return { text: `\nQuantization table not made: ${why}`, figures: why };
  }
}

const loadLine = () =>
  `load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')} (1/5/15 min) on ${os.cpus().length} CPU(s)`;
const seconds = (value: number | undefined) => (value === undefined ? '–' : value.toFixed(1));

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, {
    values: {
      perClass: ['--per-class'],
      valPerClass: ['--val-per-class'],
      epochs: ['--epochs'],
      seed: ['--seed'],
      data: ['--data'],
      out: ['--out'],
      quantizationOnly: ['--quantization-only'],
    },
    flags: { full: ['--full'], noPytorch: ['--no-pytorch'], cache: ['--cache'], help: ['--help'] },
  });
  if (args.flags['help']) {
    process.stdout.write(USAGE);
    return 0;
  }
  const quantizationOnly = args.values['quantizationOnly'];
  if (quantizationOnly !== undefined) {
    const spelling = (key: string) => `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
    const others = [
      ...Object.keys(args.values).filter((key) => key !== 'quantizationOnly' && key !== 'out' && args.values[key] !== undefined),
      ...Object.keys(args.flags).filter((key) => args.flags[key]),
    ].map(spelling);
    if (others.length > 0) {
      throw new UsageError(`--quantization-only scores a finished run's model and takes only --out; drop ${others.join(', ')}.`);
    }
    // A folder that is not a finished run is the user's to fix: the message says so, before any work.
    quantizationInputsOf(path.resolve(quantizationOnly));
    const out = path.resolve(args.values['out'] ?? path.join('.kfp-ts', 'bench-quality'));
    const section = await quantizationSection(path.resolve(quantizationOnly), out);
    console.log(section.text);
    return typeof section.figures === 'string' ? 1 : 0;
  }
  if (args.flags['full'] && args.values['perClass'] !== undefined) throw new UsageError('give --full or --per-class, not both.');
  const perClass: number | 'all' = args.flags['full'] ? 'all' : (positiveIntegerOption(args.values['perClass'], '--per-class') ?? 1000);
  const valPerClass = positiveIntegerOption(args.values['valPerClass'], '--val-per-class') ?? 100;
  const epochs = positiveIntegerOption(args.values['epochs'], '--epochs');
  const seed = args.values['seed'] === undefined ? 42 : Number(args.values['seed']);
  if (!Number.isSafeInteger(seed)) throw new UsageError(`--seed must be a whole number, got '${args.values['seed']}'.`);
  const dataDir = path.resolve(args.values['data'] ?? FASHION_MNIST_DIR);
  const outRoot = path.resolve(args.values['out'] ?? path.join('.kfp-ts', 'bench-quality'));
  const missing = missingFashionMnistFiles(dataDir);
  if (missing.length > 0) {
    process.stderr.write(`bench:quality needs Fashion-MNIST in ${dataDir} (missing ${missing.join(', ')}): ${INSTALL_HINT}.\n`);
    return 2;
  }
  const started = performance.now();
  const loadBefore = loadLine();
  console.log(
    `bench:quality — Fashion-MNIST, ${perClass === 'all' ? 'all training images' : `${perClass} training images per class`}, ${valPerClass} val per class, seed ${seed}; ${loadBefore}; Node ${process.version}`,
  );

  // 1. Data.
  const sampleOptions = { perClass, valPerClass, seed };
  const imagesDir = path.join(outRoot, `data-${perClass === 'all' ? 'full' : perClass}-val${valPerClass}-seed${seed}`);
  let convertSeconds = 0;
  let selection: Selection | undefined = existingSelection(imagesDir, dataDir, sampleOptions);
  if (selection) {
    console.log(`Reusing the converted images in ${imagesDir}`);
  } else {
    console.log(`Converting Fashion-MNIST from ${dataDir} into ${imagesDir} …`);
    const convertStarted = performance.now();
    selection = await convertFashionMnist(loadFashionMnist(dataDir), imagesDir, sampleOptions);
    convertSeconds = (performance.now() - convertStarted) / 1000;
  }
  const manifest = path.join(imagesDir, 'manifest.csv');

  // 2. The pipeline.
  putKfpTsOnPath(path.join(__dirname, '..', 'cli', 'bin', 'kfp-ts.js'));
  const project = projectOptionsFor(PIPELINE_FILE, {}, process.cwd());
  const stateDir = outRoot;
  const pipelineStarted = performance.now();
  let result: RunResult;
  try {
    result = await runPipeline(compilePipeline(imageClassifier, project.compile), {
      parameters: { manifest, imageSize: IMAGE_SIZE, seed, ...(epochs !== undefined ? { epochs } : {}) },
      // Off by default, so every step is measured; --cache reuses steps whose inputs are unchanged
      // (e.g. preprocess, when only the training settings changed), reported as cached.
      enableCaching: args.flags['cache'] === true,
      pipelineRoot: path.join(outRoot, 'outputs'),
      metadataFile: path.join(stateDir, 'metadata.sqlite'),
      workingDirectory: project.projectFolder,
      imageWorkingDirectories: project.imageWorkingDirectories,
      localLaunchers: gcpcLocalLaunchers,
      reporter: new TerminalReporter({ write: (text) => process.stdout.write(text), isTTY: false }),
    });
  } finally {
    // The deploy step starts the local prediction server; a benchmark leaves nothing running.
    await stopDetachedServer(stateDir).catch(() => undefined);
  }
  const pipelineSeconds = (performance.now() - pipelineStarted) / 1000;
  if (result.state !== 'SUCCEEDED') {
    process.stderr.write(`the pipeline run ${result.runId} ended ${result.state}: ${result.error ?? ''}\nsee ${result.runRoot}\n`);
    return 1;
  }
  const pre = executorOutput(result.runRoot, 'preprocess');
  const trainOut = executorOutput(result.runRoot, 'train');
  const evaluation = artifactMetadata(executorOutput(result.runRoot, 'evaluate'), 'metrics');
  const modelMeta = artifactMetadata(trainOut, 'model');
  const trainMetrics = artifactMetadata(trainOut, 'metrics');
  const hyperparameters = (modelMeta['hyperparameters'] ?? {}) as TrainHyperparameters;
  const modelDir = trainOut.artifacts?.['model']?.artifacts[0]?.uri ?? path.join(result.runRoot, 'train', 'model');
  const modelJson = path.join(modelDir.replace(/^file:\/\//, ''), 'model.json');
  const kept = keptTrainIndices(path.join(result.runRoot, 'preprocess', 'train'));
  const epochsRun = num(trainOut.parameterValues?.['epochsRun'], 'train epochsRun');
  const architecture = typeof hyperparameters.architecture === 'string' ? hyperparameters.architecture : "cnn (today's default)";
  const kfpTs: QualityColumn = {
    top1: num(evaluation['top1'], 'evaluate top1'),
    top3: num(evaluation['top3'], 'evaluate top3'),
    eceUncalibrated: num(evaluation['ece_uncalibrated'], 'evaluate ece_uncalibrated'),
    ece: num(evaluation['ece'], 'evaluate ece'),
    temperature: num(evaluation['temperature'], 'evaluate temperature'),
    trainImagesPerSecond: num(trainMetrics['trainImagesPerSecond'], 'train trainImagesPerSecond'),
    trainImages: kept.length,
    testImages: num(evaluation['samples'], 'evaluate samples'),
    epochs: epochsRun,
    parameters: num(modelMeta['parameters'], 'model parameters'),
  };

  // 3. PyTorch, the same network, images and epochs.
  let pytorch: PytorchResult | string;
  let pytorchSeconds: number | undefined;
  const mirrored = pytorchSettingsFrom(hyperparameters, epochsRun);
  const unavailable = args.flags['noPytorch'] ? 'skipped (--no-pytorch)' : pytorchUnavailable();
  if (unavailable) {
    pytorch = unavailable;
  } else {
    console.log(`\nPyTorch baseline: ${JSON.stringify(mirrored)}`);
    const pytorchStarted = performance.now();
    try {
      pytorch = await runPytorchBaseline(
        {
          idxDir: dataDir,
          train: kept,
          val: selection.val,
          modelJson,
          inputChannels: inputChannels(modelJson),
          threads: 1,
          seed,
          ...mirrored,
        },
        outRoot,
        (line) => console.log(line),
        PYTORCH_TIMEOUT_MS,
      );
    } catch (error) {
      pytorch = `failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    pytorchSeconds = (performance.now() - pytorchStarted) / 1000;
  }
  const totalSeconds = (performance.now() - started) / 1000;

  // 4. Tables.
  const splitCounts = (name: 'train' | 'val' | 'test') => num(pre.parameterValues?.[`${name}Count`], `preprocess ${name}Count`);
  const asked = { train: selection.train.length, val: selection.val.length, test: selection.testCount };
  const report = [
    `\n## Fashion-MNIST quality (${perClass === 'all' ? 'full training set' : `${perClass} per class`}, seed ${seed})\n`,
    qualityTable({
      kfpTs,
      kfpTsTitle: `kfp-ts (${architecture}, wasm, 1 core)`,
      pytorch,
      pytorchTitle: `PyTorch ${typeof pytorch === 'string' ? '' : pytorch.torch} (same network, CPU, 1 thread)`.replace('  ', ' '),
      published: { top1: PUBLISHED_TWO_CONV_TOP1, note: 'two-conv network, full training set' },
    }),
    '\nData (rows the manifest fixes; what preprocess kept):\n',
    markdownTable(
      ['split', 'manifest rows', 'kept', 'removed'],
      (['train', 'val', 'test'] as const).map((split) => [
        split,
        String(asked[split]),
        String(splitCounts(split)),
        String(asked[split] - splitCounts(split)),
      ]),
    ),
    `\nduplicatesRemoved ${num(pre.parameterValues?.['duplicatesRemoved'], 'preprocess duplicatesRemoved')}, badRows ${num(pre.parameterValues?.['badRows'], 'preprocess badRows')}` +
      (splitCounts('test') === asked.test
        ? '; the test split is exactly the official test set.'
        : `; WARNING: the test split lost ${asked.test - splitCounts('test')} official test images.`),
    '\nWall time (s):\n',
    markdownTable(
      ['stage', 'seconds'],
      [
        ['convert Fashion-MNIST → PNG + manifest', convertSeconds === 0 ? 'reused' : seconds(convertSeconds)],
        ['preprocess', stageTime(result, 'preprocess')],
        ['train', stageTime(result, 'train')],
        ['evaluate', stageTime(result, 'evaluate')],
        ['pipeline total (with gate, upload, deploy)', seconds(pipelineSeconds)],
        ['PyTorch baseline', seconds(pytorchSeconds)],
        ['bench total', seconds(totalSeconds)],
      ],
    ),
    `\nMachine: ${os.cpus()[0]?.model ?? 'unknown CPU'}; ${loadBefore.replace('load average', 'load average at start')}; ${loadLine().replace('load average', 'at end')}.`,
    `kfp-ts train settings: ${JSON.stringify(hyperparameters)}`,
    `Run: ${result.runRoot}`,
  ].join('\n');
  console.log(report);
  const targets = perClass === 'all' ? { top1: 0.92 } : perClass === 1000 ? { top1: 0.89 } : undefined;
  if (targets) {
    console.log(
      `\nTarget (issue 15): top-1 ≥ ${targets.top1}: ${kfpTs.top1 >= targets.top1 ? 'met' : 'NOT met'}; ECE after temperature scaling ≤ 0.03: ${kfpTs.ece <= 0.03 ? 'met' : 'NOT met'}` +
        (perClass === 1000
          ? `; under 10 minutes: ${pipelineSeconds < 600 ? 'met' : 'NOT met'} (pipeline ${pipelineSeconds.toFixed(0)} s)`
          : ''),
    );
  }
  const quantization = await quantizationSection(result.runRoot, outRoot);
  console.log(quantization.text);
  fs.writeFileSync(
    path.join(outRoot, 'results.json'),
    `${JSON.stringify({ perClass, valPerClass, seed, kfpTs, pytorch, quantization: quantization.figures, hyperparameters, pytorchSettings: mirrored, splits: { asked, kept: { train: splitCounts('train'), val: splitCounts('val'), test: splitCounts('test') } }, seconds: { convert: convertSeconds, preprocess: taskSeconds(result, 'preprocess'), train: taskSeconds(result, 'train'), evaluate: taskSeconds(result, 'evaluate'), pipeline: pipelineSeconds, pytorch: pytorchSeconds, total: totalSeconds }, runRoot: result.runRoot }, null, 2)}\n`,
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    // Wrong options and a missing or damaged data set are the user's to fix: the message says how.
    const known =
      error instanceof UsageError ||
      error instanceof RunOutputsError ||
      error instanceof FashionMnistMissingError ||
      error instanceof IdxFormatError ||
      error instanceof SampleSizeError;
    const message = known
      ? `${(error as Error).message}${error instanceof UsageError ? ' (npm run bench:quality -- --help)' : ''}`
      : error instanceof Error
        ? (error.stack ?? error.message)
        : String(error);
    process.stderr.write(`bench:quality failed: ${message}\n`);
    process.exitCode = 1;
  },
);
