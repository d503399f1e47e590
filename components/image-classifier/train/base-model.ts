/**
 * The base model of a fine-tuning or warm-start run: a tfjs Layers model folder (model.json, its
 * weight files, and the train step's label_map.json and preprocessing.json when present) read
 * from a local folder or a gs:// URI, or the `classifier/` part of a serving bundle (what a model
 * in the registry points at). Every file is size-capped, weight paths must stay in the folder,
 * and the model's input must be the network input this run trains on.
 */
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { KfpTsError } from '../../../compiler/errors/kfp-ts-error';
import { deriveSeed } from '../preprocess/seeded-random';
import { BUNDLE_FILE, BUNDLE_FORMAT, BUNDLE_PARTS } from '../serving-bundle/bundle-layout';
import { FileSource } from '../lib/storage/file-source';
import { isGcsUri } from '../lib/storage/gcs-uri';
import { isUnreadableFileError } from '../lib/storage/read-errors';
import { MODEL_JSON_FILE } from './model-io';
import { SeededDropout } from './seeded-dropout';
import { PREPROCESSING_FILE } from './trained-model';

/** A base model that cannot be used: unreadable, malformed, or made for other input. */
export class BaseModelError extends KfpTsError {
  override readonly name = 'BaseModelError';
}

/** model.json holds the topology only (weights are separate); real ones are well under 1 MiB. */
export const MAX_MODEL_JSON_BYTES = 32 * 1024 * 1024;
/** label_map.json, preprocessing.json, serving.json. */
export const MAX_SMALL_FILE_BYTES = 4 * 1024 * 1024;
/** Weights of a model whose size cannot be computed from its manifest (a dtype not counted below). */
export const MAX_WEIGHT_BYTES = 2 * 1024 * 1024 * 1024;

const LABEL_MAP_FILE = 'label_map.json';

export interface BaseModelFiles {
  /** The folder the model was read from (a serving bundle's `classifier/` part for a bundle). */
  readonly location: string;
  readonly fromServingBundle: boolean;
  /** model.json's `modelTopology`, as saved (Keras' snake_case JSON). */
  readonly topology: tf.io.ModelJSON['modelTopology'];
  readonly weightSpecs: readonly tf.io.WeightsManifestEntry[];
  readonly weightData: ArrayBuffer;
  /** Class names in output order, from label_map.json; undefined when the folder has none. */
  readonly labels?: readonly string[];
  /** preprocessing.json, when the folder has one. */
  readonly preprocessing?: Readonly<Record<string, unknown>>;
}

/**
 * Where a Model artifact is read from: a gs:// URI by its URI (FileSource reads it through the
 * /gcs FUSE mount on Vertex, else with the Cloud Storage client, so an importer of gs:// works in
 * a local run too), anything else by its local path.
 */
export function baseModelLocation(artifact: { readonly uri: string; readonly path: string }): string {
  return isGcsUri(artifact.uri) ? artifact.uri : artifact.path;
}

function child(location: string, name: string): string {
  return isGcsUri(location) ? `${location.replace(/\/+$/, '')}/${name}` : path.join(location, name);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function readOptional(files: FileSource, location: string, what: string, maxBytes: number): Promise<Buffer | undefined> {
  try {
    return await files.read(files.locate(location), what, maxBytes);
  } catch (error) {
    if (isUnreadableFileError(error) && error.reason === 'missing') return undefined;
    throw new BaseModelError(`cannot read the base model's ${what} ${location}: ${errorText(error)}.`);
  }
}

async function readRequired(files: FileSource, location: string, what: string, maxBytes: number, hint: string): Promise<Buffer> {
  const bytes = await readOptional(files, location, what, maxBytes);
  if (bytes === undefined) throw new BaseModelError(`the base model has no ${what}: ${location} does not exist; ${hint}`);
  return bytes;
}

function parseJson(bytes: Buffer, location: string, what: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new BaseModelError(`the base model's ${what} ${location} is not JSON (${errorText(error)}); copy the model folder again.`);
  }
}

/** label_map.json as class names in index order ({"0": "cat", "1": "dog"}). */
function parseLabelMap(bytes: Buffer, location: string): string[] {
  const parsed = parseJson(bytes, location, 'label map');
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new BaseModelError(`the base model's label map ${location} must be a JSON object {"0": "class name", …}.`);
  const entries = Object.entries(parsed);
  const labels: string[] = [];
  for (const [key, name] of entries) {
    const index = Number(key);
    if (String(index) !== key || index >= entries.length || typeof name !== 'string') {
      throw new BaseModelError(
        `the base model's label map ${location}: entry ${JSON.stringify(key)}: ${JSON.stringify(name)} is not "index": "class name" with an index in 0..${entries.length - 1}.`,
      );
    }
    labels[index] = name;
  }
  return labels;
}

const BYTES_PER_VALUE: Record<string, number> = { float32: 4, int32: 4, bool: 1 };
const BYTES_PER_QUANTIZED_VALUE: Record<string, number> = { uint8: 1, uint16: 2, float16: 2 };

