/**
 * Starting a training run from a base model instead of random weights:
 * - warm start: the base already classifies this run's label map (same classes, same order), so
 *   the whole model, head included, simply trains further on the new data;
 * - new head: other classes, so the classification head (every layer after the base's global
 *   pooling or flatten layer, ending in a softmax Dense) is replaced by one whose class Dense has a
 *   unit per class of this run (replaceHead says when its hidden layers are kept). Everything
 *   before the head (the features) is kept as it is.
 * The head-then-unfreeze schedule that uses freezeAllBut/unfreezeAll is in fine-tune-training.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../preprocess/seeded-random';
import {
  BaseModelError,
  buildBaseModel,
  checkBaseModelInput,
  readBaseModelFiles,
  type BaseModelFiles,
  type NetworkInput,
} from './base-model';
import { SeededDropout } from './seeded-dropout';
import type { FileSource } from '../lib/storage/file-source';

export type FineTuneMode = 'warm-start' | 'new-head';

/** What the output Model's metadata records about its base (lineage beyond MLMD's INPUT event). */
export interface BaseModelRecord {
  readonly uri: string;
  /** The model folder read, when not the URI itself (a serving bundle's classifier/ part). */
  readonly modelFolder?: string;
  readonly mode: FineTuneMode;
  /** The base's classes (label_map.json), or null when its folder had no label map. */
  readonly labels: readonly string[] | null;
  /** Classes of this run whose head weights came from the base (all of them for a warm start). */
  readonly keptClasses: readonly string[];
  /** Head layers that started from fresh seeded weights (the class Dense, and hidden ones when replaced). */
  readonly newLayers: readonly string[];
  readonly parameters: number;
}

export interface FineTuneStart {
  readonly model: tf.LayersModel;
  readonly mode: FineTuneMode;
  /** The classification head's layers (trained alone while the rest is frozen). */
  readonly head: readonly tf.layers.Layer[];
  readonly record: BaseModelRecord;
}

export interface ClassifierHead {
  /** The Dense layer whose units are the classes. */
  readonly dense: tf.layers.Layer;
  /**
   * Every layer after the feature extractor, in order (hidden Dense, Dropout, …, the class Dense
   * and a separate softmax): what Keras' include_top=False leaves out. Just the class Dense (and
   * its softmax) when no pooling or flattening layer leads into the head.
   */
  readonly layers: readonly tf.layers.Layer[];
  /** The head's layers before the class Dense (a hidden Dense and its dropouts); empty for none. */
  readonly hidden: readonly tf.layers.Layer[];
  /** The features the head starts from: the output of the global pooling / flatten layer. */
  readonly features: tf.SymbolicTensor;
  /** The class Dense's input (the last hidden layer's output, or `features` when there is none). */
  readonly denseInput: tf.SymbolicTensor;
}

const activationOf = (layer: tf.layers.Layer) => layer.getConfig()['activation'];
const isSoftmaxLayer = (layer: tf.layers.Layer) =>
  layer.getClassName() === 'Softmax' || (layer.getClassName() === 'Activation' && activationOf(layer) === 'softmax');

/** Layers that turn feature maps into one feature vector: where a Keras application's top starts. */
const FEATURE_OUTPUT_LAYERS = new Set(['Flatten', 'GlobalAveragePooling2D', 'GlobalMaxPooling2D']);
/**
 * Layers a new head can be made of again: the Dense layers get seeded Glorot kernels, Dropout a
 * SeededDropout, and the rest have no random weights (their config rebuilds them as they started).
 */
const REBUILDABLE_HEAD_LAYERS = new Set(['Dense', 'Dropout', 'Activation', 'Softmax', 'ReLU', 'LeakyReLU', 'ELU', 'BatchNormalization']);

function singleInput(layer: tf.layers.Layer): tf.SymbolicTensor | undefined {
  try {
    const input = layer.input;
    return Array.isArray(input) ? undefined : input;
  } catch {
    // tfjs throws for a layer applied more than once (a shared layer): not a head to replace.
    return undefined;
  }
}

