/**
 * The train step: TFRecord shards of the preprocess step in, a tfjs image classifier out.
 * Reads both splits (CRC verified), decides grayscale or RGB input from the images
 * (input-channels.ts), trains the chosen network (architectures/) with the recipe of recipe.ts
 * (AdamW, warm-up + cosine schedule, label smoothing, class weights, augmentation) and early
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
import { gcsUriProblem, isGcsUri } from '../../../compiler/util/gcs-uri';
import { TRAIN_GPU_IMAGE } from '../images';
import { writeScalarRuns } from '../lib/tensorboard/log-dir';
import { validateAugmentOptions } from './augment';
import { chooseTrainingBackend, parseBackendPreference } from './backend-choice';
import { baseModelLocation, networkInputOf } from './base-model';
import { buildClassifier, describeArchitecture, validateArchitectureOptions, type ArchitectureOptions } from './architectures/architecture';
import { DEFAULT_CNN } from './cnn';
import { startFromBaseModel } from './fine-tune';
import { FINE_TUNE_DEFAULTS, fineTuneClassifier, validateFineTuneSettings } from './fine-tune-training';
import { readImageDataset, requireSameLabels } from './image-dataset';
import { tensorBoardScalars, trainingCurves } from './training-curves';
import { detectInputChannels } from './input-channels';
import { RECIPE_DEFAULTS, RECIPE_INPUTS, augmentationFor, parseRecipe } from './recipe';
import { trainClassifier, validateTrainOptions, type TrainOptions } from './training-loop';
import { preprocessingFor, saveTrainedModel } from './trained-model';

/** Defaults of the component's inputs (the executor passes every value, a default included). */
export const TRAIN_DEFAULTS = {
  // 15 epochs at batch 32 reached top-1 0.892 on Fashion-MNIST with 1,000 images per class
  // (bench/quality.ts); 20 at batch 64 took a third longer for 0.891.
  epochs: 15,
  batchSize: 32,
  learningRate: 0.002,
  imageSize: 64,
  ...DEFAULT_CNN,
  ...RECIPE_DEFAULTS,
  augment: true,
  patience: 5,
  backend: 'auto',
  seed: 42,
  ...FINE_TUNE_DEFAULTS,
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
  // A local folder is fine too (a custom job's mounted /gcs/ path, or a test).
  const problem = isGcsUri(value) ? gcsUriProblem(value, 'AIP_TENSORBOARD_LOG_DIR') : undefined;
  if (problem !== undefined)
    throw new KfpTsError(`${problem}; set it to a folder such as gs://my-bucket/tensorboard/run-1 (or leave it unset).`);
  return value;
}