/** Bytes the weight specs describe (quantized ones included), or undefined for a dtype not counted here. */
function describedWeightBytes(specs: readonly tf.io.WeightsManifestEntry[]): number | undefined {
  let total = 0;
  for (const spec of specs) {
    const bytes = spec.quantization ? BYTES_PER_QUANTIZED_VALUE[spec.quantization.dtype] : BYTES_PER_VALUE[spec.dtype];
    if (bytes === undefined) return undefined;
    total += bytes * spec.shape.reduce((a, b) => a * b, 1);
  }
  return total;
}

function weightPath(location: string, relative: unknown, jsonLocation: string): string {
  // A weight path is a file name beside model.json (tfjs' converter writes group1-shard1of2.bin):
  // anything that leaves the folder or names another store is refused.
  if (
    typeof relative !== 'string' ||
    relative === '' ||
    relative.includes('\\') ||
    relative.includes(':') ||
    path.posix.isAbsolute(relative) ||
    relative.split('/').some((part) => part === '..' || part === '')
  ) {
    throw new BaseModelError(
      `${jsonLocation} lists weight file ${JSON.stringify(relative)}, which is not a path inside the model folder; weight paths must be relative file names such as "weights.bin".`,
    );
  }
  return child(location, relative);
}

async function readWeights(files: FileSource, location: string, manifest: tf.io.WeightsManifestConfig, jsonLocation: string) {
  const specs = manifest.flatMap((group) => group.weights);
  const described = describedWeightBytes(specs);
  const limit = described ?? MAX_WEIGHT_BYTES;
  const buffers: Buffer[] = [];
  let total = 0;
  for (const group of manifest) {
    for (const relative of group.paths) {
      const file = weightPath(location, relative, jsonLocation);
      const bytes = await readRequired(files, file, 'weight file', limit - total, `${jsonLocation} lists it: copy the whole model folder.`);
      total += bytes.length;
      buffers.push(bytes);
    }
  }
  if (described !== undefined && total !== described) {
    throw new BaseModelError(
      `the weight files of the base model ${location} hold ${total} bytes but ${MODEL_JSON_FILE} describes ${described}; the folder mixes files of different saves, copy it again.`,
    );
  }
  const data = Buffer.concat(buffers);
  return { specs, data: data.buffer.slice(data.byteOffset, data.byteOffset + data.length) as ArrayBuffer };
}

/** The model folder `reference` names: itself, or the classifier part of a serving bundle. */
async function modelFolder(files: FileSource, reference: string): Promise<{ location: string; fromServingBundle: boolean }> {
  const bundleFile = child(reference, BUNDLE_FILE);
  const bytes = await readOptional(files, bundleFile, 'serving bundle manifest', MAX_SMALL_FILE_BYTES);
  if (bytes === undefined) return { location: reference, fromServingBundle: false };
  const manifest = parseJson(bytes, bundleFile, 'serving bundle manifest') as { format?: unknown } | null;
  if (manifest?.format !== BUNDLE_FORMAT)
    throw new BaseModelError(
      `${bundleFile} is not a kfp-ts serving bundle (format ${JSON.stringify(manifest?.format)}, expected ${BUNDLE_FORMAT}); pass a Model folder of the train step or a bundle of the package-classifier step.`,
    );
  return { location: child(reference, BUNDLE_PARTS.classifier), fromServingBundle: true };
}

/** Reads the base model's files from a folder (a local path or a gs:// URI); nothing is built yet. */
export async function readBaseModelFiles(reference: string, files: FileSource = new FileSource()): Promise<BaseModelFiles> {
  const { location, fromServingBundle } = await modelFolder(files, reference);
  const jsonLocation = child(location, MODEL_JSON_FILE);
  const hint = 'pass the Model artifact of a train step (or a folder holding a tfjs Layers model.json and its weights).';
  const modelJson = parseJson(
    await readRequired(files, jsonLocation, MODEL_JSON_FILE, MAX_MODEL_JSON_BYTES, hint),
    jsonLocation,
    MODEL_JSON_FILE,
  ) as Partial<tf.io.ModelJSON> | null;
  if (
    typeof modelJson !== 'object' ||
    modelJson === null ||
    typeof modelJson.modelTopology !== 'object' ||
    modelJson.modelTopology === null ||
    !Array.isArray(modelJson.weightsManifest)
  ) {
    throw new BaseModelError(
      `${jsonLocation} is not a tfjs Layers model.json (it needs modelTopology and weightsManifest); a graph model (tfjs-converter's SavedModel output) cannot be fine-tuned, ${hint}`,
    );
  }
  for (const group of modelJson.weightsManifest) {
    if (!Array.isArray(group?.paths) || !Array.isArray(group.weights))
      throw new BaseModelError(
        `${jsonLocation}: every weightsManifest entry needs "paths" and "weights" lists; the file is damaged, copy the model folder again.`,
      );
  }
  const weights = await readWeights(files, location, modelJson.weightsManifest, jsonLocation);
  const labelBytes = await readOptional(files, child(location, LABEL_MAP_FILE), 'label map', MAX_SMALL_FILE_BYTES);
  const preprocessingBytes = await readOptional(files, child(location, PREPROCESSING_FILE), 'preprocessing settings', MAX_SMALL_FILE_BYTES);
  const preprocessing = preprocessingBytes && parseJson(preprocessingBytes, child(location, PREPROCESSING_FILE), 'preprocessing settings');
  if (preprocessing !== undefined && (typeof preprocessing !== 'object' || preprocessing === null || Array.isArray(preprocessing))) {
    throw new BaseModelError(`the base model's ${PREPROCESSING_FILE} in ${location} must be a JSON object; the train step writes it.`);
  }
  return {
    location,
    fromServingBundle,
    topology: modelJson.modelTopology,
    weightSpecs: weights.specs,
    weightData: weights.data,
    ...(labelBytes ? { labels: parseLabelMap(labelBytes, child(location, LABEL_MAP_FILE)) } : {}),
    ...(preprocessing ? { preprocessing: preprocessing as Record<string, unknown> } : {}),
  };
}