/**
 * The layers between the feature extractor and the class Dense, walking back from `denseInput`
 * through single-input layers to the first global pooling or flatten layer; undefined when the
 * chain reaches anything else first (a residual add, a convolution, the input).
 */
function hiddenHeadLayers(denseInput: tf.SymbolicTensor): { hidden: tf.layers.Layer[]; features: tf.SymbolicTensor } | undefined {
  const hidden: tf.layers.Layer[] = [];
  let tensor = denseInput;
  for (;;) {
    const layer = tensor.sourceLayer as tf.layers.Layer;
    if (FEATURE_OUTPUT_LAYERS.has(layer.getClassName())) return { hidden: hidden.reverse(), features: tensor };
    if (!REBUILDABLE_HEAD_LAYERS.has(layer.getClassName())) return undefined;
    const input = singleInput(layer);
    if (!input) return undefined;
    hidden.push(layer);
    tensor = input;
  }
}

/** The classification head at the model's output, or a BaseModelError saying why there is none. */
export function findClassifierHead(model: tf.LayersModel, where: string): ClassifierHead {
  const last = model.outputs[0]!.sourceLayer as tf.layers.Layer;
  const describe = (layer: tf.layers.Layer) =>
    `'${layer.name}' (${layer.getClassName()}${activationOf(layer) !== undefined ? `, activation ${String(activationOf(layer))}` : ''})`;
  let dense: tf.layers.Layer | undefined;
  let top: tf.layers.Layer[] = [];
  if (last.getClassName() === 'Dense' && activationOf(last) === 'softmax') {
    dense = last;
    top = [last];
  } else if (isSoftmaxLayer(last)) {
    const before = singleInput(last)?.sourceLayer as tf.layers.Layer | undefined;
    if (before?.getClassName() === 'Dense' && activationOf(before) === 'linear') {
      dense = before;
      top = [before, last];
    }
  }
  const denseInput = dense && singleInput(dense);
  if (!dense || !denseInput) {
    throw new BaseModelError(
      `the base model ${where} has no recognizable classification head: its output layer is ${describe(last)}; fine-tuning replaces a final Dense layer with softmax activation (or a linear Dense followed by a softmax), as the train step writes.`,
    );
  }
  const chain = hiddenHeadLayers(denseInput);
  if (!chain) return { dense, layers: top, hidden: [], features: denseInput, denseInput };
  return { dense, layers: [...chain.hidden, ...top], hidden: chain.hidden, features: chain.features, denseInput };
}

/** The base's classes of this run's label map, in this run's order, with the base's index of each. */
function sharedClasses(
  baseLabels: readonly string[] | undefined,
  labels: readonly string[],
): { label: string; from: number; to: number }[] {
  if (!baseLabels) return [];
  return labels.flatMap((label, to) => {
    const from = baseLabels.indexOf(label);
    return from >= 0 ? [{ label, from, to }] : [];
  });
}

/** A fresh copy of a hidden head layer, its random weights drawn from `seed`. */
function rebuildHiddenLayer(layer: tf.layers.Layer, seed: number): tf.layers.Layer {
  const config = layer.getConfig();
  const layerSeed = deriveSeed(seed, `fine-tune/head/${layer.name}`);
  switch (layer.getClassName()) {
    case 'Dense':
      return tf.layers.dense({
        name: layer.name,
        units: Number(config['units']),
        activation: config['activation'] as 'relu',
        useBias: config['use_bias'] !== false && config['useBias'] !== false,
        kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed }),
      });
    case 'Dropout':
      return new SeededDropout({ rate: Number(config['rate']), seed: layerSeed, name: layer.name });
    default: {
      // No random weights (REBUILDABLE_HEAD_LAYERS): its config makes it as it started (a tfjs
      // layer's fromConfig is `new cls(config)`).
      const LayerClass = layer.constructor as new (config: tf.serialization.ConfigDict) => tf.layers.Layer;
      return new LayerClass(config);
    }
  }
}

