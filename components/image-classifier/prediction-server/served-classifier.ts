/**
 * A serving bundle loaded for prediction: the evaluate step's exact path from image bytes to
 * logits (decode, resize, /255, the network up to its softmax layer, logits in float64), then
 * temperature-scaled probabilities and the tau/margin decision of the model card. Using the same
 * functions as evaluate is what makes the served confidences the calibrated ones evaluate measured.
 */
import * as path from 'node:path';
import { logitsPredictor, type LogitsPredictor } from '../evaluate/predict-split';
import { softmaxRows } from '../evaluate/probability-rows';
import { labelsSha256 } from '../evaluate/model-files';
import { BUNDLE_PARTS, readBundleManifest, readDecisionFile } from '../serving-bundle/bundle-layout';
import { MODEL_CARD_FILES } from '../evaluate/component';
import { ImageDecodeError } from '../train/decode-image';
import { loadTrainedModel, type TrainedModel } from '../train/trained-model';
import { PredictRequestError } from './predict-request';

/** How a prediction is accepted: calibrated top-1 ≥ tau and top-1 − top-2 ≥ margin, else abstain. */
export interface DecisionRule {
  readonly tau: number;
  readonly margin: number;
  readonly temperature: number;
}

/** The label given when the rule abstains. */
export const UNCERTAIN = 'uncertain';

/** One instance's prediction: Vertex's ClassificationPredictionResult plus the decision. */
export interface ClassPrediction {
  /** Class indices (int64 in the proto, hence strings in its JSON), by descending confidence. */
  readonly ids: string[];
  readonly displayNames: string[];
  /** Temperature-scaled probabilities. */
  readonly confidences: number[];
  /** The top label when the decision rule accepts it, else "uncertain". */
  readonly label: string;
  readonly abstained: boolean;
  /** Calibrated top-1 minus top-2 probability. */
  readonly margin: number;
}

export interface PredictOptions {
  /** Classes returned per instance (Vertex's maxPredictions). */
  readonly maxPredictions: number;
  /** Classes below this calibrated confidence are left out of the list (Vertex's confidenceThreshold). */
  readonly confidenceThreshold: number;
}

export class ServedClassifier {
  private constructor(
    private readonly trained: TrainedModel,
    private readonly predictor: LogitsPredictor,
    readonly rule: DecisionRule,
    readonly bundleDir: string,
  ) {}

  static async load(bundleDir: string): Promise<ServedClassifier> {
    const manifest = readBundleManifest(bundleDir);
    const card = readDecisionFile(path.join(bundleDir, BUNDLE_PARTS.modelCard, MODEL_CARD_FILES.model));
    const trained = await loadTrainedModel(path.join(bundleDir, BUNDLE_PARTS.classifier));
    const sha = labelsSha256(trained.labels);
    if (sha !== manifest.labelsSha256 || sha !== card.labelsSha256) {
      trained.model.dispose();
      throw new Error(
        `the bundle ${bundleDir} mixes parts made for different labels (classifier ${sha}, serving.json ${manifest.labelsSha256}, model card ${card.labelsSha256}); package it again.`,
      );
    }
    const predictor = await logitsPredictor(trained.model);
    return new ServedClassifier(trained, predictor, { tau: card.tau, margin: card.margin, temperature: card.temperature }, bundleDir);
  }

  get labels(): readonly string[] {
    return this.trained.labels;
  }

  /** Side of the square input the network takes. */
  get imageSize(): number {
    return this.trained.preprocessing.imageSize;
  }

  /** Raw logits of encoded images (PNG/JPEG/… bytes), row-major [images × classes]. */
  async logits(images: readonly Uint8Array[]): Promise<Float64Array> {
    const labelled = images.map((encoded, i) => ({ encoded, label: 0, filename: `instance ${i}` }));
    try {
      const { logits } = await this.predictor.predict(labelled, { imageSize: this.imageSize, batchSize: Math.max(1, images.length) });
      return logits;
    } catch (error) {
      // A header that parses but a body that does not (a truncated JPEG) fails only here: still the
      // client's image. Which instance failed is told by the failing bytes themselves; libvips' text
      // is process-wide (another request's error may be in it), so it neither decides 400 against
      // 500 nor goes into the answer.
      const index = error instanceof ImageDecodeError ? images.indexOf(error.encoded) : -1;
      if (index < 0) throw error;
      throw new PredictRequestError(
        `instances[${index}] is not an image that can be decoded (its data ends early or is damaged); send complete PNG, JPEG, WebP, GIF or TIFF bytes`,
      );
    }
  }

  async predict(images: readonly Uint8Array[], options: PredictOptions): Promise<ClassPrediction[]> {
    const classes = this.labels.length;
    const probabilities = softmaxRows(await this.logits(images), classes, this.rule.temperature);
    return images.map((_, i) => decide(probabilities.subarray(i * classes, (i + 1) * classes), this.labels, this.rule, options));
  }

  dispose(): void {
    this.trained.model.dispose();
  }
}

/** Top-k and the tau/margin decision for one row of calibrated probabilities. */
export function decide(row: ArrayLike<number>, labels: readonly string[], rule: DecisionRule, options: PredictOptions): ClassPrediction {
  // Descending probability; ties keep the lower class index first, as evaluate's top-1 does.
  const order = Array.from({ length: row.length }, (_, k) => k).sort((a, b) => row[b]! - row[a]! || a - b);
  const top = row[order[0]!]!;
  const margin = top - (order.length > 1 ? row[order[1]!]! : 0);
  const accepted = top >= rule.tau && margin >= rule.margin;
  const shown = order.slice(0, options.maxPredictions).filter((k) => row[k]! >= options.confidenceThreshold);
  return {
    ids: shown.map(String),
    displayNames: shown.map((k) => labels[k]!),
    confidences: shown.map((k) => row[k]!),
    label: accepted ? labels[order[0]!]! : UNCERTAIN,
    abstained: !accepted,
    margin,
  };
}
