/**
 * A serving bundle: the one folder a prediction server needs for an image classifier, so that it
 * can be uploaded as one UnmanagedContainerModel (one `artifactUri`, as Vertex wants):
 *
 *   serving.json   format, version, labels and their sha256
 *   classifier/    the train step's Model folder (tfjs model, label_map.json, preprocessing.json)
 *   model-card/    the evaluate step's modelCard folder (model.json: tau, margin, temperature; label_map.json)
 *
 * The two parts are written by different steps, so the bundle is only made when their labels agree.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MODEL_CARD_FILES } from '../evaluate/component';
import { labelsSha256, type ModelDecisionFile } from '../evaluate/model-files';
import { LABEL_MAP_FILE, readLabelMap } from '../preprocess/label-map';

export const BUNDLE_FILE = 'serving.json';
export const BUNDLE_FORMAT = 'kfp-ts.image-classifier';
export const BUNDLE_VERSION = 1;
export const BUNDLE_PARTS = { classifier: 'classifier', modelCard: 'model-card' } as const;

export interface BundleManifest {
  readonly format: typeof BUNDLE_FORMAT;
  readonly version: number;
  readonly labels: readonly string[];
  readonly labelsSha256: string;
}

/** Copies the Model and modelCard folders into `dir` and writes serving.json. */
export function writeServingBundle(dir: string, modelDir: string, modelCardDir: string): BundleManifest {
  const labels = readLabelMap(path.join(modelDir, LABEL_MAP_FILE));
  const decision = readDecisionFile(path.join(modelCardDir, MODEL_CARD_FILES.model));
  const sha = labelsSha256(labels);
  if (decision.labelsSha256 !== sha) {
    throw new Error(
      `the model card in ${modelCardDir} was made for other labels (labelsSha256 ${decision.labelsSha256}) than the model in ${modelDir} (${sha}, ${labels.join(', ')}); pass the modelCard the evaluate step wrote for this model.`,
    );
  }
  fs.mkdirSync(dir, { recursive: true });
  fs.cpSync(modelDir, path.join(dir, BUNDLE_PARTS.classifier), { recursive: true });
  fs.cpSync(modelCardDir, path.join(dir, BUNDLE_PARTS.modelCard), { recursive: true });
  const manifest: BundleManifest = { format: BUNDLE_FORMAT, version: BUNDLE_VERSION, labels, labelsSha256: sha };
  fs.writeFileSync(path.join(dir, BUNDLE_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

export function readBundleManifest(dir: string): BundleManifest {
  const file = path.join(dir, BUNDLE_FILE);
  let parsed: BundleManifest;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as BundleManifest;
  } catch (error) {
    throw new Error(
      `cannot read ${file}: ${(error as Error).message}; the local prediction server serves the serving bundles of the package-classifier step (components/serving-bundle), upload one of those.`,
    );
  }
  if (parsed?.format !== BUNDLE_FORMAT || parsed.version !== BUNDLE_VERSION) {
    throw new Error(
      `${file} is format ${JSON.stringify(parsed?.format)} version ${JSON.stringify(parsed?.version)}; this server reads ${BUNDLE_FORMAT} version ${BUNDLE_VERSION}.`,
    );
  }
  return parsed;
}

/** The evaluate step's model.json, with the fields serving relies on checked. */
export function readDecisionFile(file: string): ModelDecisionFile {
  let parsed: ModelDecisionFile;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as ModelDecisionFile;
  } catch (error) {
    throw new Error(
      `cannot read the model card ${file}: ${(error as Error).message}; the evaluate step writes it into its modelCard output.`,
    );
  }
  const inUnit = (v: unknown) => typeof v === 'number' && v >= 0 && v <= 1;
  if (
    !inUnit(parsed?.tau) ||
    !inUnit(parsed.margin) ||
    !(typeof parsed.temperature === 'number' && parsed.temperature > 0 && Number.isFinite(parsed.temperature))
  ) {
    throw new Error(
      `the model card ${file} needs tau and margin in [0, 1] and a temperature > 0, got ${JSON.stringify({ tau: parsed?.tau, margin: parsed?.margin, temperature: parsed?.temperature })}.`,
    );
  }
  if (typeof parsed.labelsSha256 !== 'string') throw new Error(`the model card ${file} has no labelsSha256; re-run the evaluate step.`);
  return parsed;
}