/**
 * A model whose features are the base's (the same layer objects) and whose head ends in a new
 * softmax Dense of `labels.length` units. The head's hidden layers (a hidden Dense, its dropout)
 * are kept when the base shares classes with this run (their columns of the class Dense are copied,
 * and they only mean something with the hidden features they were trained on); otherwise the whole
 * head starts again from seeded weights, as Keras' include_top=False does: a hidden layer tuned to
 * other classes is a bottleneck that throws away what the new classes need.
 * The base's replaced layers are disposed; the base model object must not be disposed afterwards
 * (its other layers now belong to the returned model).
 */
export function replaceHead(
  base: tf.LayersModel,
  head: ClassifierHead,
  labels: readonly string[],
  baseLabels: readonly string[] | undefined,
  seed: number,
) {
  const kept = sharedClasses(baseLabels, labels);
  const keepHidden = kept.length > 0 || head.hidden.length === 0;
  const hidden = keepHidden ? [...head.hidden] : head.hidden.map((layer) => rebuildHiddenLayer(layer, seed));
  let input = keepHidden ? head.denseInput : head.features;
  if (!keepHidden) for (const layer of hidden) input = layer.apply(input) as tf.SymbolicTensor;
  const dense = tf.layers.dense({
    name: head.dense.name,
    units: labels.length,
    activation: 'softmax',
    kernelInitializer: tf.initializers.glorotUniform({ seed: deriveSeed(seed, 'fine-tune/head') }),
  });
  const output = dense.apply(input) as tf.SymbolicTensor;
  const model = tf.model({ inputs: base.inputs, outputs: output, name: base.name });
  if (kept.length > 0) {
    // Column c of a Dense kernel (features × classes) and entry c of its bias score class c.
    // getWeights() hands out the variables' own tensors: read, never disposed here.
    const [oldKernel, oldBias] = head.dense.getWeights() as [tf.Tensor2D, tf.Tensor1D | undefined];
    const [newKernel, newBias] = dense.getWeights() as [tf.Tensor2D, tf.Tensor1D];
    const features = newKernel.shape[0];
    // A head without a bias (useBias: false) scores with its kernel alone: its classes start at bias 0.
    const from = { kernel: oldKernel.dataSync(), bias: oldBias?.dataSync() ?? new Float32Array(oldKernel.shape[1]) };
    const kernel = newKernel.dataSync().slice();
    const bias = newBias.dataSync().slice();
    for (const { from: i, to: j } of kept) {
      for (let f = 0; f < features; f++) kernel[f * labels.length + j] = from.kernel[f * oldKernel.shape[1] + i]!;
      bias[j] = from.bias[i]!;
    }
    const replacement = [tf.tensor2d(kernel, newKernel.shape), tf.tensor1d(bias)];
    dense.setWeights(replacement);
    tf.dispose(replacement);
  }
  const replaced = keepHidden ? head.layers.filter((layer) => !head.hidden.includes(layer)) : head.layers;
  for (const layer of replaced) layer.dispose();
  return { model, head: [...hidden, dense], reinitialised: !keepHidden && hidden.length > 0, keptClasses: kept.map((k) => k.label) };
}

/** Makes every layer but `trainable` ones frozen (their weights are left out of the optimizer's list). */
export function freezeAllBut(model: tf.LayersModel, trainable: readonly tf.layers.Layer[]): void {
  for (const layer of model.layers) layer.trainable = trainable.includes(layer);
}

export function unfreezeAll(model: tf.LayersModel): void {
  for (const layer of model.layers) layer.trainable = true;
}