export const train = functionComponent({
  name: 'train',
  description:
    'Trains a TensorFlow.js image classifier (two-conv, small-cnn, resnet-small or mobilenet-v2-small; grayscale or RGB input as the data is) on TFRecord shards with AdamW, a warm-up + cosine learning-rate schedule, label smoothing, augmentation and early stopping on the validation loss.',
  // tfjs-node-gpu (CUDA) with Dawn/Vulkan as the fallback: containers/train-gpu.
  targetImage: TRAIN_GPU_IMAGE,
  inputs: {
    train: Dataset,
    val: Dataset,
    epochs: t.int({ default: TRAIN_DEFAULTS.epochs, description: 'Most epochs to train; early stopping may end sooner.' }),
    batchSize: t.int({ default: TRAIN_DEFAULTS.batchSize }),
    learningRate: t.float({ default: TRAIN_DEFAULTS.learningRate, description: "AdamW's peak learning rate, reached after the warm-up." }),
    imageSize: t.int({
      default: TRAIN_DEFAULTS.imageSize,
      description: 'Side of the square network input; stored images of another size are resized.',
    }),
    filters: t.int({
      default: TRAIN_DEFAULTS.filters,
      description:
        "small-cnn: filters of the first convolution block, each further block doubles them; resnet-small and mobilenet-v2-small: the stem's width. two-conv has fixed widths.",
    }),
    blocks: t.int({ default: TRAIN_DEFAULTS.blocks, description: 'small-cnn: convolution blocks (2×2 max pooling between them).' }),
    kernelSize: t.int({ default: TRAIN_DEFAULTS.kernelSize }),
    denseUnits: t.int({ default: TRAIN_DEFAULTS.denseUnits, description: 'small-cnn: units of the hidden dense layer; 0 for none.' }),
    dropout: t.float({
      default: TRAIN_DEFAULTS.dropout,
      description: 'Dropout rate before the output layer (small-cnn: also before its hidden layer), in [0, 1).',
    }),
    batchNorm: t.bool({
      default: TRAIN_DEFAULTS.batchNorm,
      description: 'Batch normalisation after each convolution: fewer epochs to learn, about 2× the time per step on wasm.',
    }),
    augment: t.bool({
      default: TRAIN_DEFAULTS.augment,
      description: 'Random flips (see flip), shifts (maxShift) and brightness jitter (brightness) on training batches.',
    }),
    ...RECIPE_INPUTS,
    patience: t.int({
      default: TRAIN_DEFAULTS.patience,
      description: "Epochs without a lower val loss before stopping; 0 never stops early. The best epoch's weights are kept.",
    }),
    backend: t.string({
      default: TRAIN_DEFAULTS.backend,
      description:
        "'auto' takes the first that works of 'tensorflow' (tfjs-node-gpu, in the GPU image), 'webgpu' (a Dawn/Vulkan GPU adapter), 'wasm', 'cpu'; naming one forces it.",
    }),
    seed: t.int({ default: TRAIN_DEFAULTS.seed, description: 'Fixes initial weights, shuffling, augmentation and dropout.' }),
    baseModel: t.artifact(Model, {
      optional: true,
      description:
        "A tfjs model to start from (a train step's Model, a serving bundle, or an importer of a folder or gs:// URI): the same label map continues training it (warm start); another gets a new head. Its own architecture is trained: architecture, filters, blocks, kernelSize, denseUnits, dropout and batchNorm are not used.",
    }),
    headEpochs: t.int({
      default: TRAIN_DEFAULTS.headEpochs,
      description: 'With a baseModel of other classes: epochs training the new head alone, the base frozen, before every layer trains.',
    }),
    fineTuneLearningRateFactor: t.float({
      default: TRAIN_DEFAULTS.fineTuneLearningRateFactor,
      description: 'With a baseModel: the learning rate of the unfrozen base (and of a warm start), as a fraction of learningRate.',
    }),
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
      architecture: inputs.architecture,
      inputChannels: inputs.inputChannels,
      weightDecay: inputs.weightDecay,
      learningRateSchedule: inputs.learningRateSchedule,
      warmupEpochs: inputs.warmupEpochs,
      labelSmoothing: inputs.labelSmoothing,
      classWeights: inputs.classWeights,
      flip: inputs.flip,
      maxShift: inputs.maxShift,
      brightness: inputs.brightness,
      patience: inputs.patience,
      backend: inputs.backend,
      seed: inputs.seed,
      headEpochs: inputs.headEpochs,
      fineTuneLearningRateFactor: inputs.fineTuneLearningRateFactor,
    };
    const requested = parseBackendPreference(settings.backend);
    const recipe = parseRecipe(settings);
    const tensorBoardLogDir = tensorBoardLogDirFromEnvironment();
    const trainSet = readImageDataset(inputs.train.path, 'train Dataset');
    const valSet = readImageDataset(inputs.val.path, 'val Dataset');
    requireSameLabels(trainSet, valSet);
    const labels = trainSet.labels;
    const architectureOptions = (channels: number): ArchitectureOptions => ({
      architecture: recipe.architecture,
      channels,
      imageSize: settings.imageSize,
      numClasses: labels.length,
      filters: settings.filters,
      blocks: settings.blocks,
      kernelSize: settings.kernelSize,
      denseUnits: settings.denseUnits,
      dropout: settings.dropout,
      batchNorm: settings.batchNorm,
      seed: settings.seed,
    });
    const trainOptions: TrainOptions = {
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      learningRate: settings.learningRate,
      weightDecay: settings.weightDecay,
      schedule: recipe.schedule,
      warmupEpochs: settings.warmupEpochs,
      labelSmoothing: settings.labelSmoothing,
      classWeights: recipe.classWeights,
      patience: settings.patience,
      imageSize: settings.imageSize,
      numClasses: labels.length,
      ...(settings.augment ? { augment: augmentationFor(recipe.flip, settings.maxShift, settings.brightness) } : {}),
      seed: settings.seed,
      log,
    };
    // Every input is checked before the slow part starts.
    validateArchitectureOptions(architectureOptions(recipe.inputChannels === 0 ? 3 : recipe.inputChannels));
    if (trainOptions.augment) validateAugmentOptions(trainOptions.augment);
    validateTrainOptions(trainOptions);
    const fineTune = { headEpochs: settings.headEpochs, learningRateFactor: settings.fineTuneLearningRateFactor };
    validateFineTuneSettings(fineTune);
    const startedAt = Date.now() / 1000;
    log(
      `train: ${trainSet.images.length} images in ${trainSet.shards.length} shard(s); val: ${valSet.images.length}; classes: ${labels.join(', ')}`,
    );

    const channelsDecision =
      recipe.inputChannels === 0
        ? await detectInputChannels(trainSet.images)
        : { channels: recipe.inputChannels, reason: `inputChannels ${recipe.inputChannels}` };
    const channels = channelsDecision.channels;
    log(`input channels: ${channels} (${channelsDecision.reason})`);
    const preprocessing = preprocessingFor(settings.imageSize, channels);
    const backend = await chooseTrainingBackend(requested, log);
    const start =
      inputs.baseModel &&
      (await startFromBaseModel(inputs.baseModel.uri, baseModelLocation(inputs.baseModel), {
        labels,
        input: networkInputOf(preprocessing),
        seed: settings.seed,
        log,
      }));
    const model = start ? start.model : buildClassifier(architectureOptions(channels));
    try {
      const parameters = model.countParams();
      if (start) log(`model: ${start.record.modelFolder ?? start.record.uri} (${start.mode}), ${parameters} parameters`);
      else log(`model: ${describeArchitecture(architectureOptions(channels), parameters)}`);
      const result = start
        ? await fineTuneClassifier(start, trainSet.images, valSet.images, trainOptions, fineTune)
        : await trainClassifier(model, trainSet.images, valSet.images, trainOptions);
      const { best, history } = result;

      await saveTrainedModel(outputs.model.path, { model, labels, preprocessing });
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
        inputChannels: channels,
        architecture: start ? 'base model' : recipe.architecture,
        bestEpoch: best.epoch,
        valAccuracy: best.valAccuracy,
        valLoss: best.valLoss,
        hyperparameters: settings,
        ...(start ? { baseModel: start.record } : {}),
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
          log(
            `warning: could not write the TensorBoard curves to AIP_TENSORBOARD_LOG_DIR ${tensorBoardLogDir} (they are in ${logsFolder}): ${error instanceof Error ? error.message : String(error)}`,
          );
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
      log(
        `best epoch ${best.epoch} of ${result.epochsRun}: val accuracy ${best.valAccuracy.toFixed(4)}, val loss ${best.valLoss.toFixed(4)}; model saved to ${outputs.model.path}`,
      );
      return {
        valAccuracy: best.valAccuracy,
        epochsRun: result.epochsRun,
        trainingBackend: backend.backend,
        trainingDevice: backend.device,
      };
    } finally {
      model.dispose();
    }
  },
});
