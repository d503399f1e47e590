/**
 * Parsing a predict request body, in the shapes Vertex uses for image classification:
 *
 * - `{"b64": "<base64 image bytes>"}`: the binary convention of Vertex custom containers (and
 *   TF Serving) for a field that holds bytes;
 * - `{"content": "<base64 image bytes>", "mimeType": "image/png"}`: Vertex's
 *   ImageClassificationPredictionInstance (the AutoML image schema);
 * - an `imageSize × imageSize × 3` array of 0–255 integers: the decoded RGB pixels, before the
 *   `/255` scaling the network applies (the same values preprocessing.json describes).
 *
 * `parameters` is Vertex's ImageClassificationPredictionParams (`maxPredictions`,
 * `confidenceThreshold`). Every problem is a PredictRequestError: the server answers 400 with it.
 */
import sharp from 'sharp';
import type { PredictOptions } from './served-classifier';
import { KfpTsError } from '../../../compiler/errors/kfp-ts-error';
import { describeValue } from '../../../compiler/util/describe-value';

export class PredictRequestError extends KfpTsError {
  override readonly name = 'PredictRequestError';
}

export interface RequestLimits {
  readonly maxInstances: number;
  readonly imageSize: number;
  readonly classes: number;
}

export interface PredictRequest {
  /** Encoded image bytes, one per instance (pixel arrays are encoded losslessly as PNG). */
  readonly images: Uint8Array[];
  readonly options: PredictOptions;
}

/** Vertex's default maxPredictions. */
export const DEFAULT_MAX_PREDICTIONS = 10;

/**
 * The most pixels an encoded instance may decode to (4096 × 4096). Compressed images are small for
 * their size (a 16384 × 16384 PNG of one colour is under a megabyte, and ~800 MB decoded), so the
 * header's dimensions are checked before anything decodes the pixels.
 */
export const MAX_IMAGE_PIXELS = 4096 * 4096;

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

function fail(message: string): never {
  throw new PredictRequestError(message);
}

export async function parsePredictRequest(body: string, limits: RequestLimits): Promise<PredictRequest> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    fail(`the request body is not valid JSON (${(error as Error).message}); send {"instances": [{"b64": "<base64 image>"}]}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    fail('the request body must be a JSON object {"instances": [...]}');
  const { instances, parameters } = parsed as { instances?: unknown; parameters?: unknown };
  if (instances === undefined) fail('the request has no "instances"; send {"instances": [{"b64": "<base64 image>"}]}');
  if (!Array.isArray(instances)) fail(`"instances" must be a list, got ${describeValue(instances)}`);
  if (instances.length === 0) fail('"instances" is empty; send at least one image');
  if (instances.length > limits.maxInstances) {
    fail(`too many instances: ${instances.length}, at most ${limits.maxInstances} per request; split the request`);
  }
  const images = await Promise.all(instances.map((instance, i) => instanceImage(instance, i, limits.imageSize)));
  return { images, options: predictOptions(parameters, limits.classes) };
}

async function instanceImage(instance: unknown, index: number, size: number): Promise<Uint8Array> {
  const where = `instances[${index}]`;
  if (Array.isArray(instance)) return pixelsToPng(instance, where, size);
  if (typeof instance !== 'object' || instance === null) {
    fail(
      `${where} is ${describeValue(instance)}; each instance is {"b64": "<base64 image>"}, {"content": "<base64 image>"} or a ${size}×${size}×3 array of 0–255 integers`,
    );
  }
  const fields = instance as Record<string, unknown>;
  const key = 'b64' in fields ? 'b64' : 'content' in fields ? 'content' : undefined;
  if (key === undefined)
    fail(
      `${where} has neither "b64" nor "content" (keys: ${Object.keys(fields).join(', ') || 'none'}); put the base64 image bytes in "b64"`,
    );
  const text = fields[key];
  if (typeof text !== 'string') fail(`${where}.${key} must be a base64 string, got ${describeValue(text)}`);
  const compact = text.replace(/\s+/g, '');
  if (compact.length === 0 || !BASE64.test(compact) || compact.length % 4 === 1) fail(`${where}.${key} is not valid base64`);
  const bytes = Buffer.from(compact, compact.includes('-') || compact.includes('_') ? 'base64url' : 'base64');
  // The header only: the dimensions are known before any pixel is decoded.
  const { width = 0, height = 0 } = await sharp(bytes)
    .metadata()
    .catch((error: Error) =>
      fail(`${where}.${key} is not an image that can be decoded (${error.message}); send PNG, JPEG, WebP, GIF or TIFF bytes`),
    );
  if (width * height > MAX_IMAGE_PIXELS) {
    fail(
      `${where}.${key} is a ${width}×${height} image (${width * height} pixels), over the limit of ${MAX_IMAGE_PIXELS} pixels (4096×4096); resize it (the model takes ${size}×${size}) before sending`,
    );
  }
  return bytes;
}

async function pixelsToPng(rows: unknown[], where: string, size: number): Promise<Uint8Array> {
  const shapeError = () =>
    fail(`${where} has the wrong shape: expected ${size}×${size}×3 (rows × columns × RGB) integers 0–255, the model's input size`);
  if (rows.length !== size) shapeError();
  const pixels = Buffer.alloc(size * size * 3);
  let offset = 0;
  for (const row of rows) {
    if (!Array.isArray(row) || row.length !== size) shapeError();
    for (const pixel of row as unknown[]) {
      if (!Array.isArray(pixel) || pixel.length !== 3) shapeError();
      for (const value of pixel as unknown[]) {
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 255) {
          fail(`${where} holds ${JSON.stringify(value)}; pixel values are integers 0–255 (RGB, before the /255 scaling)`);
        }
        pixels[offset++] = value;
      }
    }
  }
  return sharp(pixels, { raw: { width: size, height: size, channels: 3 } })
    .png({ compressionLevel: 0 })
    .toBuffer();
}

function predictOptions(parameters: unknown, classes: number): PredictOptions {
  if (parameters === undefined || parameters === null)
    return { maxPredictions: Math.min(DEFAULT_MAX_PREDICTIONS, classes), confidenceThreshold: 0 };
  if (typeof parameters !== 'object' || Array.isArray(parameters)) fail(`"parameters" must be an object, got ${describeValue(parameters)}`);
  const { maxPredictions = DEFAULT_MAX_PREDICTIONS, confidenceThreshold = 0 } = parameters as Record<string, unknown>;
  if (typeof maxPredictions !== 'number' || !Number.isInteger(maxPredictions) || maxPredictions < 1) {
    fail(`parameters.maxPredictions must be a whole number ≥ 1, got ${JSON.stringify(maxPredictions)}`);
  }
  if (typeof confidenceThreshold !== 'number' || !(confidenceThreshold >= 0 && confidenceThreshold <= 1)) {
    fail(`parameters.confidenceThreshold must be a number from 0 to 1, got ${JSON.stringify(confidenceThreshold)}`);
  }
  return { maxPredictions: Math.min(maxPredictions, classes), confidenceThreshold };
}