/**
 * Runs every BatchNormalization layer of `model` in inference mode from now on, training included:
 * it normalises with the base's moving statistics and never updates them, while gamma and beta
 * still train once unfrozen. Keras' fine-tuning guide does the same (base_model(x, training=False)):
 * a few hundred new images would otherwise replace statistics learnt on the whole base data set,
 * and tfjs, unlike Keras, keeps updating them even for a frozen layer.
 */
export function keepBatchNormStatistics(model: tf.LayersModel, except: readonly tf.layers.Layer[] = []): number {
  let count = 0;
  for (const layer of model.layers) {
    // A new head's batch norm has no statistics worth keeping: it learns them like any new layer.
    if (layer.getClassName() !== 'BatchNormalization' || except.includes(layer)) continue;
    const call = layer.call.bind(layer);
    layer.call = (inputs, kwargs) => call(inputs, { ...kwargs, training: false });
    count++;
  }
  return count;
}

export interface BaseModelStartOptions {
  /** This run's classes, in output order. */
  readonly labels: readonly string[];
  readonly input: NetworkInput;
  readonly seed: number;
  readonly files?: FileSource;
  readonly log?: (line: string) => void;
}

/**
 * Reads the base model at `location` (from baseModelLocation), checks it against this run's
 * input, and returns the model to train: the base itself for a warm start, the base with a new
 * head otherwise. `uri` is the Model artifact's URI, recorded in the output's metadata.
 */
export async function startFromBaseModel(uri: string, location: string, options: BaseModelStartOptions): Promise<FineTuneStart> {
  const log = options.log ?? (() => undefined);
  const files: BaseModelFiles = await readBaseModelFiles(location, options.files);
  const base = await buildBaseModel(files, options.seed);
  let owned = true;
  try {
    checkBaseModelInput(base, files, options.input);
    const head = findClassifierHead(base, files.location);
    const headUnits = head.dense.getConfig()['units'];
    if (files.labels !== undefined && files.labels.length !== headUnits) {
      throw new BaseModelError(
        `the base model ${files.location} has ${String(headUnits)} outputs but its label_map.json names ${files.labels.length} classes; the folder mixes files of different runs.`,
      );
    }
    const common = {
      uri,
      ...(files.location !== location || files.fromServingBundle ? { modelFolder: files.location } : {}),
      labels: files.labels ?? null,
    };
    const sameLabels = files.labels !== undefined && JSON.stringify(files.labels) === JSON.stringify(options.labels);
    if (sameLabels) {
      log(`warm start from ${uri}: same ${options.labels.length} classes, continuing to train the whole model, head included`);
      owned = false;
      return {
        model: base,
        mode: 'warm-start',
        head: head.layers,
        record: { ...common, mode: 'warm-start', keptClasses: [...options.labels], newLayers: [], parameters: base.countParams() },
      };
    }
    const replaced = replaceHead(base, head, options.labels, files.labels, options.seed);
    owned = false;
    const newLayers = replaced.head
      .filter((layer) => layer.countParams() > 0 && (replaced.reinitialised || layer === replaced.head.at(-1)))
      .map((layer) => layer.name);
    const normalised = keepBatchNormStatistics(replaced.model, replaced.head);
    log(
      `fine-tuning ${uri}: head '${head.dense.name}' of ${String(headUnits)} outputs replaced by one of ${options.labels.length}` +
        (files.labels === undefined
          ? ' (the base has no label_map.json, so no class keeps its head weights)'
          : `; ${replaced.keptClasses.length} class(es) keep their head weights`) +
        `; new weights: ${newLayers.join(', ')}` +
        (normalised > 0 ? `; ${normalised} batch-norm layer(s) keep the base's statistics` : ''),
    );
    return {
      model: replaced.model,
      mode: 'new-head',
      head: replaced.head,
      record: { ...common, mode: 'new-head', keptClasses: replaced.keptClasses, newLayers, parameters: replaced.model.countParams() },
    };
  } finally {
    if (owned) base.dispose();
  }
}
