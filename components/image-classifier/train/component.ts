/**
 * The train step: TFRecord shards of the preprocess step in, a tfjs image classifier out.
 * Reads both splits (CRC verified), trains the CNN of cnn.ts with Adam, augmentation and early
 * stopping on the val loss, and writes the Model folder (trained-model.ts) and a Metrics artifact
 * with the final scalars and the per-epoch curves (training-curves.ts). The curves also go to
 * TensorBoard event files in the Model folder's `logs/` and, when Vertex AI sets
 * AIP_TENSORBOARD_LOG_DIR (a job with a TensorBoard instance), there too.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Dataset, Metrics, Model, functionComponent, t } from '../../../compiler';
import { KfpTsError } from '../../../compiler/errors/kfp-ts-error';
import { TRAIN_GPU_IMAGE } from '../images';
import { writeScalarRuns } from '../tensorboard/log-dir';
import { DEFAULT_AUGMENTATION } from './augment';
import { chooseTrainingBackend, parseBackendPreference } from './backend-choice';
import { DEFAULT_CNN, buildCnn, validateCnnOptions, type CnnOptions } from './cnn';
import { readImageDataset, requireSameLabels } from './image-dataset';
import { tensorBoardScalars, trainingCurves } from './training-curves';
import { trainClassifier, validateTrainOptions, type TrainOptions } from './training-loop';
import { preprocessingFor, saveTrainedModel } from './trained-model';

/** Defaults of the component's inputs (the executor passes every value, a default included). */
export const TRAIN_DEFAULTS = {
  epochs: 20,
  batchSize: 32,
  learningRate: 0.001,
  imageSize: 64,
  ...DEFAULT_CNN,
  augment: true,
  patience: 5,
  backend: 'auto',
  seed: 42,
} as const;

const log = (line: string) => console.log(`[train] ${line}`);

/** The Model folder's subfolder holding the TensorBoard runs: `tensorboard --logdir <model>/logs`. */
export const MODEL_LOGS_FOLDER = 'logs';

/**
 * Vertex AI's AIP_TENSORBOARD_LOG_DIR (a gs:// folder it uploads to the job's TensorBoard), or
 * undefined when unset. Read when the step runs, and checked before training starts.
 */
export function tensorBoardLogDirFromEnvironment(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env['AIP_TENSORBOARD_LOG_DIR']?.trim();
  if (!value) return undefined;
  if (value.startsWith('gs://') && !/^gs:\/\/[^/]+/.test(value)) {
    throw new KfpTsError(`AIP_TENSORBOARD_LOG_DIR is ${JSON.stringify(value)}, which names no bucket; set it to a folder such as gs://my-bucket/tensorboard/run-1 (or leave it unset).`);
  }
  return value;
}

