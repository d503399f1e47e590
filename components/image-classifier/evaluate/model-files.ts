/**
 * The two files the app loads next to the model: `model.json` (how to turn the network's output
 * into a decision, and the quality it was released with) and `label_map.json` (class names by
 * index). `labelsSha256` ties them together, so an app can refuse a label map that does not belong
 * to the model it loaded.
 */
import { createHash } from 'node:crypto';

/** Version of the model.json layout written here; bump it when a field changes meaning. */
export const MODEL_JSON_VERSION = 1;

/** Throws unless `labels` is a non-empty list of distinct, non-empty class names. */
export function checkLabelNames(labels: readonly string[]): void {
  if (labels.length === 0) throw new Error('labels is empty: pass the class names in class-index order');
  const seen = new Map<string, number>();
  labels.forEach((label, i) => {
    if (typeof label !== 'string' || label.length === 0)
      throw new Error(`label ${i} is ${JSON.stringify(label)}; class names must be non-empty strings`);
    const first = seen.get(label);
    if (first !== undefined) throw new Error(`label "${label}" appears at index ${first} and ${i}; class names must be distinct`);
    seen.set(label, i);
  });
}

/**
 * sha256 (hex) of the UTF-8 JSON array of class names in index order, e.g. of `["cat","dog"]`:
 * independent of how label_map.json is formatted, and easy to recompute in any language.
 */
export function labelsSha256(labels: readonly string[]): string {
  checkLabelNames(labels);
  return createHash('sha256').update(JSON.stringify(labels), 'utf8').digest('hex');
}

export interface ModelDecisionFile {
  readonly version: number;
  /** Accept a prediction only if its (temperature-scaled) top-1 probability is at least tau... */
  readonly tau: number;
  /** ...and top-1 minus top-2 probability is at least margin; otherwise abstain. */
  readonly margin: number;
  /** Divide the logits by this before the softmax. */
  readonly temperature: number;
  /** Test-split top-1 / top-3 accuracy and ECE (15 bins) after temperature scaling. */
  readonly top1: number;
  readonly top3: number;
  readonly ece: number;
  readonly labelsSha256: string;
}

/** The content of `model.json`, pretty-printed with a trailing newline. */
export function modelJson(input: Omit<ModelDecisionFile, 'version' | 'labelsSha256'> & { readonly labels: readonly string[] }): string {
  const checks: [string, number, number, number][] = [
    ['tau', input.tau, 0, 1],
    ['margin', input.margin, 0, 1],
    ['temperature', input.temperature, Number.MIN_VALUE, Number.MAX_VALUE],
    ['top1', input.top1, 0, 1],
    ['top3', input.top3, 0, 1],
    ['ece', input.ece, 0, 1],
  ];
  for (const [name, value, lo, hi] of checks) {
    if (!(Number.isFinite(value) && value >= lo && value <= hi))
      throw new Error(`model.json ${name} is ${value}; it must be a finite number in [${lo}, ${hi}]`);
  }
  const file: ModelDecisionFile = {
    version: MODEL_JSON_VERSION,
    tau: input.tau,
    margin: input.margin,
    temperature: input.temperature,
    top1: input.top1,
    top3: input.top3,
    ece: input.ece,
    labelsSha256: labelsSha256(input.labels),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** The content of `label_map.json`: `{"labels": [...names in class-index order], "labelsSha256": ...}`. */
export function labelMapJson(labels: readonly string[]): string {
  return `${JSON.stringify({ labels: [...labels], labelsSha256: labelsSha256(labels) }, null, 2)}\n`;
}
