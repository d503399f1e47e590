/**
 * Saves and loads a tfjs LayersModel as `model.json` + `weights.bin` in a directory, the layout
 * tfjs's own file handlers and converter use, without tfjs-node (which cannot be installed
 * offline). A model saved here also loads in a browser with `tf.loadLayersModel(url)`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';

export const MODEL_JSON_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

/** A tf.io handler whose save() writes `dir/model.json` and `dir/weights.bin` (the folder is created). */
export function directorySaveHandler(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer || artifacts.modelTopology === undefined) {
        throw new Error(
          `saving to ${dir}: only Layers models with a JSON topology can be saved here (this one is a graph model or has no topology).`,
        );
      }
      fs.mkdirSync(dir, { recursive: true });
      const weights = Buffer.from(tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0)));
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.trainingConfig !== undefined ? { trainingConfig: artifacts.trainingConfig } : {}),
      };
      // Weights first: a model.json is only ever next to the weights it describes.
      fs.writeFileSync(path.join(dir, WEIGHTS_FILE), weights);
      fs.writeFileSync(path.join(dir, MODEL_JSON_FILE), `${JSON.stringify(modelJson)}\n`);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}

const BYTES_PER_VALUE: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

/** Bytes the weight specs need, or undefined when some are quantized or of a dtype not counted here. */
function expectedBytes(specs: readonly tf.io.WeightsManifestEntry[]): number | undefined {
  let total = 0;
  for (const spec of specs) {
    const bytes = BYTES_PER_VALUE[spec.dtype];
    if (bytes === undefined || spec.quantization !== undefined) return undefined;
    total += bytes * spec.shape.reduce((a, b) => a * b, 1);
  }
  return total;
}

/** A tf.io handler whose load() reads a directory written by directorySaveHandler (or tfjs's converter). */
export function directoryLoadHandler(dir: string): tf.io.IOHandler {
  return {
    async load(): Promise<tf.io.ModelArtifacts> {
      const jsonFile = path.join(dir, MODEL_JSON_FILE);
      let modelJson: tf.io.ModelJSON;
      try {
        modelJson = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as tf.io.ModelJSON;
      } catch (error) {
        throw new Error(`cannot read ${jsonFile}: ${(error as Error).message}; pass the Model artifact folder written by the train step.`);
      }
      if (
        typeof modelJson !== 'object' ||
        modelJson === null ||
        modelJson.modelTopology === undefined ||
        !Array.isArray(modelJson.weightsManifest)
      ) {
        throw new Error(
          `${jsonFile} is not a tfjs model.json (it needs modelTopology and weightsManifest); pass the Model artifact folder written by the train step.`,
        );
      }
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const buffers = manifest.flatMap((group) =>
          group.paths.map((relative) => {
            const file = path.resolve(dir, relative);
            if (path.relative(dir, file).startsWith('..'))
              throw new Error(
                `${jsonFile} lists weight file '${relative}' outside its folder; weight paths must be relative to the model folder.`,
              );
            if (!fs.existsSync(file))
              throw new Error(`${jsonFile} lists weight file '${relative}', which is missing from ${dir}; copy the whole model folder.`);
            return fs.readFileSync(file);
          }),
        );
        const weights = Buffer.concat(buffers);
        const expected = expectedBytes(specs);
        if (expected !== undefined && expected !== weights.length) {
          throw new Error(
            `the weight files of ${dir} hold ${weights.length} bytes but ${MODEL_JSON_FILE} describes ${expected}; the folder mixes files of different saves, save the model again.`,
          );
        }
        return [specs, weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.length)];
      });
    },
  };
}

export async function saveLayersModel(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(directorySaveHandler(dir));
}

export async function loadLayersModel(dir: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(directoryLoadHandler(dir));
}
