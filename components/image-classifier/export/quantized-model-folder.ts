/**
 * Writes a copy of a Model folder (the train step's layout: model.json + weights.bin, label_map.json,
 * preprocessing.json, …) whose weights are quantized; every other file of the folder is copied
 * unchanged, so the copy loads wherever the original does
 * (loadTrainedModel, the serving bundle, `tf.loadLayersModel` in a browser or an app).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { MODEL_JSON_FILE, WEIGHTS_FILE } from '../train/model-io';
import { WeightQuantizationError, manifestBytes, quantizeWeights, type QuantizeOptions, type WeightSummary } from './quantize-weights';

/** model.json holds the topology only; a larger one is not a tfjs Layers model written here. */
const MAX_MODEL_JSON_BYTES = 64 * 1024 * 1024;

export interface ModelFolderBytes {
  readonly modelJson: number;
  readonly weights: number;
  /** model.json + weights: what an app downloads. */
  readonly total: number;
}

export interface QuantizedModelFolder {
  readonly float: ModelFolderBytes;
  readonly quantized: ModelFolderBytes;
  readonly weights: readonly WeightSummary[];
}

function readModelJson(dir: string): tf.io.ModelJSON {
  const file = path.join(dir, MODEL_JSON_FILE);
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch (error) {
    throw new WeightQuantizationError(
      `cannot read ${file}: ${(error as Error).message}; pass the Model artifact folder written by the train step.`,
    );
  }
  if (size > MAX_MODEL_JSON_BYTES)
    throw new WeightQuantizationError(
      `${file} is ${size} bytes, over the ${MAX_MODEL_JSON_BYTES} a tfjs model.json holds; pass the Model artifact folder written by the train step.`,
    );
  let parsed: tf.io.ModelJSON;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as tf.io.ModelJSON;
  } catch (error) {
    throw new WeightQuantizationError(
      `cannot parse ${file}: ${(error as Error).message}; pass the Model artifact folder written by the train step.`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || typeof parsed.modelTopology !== 'object' || !Array.isArray(parsed.weightsManifest)) {
    throw new WeightQuantizationError(
      `${file} is not a tfjs Layers model.json (it needs modelTopology and weightsManifest); pass the Model artifact folder written by the train step.`,
    );
  }
  return parsed;
}

/** The weight files' paths, each checked to lie in `dir` and exist. */
function weightFiles(dir: string, manifest: tf.io.WeightsManifestConfig): string[] {
  return manifest.flatMap((group) =>
    group.paths.map((relative) => {
      const file = path.resolve(dir, relative);
      const inside = path.relative(dir, file);
      if (inside.startsWith('..') || path.isAbsolute(inside))
        throw new WeightQuantizationError(
          `${path.join(dir, MODEL_JSON_FILE)} lists weight file '${relative}' outside its folder; weight paths must be relative to the model folder.`,
        );
      if (!fs.existsSync(file))
        throw new WeightQuantizationError(
          `${path.join(dir, MODEL_JSON_FILE)} lists weight file '${relative}', which is missing from ${dir}; copy the whole model folder.`,
        );
      return file;
    }),
  );
}

/** Reads the weights of `dir`, after checking from the files' sizes that they are what model.json describes. */
function readWeights(dir: string, files: readonly string[], expected: number): Uint8Array {
  const actual = files.reduce((sum, file) => sum + fs.statSync(file).size, 0);
  if (actual !== expected) {
    throw new WeightQuantizationError(
      `the weight files of ${dir} hold ${actual} bytes but ${MODEL_JSON_FILE} describes ${expected}; the folder mixes files of different saves, save the model again.`,
    );
  }
  return Buffer.concat(files.map((file) => fs.readFileSync(file)));
}

/** Quantizes the model in `sourceDir` into `targetDir` (created; must not be `sourceDir`). */
export function writeQuantizedModelFolder(sourceDir: string, targetDir: string, options: QuantizeOptions): QuantizedModelFolder {
  if (path.resolve(sourceDir) === path.resolve(targetDir))
    throw new WeightQuantizationError(`the quantized model must go to another folder than ${sourceDir}, which holds the float model.`);
  const modelJson = readModelJson(sourceDir);
  const files = weightFiles(sourceDir, modelJson.weightsManifest);
  const specs = modelJson.weightsManifest.flatMap((group) => group.weights);
  const data = readWeights(sourceDir, files, manifestBytes(specs, sourceDir));
  const quantized = quantizeWeights(specs, data, options, sourceDir);

  fs.mkdirSync(targetDir, { recursive: true });
  const replaced = new Set([path.resolve(sourceDir, MODEL_JSON_FILE), ...files]);
  // Files only: subfolders (the train step's TensorBoard logs/) are records of training, not part
  // of the model an app downloads.
  for (const entry of fs.readdirSync(sourceDir, { withFileTypes: true })) {
    const from = path.resolve(sourceDir, entry.name);
    if (entry.isFile() && !replaced.has(from)) fs.copyFileSync(from, path.join(targetDir, entry.name));
  }
  const outJson = `${JSON.stringify({ ...modelJson, weightsManifest: [{ paths: [WEIGHTS_FILE], weights: quantized.specs }] })}\n`;
  // Weights first: a model.json is only ever next to the weights it describes.
  fs.writeFileSync(path.join(targetDir, WEIGHTS_FILE), quantized.data);
  fs.writeFileSync(path.join(targetDir, MODEL_JSON_FILE), outJson);

  const floatJsonBytes = fs.statSync(path.join(sourceDir, MODEL_JSON_FILE)).size;
  const outJsonBytes = Buffer.byteLength(outJson);
  return {
    float: { modelJson: floatJsonBytes, weights: data.length, total: floatJsonBytes + data.length },
    quantized: { modelJson: outJsonBytes, weights: quantized.data.length, total: outJsonBytes + quantized.data.length },
    weights: quantized.weights,
  };
}