export const train = functionComponent({
  name: 'train',
  description: 'Trains a TensorFlow.js CNN image classifier on TFRecord shards, with augmentation and early stopping on the validation loss.',
  // tfjs-node-gpu (CUDA) with Dawn/Vulkan as the fallback: containers/train-gpu.
  targetImage: TRAIN_GPU_IMAGE,
  inputs: {
    train: Dataset,
    val: Dataset,
    epochs: t.int({ default: TRAIN_DEFAULTS.epochs, description: 'Most epochs to train; early stopping may end sooner.' }),
    batchSize: t.int({ default: TRAIN_DEFAULTS.batchSize }),
    learningRate: t.float({ default: TRAIN_DEFAULTS.learningRate, description: 'Adam learning rate.' }),
    imageSize: t.int({ default: TRAIN_DEFAULTS.imageSize, description: 'Side of the square network input; stored images of another size are resized.' }),
    filters: t.int({ default: TRAIN_DEFAULTS.filters, description: 'Filters of the first convolution block; each further block doubles them.' }),
    blocks: t.int({ default: TRAIN_DEFAULTS.blocks, description: 'Convolution blocks (2×2 max pooling between them).' }),
    kernelSize: t.int({ default: TRAIN_DEFAULTS.kernelSize }),
    denseUnits: t.int({ default: TRAIN_DEFAULTS.denseUnits, description: 'Units of the hidden dense layer; 0 for none.' }),
    dropout: t.float({ default: TRAIN_DEFAULTS.dropout }),
    batchNorm: t.bool({ default: TRAIN_DEFAULTS.batchNorm, description: 'Batch normalisation after each convolution: fewer epochs to learn, about 2× the time per step on wasm.' }),
    augment: t.bool({ default: TRAIN_DEFAULTS.augment, description: 'Random horizontal flips, shifts of up to 10% and brightness jitter of ±0.1 on training batches.' }),
    patience: t.int({ default: TRAIN_DEFAULTS.patience, description: 'Epochs without a lower val loss before stopping; 0 never stops early. The best epoch\'s weights are kept.' }),
    backend: t.string({
      default: TRAIN_DEFAULTS.backend,
      description: "'auto' takes the first that works of 'tensorflow' (tfjs-node-gpu, in the GPU image), 'webgpu' (a Dawn/Vulkan GPU adapter), 'wasm', 'cpu'; naming one forces it.",
    }),
    seed: t.int({ default: TRAIN_DEFAULTS.seed, description: 'Fixes initial weights, shuffling, augmentation and dropout.' }),
  },
  outputs: {
    model: Model,
    metrics: Metrics,
    valAccuracy: t.float(),
    epochsRun: t.int(),
    trainingBackend: t.string({ description: 'The tfjs backend that trained the model (recorded on the execution).' }),
    trainingDevice: t.string({ description: 'What it computed on: the GPU adapter or the CPU model.' }),
  },
  implementation: async ({ inputs, outputs }) => {
    const settings = {
      epochs: inputs.epochs,
      batchSize: inputs.batchSize,
      learningRate: inputs.learningRate,
      imageSize: inputs.imageSize,
      filters: inputs.filters,
      blocks: inputs.blocks,
      kernelSize: inputs.kernelSize,
      denseUnits: inputs.denseUnits,
      dropout: inputs.dropout,
      batchNorm: inputs.batchNorm,
      augment: inputs.augment,
      patience: inputs.patience,
      backend: inputs.backend,
      seed: inputs.seed,
    };
    const requested = parseBackendPreference(settings.backend);
    const tensorBoardLogDir = tensorBoardLogDirFromEnvironment();
    const trainSet = readImageDataset(inputs.train.path, 'train Dataset');
    const valSet = readImageDataset(inputs.val.path, 'val Dataset');
    requireSameLabels(trainSet, valSet);
    const labels = trainSet.labels;
    const cnnOptions: CnnOptions = {
      imageSize: settings.imageSize,
      numClasses: labels.length,
      filters: settings.filters,
      blocks: settings.blocks,
      kernelSize: settings.kernelSize,
      denseUnits: settings.denseUnits,
      dropout: settings.dropout,
      batchNorm: settings.batchNorm,
      seed: settings.seed,
    };
    const trainOptions: TrainOptions = {
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      learningRate: settings.learningRate,
      patience: settings.patience,
      imageSize: settings.imageSize,
      numClasses: labels.length,
      ...(settings.augment ? { augment: DEFAULT_AUGMENTATION } : {}),
      seed: settings.seed,
      log,
    };
    // Every input is checked before the slow part starts.
    validateCnnOptions(cnnOptions);
    validateTrainOptions(trainOptions);
    const startedAt = Date.now() / 1000;
    log(`train: ${trainSet.images.length} images in ${trainSet.shards.length} shard(s); val: ${valSet.images.length}; classes: ${labels.join(', ')}`);

    const backend = await chooseTrainingBackend(requested, log);
    const model = buildCnn(cnnOptions);
    try {
      const parameters = model.countParams();
      log(`model: ${settings.blocks} conv blocks from ${settings.filters} filters${settings.batchNorm ? ' with batch norm' : ''}, dense ${settings.denseUnits}, ${parameters} parameters, input ${settings.imageSize}×${settings.imageSize}×3`);
      const result = await trainClassifier(model, trainSet.images, valSet.images, trainOptions);
      const { best, history } = result;

      await saveTrainedModel(outputs.model.path, { model, labels, preprocessing: preprocessingFor(settings.imageSize) });
      Object.assign(outputs.model.metadata, {
        framework: 'tensorflow.js',
        tfjsVersion: tf.version.tfjs,
        format: 'layers-model',
        backend: backend.backend,
        device: backend.device,
        backendReason: backend.reason,
        labels: [...labels],
        numClasses: labels.length,
        parameters,
        imageSize: settings.imageSize,
        bestEpoch: best.epoch,
        valAccuracy: best.valAccuracy,
        valLoss: best.valLoss,
        hyperparameters: settings,
      });

      const scalarRuns = tensorBoardScalars(history);
      const logsFolder = path.join(outputs.model.path, MODEL_LOGS_FOLDER);
      const eventFiles = { createdAt: startedAt, hostname: os.hostname() };
      await writeScalarRuns(logsFolder, scalarRuns, eventFiles);
      log(`TensorBoard curves: tensorboard --logdir ${logsFolder}`);
      if (tensorBoardLogDir !== undefined) {
        // The curves are already in the Model artifact: failing here would throw the trained model
        // away and make a retry train again, so a failed upload only warns.
        try {
          await writeScalarRuns(tensorBoardLogDir, scalarRuns, eventFiles);
          log(`TensorBoard curves also written to AIP_TENSORBOARD_LOG_DIR ${tensorBoardLogDir}`);
        } catch (error) {
          log(`warning: could not write the TensorBoard curves to AIP_TENSORBOARD_LOG_DIR ${tensorBoardLogDir} (they are in ${logsFolder}): ${error instanceof Error ? error.message : String(error)}`);
        }
      }

      const curves = trainingCurves(history);
      const trainImagesPerSecond = history.reduce((sum, m) => sum + m.trainImagesPerSecond, 0) / history.length;
      const scalars = {
        valAccuracy: best.valAccuracy,
        valLoss: best.valLoss,
        trainAccuracy: best.trainAccuracy,
        trainLoss: best.trainLoss,
        bestEpoch: best.epoch,
        epochsRun: result.epochsRun,
        stoppedEarly: result.stoppedEarly,
        trainImagesPerSecond,
        backend: backend.backend,
        device: backend.device,
      };
      Object.assign(outputs.metrics.metadata, { ...scalars, curves });
      fs.mkdirSync(path.dirname(outputs.metrics.path), { recursive: true });
      fs.writeFileSync(outputs.metrics.path, `${JSON.stringify({ ...scalars, hyperparameters: settings, history }, null, 2)}\n`);
      log(`best epoch ${best.epoch} of ${result.epochsRun}: val accuracy ${best.valAccuracy.toFixed(4)}, val loss ${best.valLoss.toFixed(4)}; model saved to ${outputs.model.path}`);
      return { valAccuracy: best.valAccuracy, epochsRun: result.epochsRun, trainingBackend: backend.backend, trainingDevice: backend.device };
    } finally {
      model.dispose();
    }
  },
});