/**
 * Makes the model's Dropout layers draw their masks as SeededDropout does, from seeds derived from
 * this run's seed: a loaded tfjs Dropout draws from Math.random, or, given the seed a saved
 * SeededDropout records, the same mask at every step. The saved topology is unchanged.
 */
function reseedDropout(model: tf.LayersModel, seed: number): void {
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'Dropout') continue;
    const rate = Number(layer.getConfig()['rate']);
    const seeded = new SeededDropout({ rate, seed: deriveSeed(seed, `fine-tune/dropout/${layer.name}`), name: layer.name });
    layer.call = (inputs, kwargs) => seeded.call(inputs, kwargs);
  }
}

/**
 * The base model as a tfjs LayersModel with its saved weights, its Dropout layers seeded from
 * `seed` (reseedDropout), so fine-tuning is as reproducible as training from scratch.
 */
export async function buildBaseModel(files: BaseModelFiles, seed: number): Promise<tf.LayersModel> {
  let model: tf.LayersModel;
  try {
    model = await tf.models.modelFromJSON({ modelTopology: files.topology } as tf.io.ModelJSON);
  } catch (error) {
    throw new BaseModelError(
      `the topology in ${child(files.location, MODEL_JSON_FILE)} cannot be built by tfjs ${tf.version.tfjs}: ${errorText(error)}; pass a tfjs Layers model saved by a train step.`,
    );
  }
  let named: tf.NamedTensorMap | undefined;
  try {
    named = tf.io.decodeWeights(files.weightData, [...files.weightSpecs]);
    model.loadWeights(named, true);
  } catch (error) {
    model.dispose();
    throw new BaseModelError(
      `the weights of ${files.location} do not fit its ${MODEL_JSON_FILE}: ${errorText(error)}; the folder mixes files of different saves, copy it again.`,
    );
  } finally {
    if (named) tf.dispose(Object.values(named));
  }
  reseedDropout(model, seed);
  return model;
}

/** What this run feeds the network: the checks a base model must pass. */
export interface NetworkInput {
  readonly imageSize: number;
  readonly channels: number;
  /** Fields of preprocessing.json that change what the network sees (normalization, resize, …). */
  readonly preprocessing: Readonly<Record<string, unknown>>;
}

/** The network input a Model folder's preprocessing.json describes. */
export function networkInputOf(preprocessing: { readonly imageSize: number; readonly channels: number }): NetworkInput {
  return { imageSize: preprocessing.imageSize, channels: preprocessing.channels, preprocessing: { ...preprocessing } };
}

/** Throws a BaseModelError naming the difference when the base model was made for other input. */
export function checkBaseModelInput(model: tf.LayersModel, files: BaseModelFiles, input: NetworkInput): void {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new BaseModelError(
      `the base model ${files.location} has ${model.inputs.length} inputs and ${model.outputs.length} outputs; an image classifier has one image input and one class-probability output.`,
    );
  }
  const shape = model.inputs[0]!.shape;
  const wanted = [null, input.imageSize, input.imageSize, input.channels];
  if (JSON.stringify(shape) !== JSON.stringify(wanted)) {
    const [, height, width, channels] = shape;
    const fix =
      shape.length === 4 && height === width && typeof height === 'number'
        ? `set the train step's imageSize to ${height}${channels !== input.channels ? ` and give it ${channels}-channel images` : ''}`
        : 'fine-tune a model whose input is one square image (batch, height, width, channels)';
    throw new BaseModelError(
      `the base model ${files.location} takes input ${JSON.stringify(shape)} but this run trains on ${input.imageSize}×${input.imageSize}×${input.channels} images; ${fix}.`,
    );
  }
  if (files.preprocessing) {
    for (const [key, value] of Object.entries(input.preprocessing)) {
      if (key === 'imageSize' || key === 'version') continue;
      if (JSON.stringify(files.preprocessing[key]) !== JSON.stringify(value)) {
        throw new BaseModelError(
          `the base model ${files.location} was trained on images prepared with ${key} ${JSON.stringify(files.preprocessing[key])}, but this run prepares them with ${JSON.stringify(value)} (${PREPROCESSING_FILE}); fine-tune a model trained with the same preprocessing.`,
        );
      }
    }
  }
}
