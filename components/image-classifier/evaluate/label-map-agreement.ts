/**
 * The evaluate step scores the model's output column k as class k of the Datasets' label maps, so
 * the model and every Dataset must name the same classes in the same order. A mismatch (a model
 * evaluated against the splits of another preprocess run, where a new class shifted the indices)
 * would give silently wrong metrics, so it is an error.
 *
 * Label maps are compared by `labelsSha256` (the hash model.json records), which is independent of
 * how each label_map.json file is formatted.
 */
import { labelsSha256 } from './model-files';

export interface LabelMapSource {
  /** What the label map belongs to, for the message, e.g. "the model" or "the val Dataset". */
  readonly what: string;
  /** Where it was read from. */
  readonly where: string;
  /** Class names in class-index order. */
  readonly labels: readonly string[];
}

const MAX_NAMES_SHOWN = 8;

function describe(source: LabelMapSource, sha256: string): string {
  const names = source.labels.slice(0, MAX_NAMES_SHOWN).join(', ') + (source.labels.length > MAX_NAMES_SHOWN ? ', …' : '');
  return `${source.what} (${source.where}): ${source.labels.length} classes [${names}], labels sha256 ${sha256.slice(0, 12)}…`;
}

/** Where two label lists first differ, in words. */
function firstDifference(a: readonly string[], b: readonly string[]): string {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    if (a[i] !== b[i]) return `class ${i} is ${JSON.stringify(a[i])} in one and ${JSON.stringify(b[i])} in the other`;
  }
  return `one has ${a.length} classes and the other ${b.length}`;
}

/**
 * Returns the shared labels' sha256; throws, naming every source that disagrees with the first,
 * unless all sources have identical label maps.
 */
export function requireSameLabelMap(reference: LabelMapSource, others: readonly LabelMapSource[]): string {
  const expected = labelsSha256(reference.labels);
  const mismatches = others.map((source) => ({ source, sha256: labelsSha256(source.labels) })).filter(({ sha256 }) => sha256 !== expected);
  if (mismatches.length === 0) return expected;
  const lines = [
    describe(reference, expected),
    ...mismatches.map(({ source, sha256 }) => `${describe(source, sha256)} — ${firstDifference(reference.labels, source.labels)}`),
  ];
  throw new Error(
    `label maps disagree, so the model's output columns cannot be matched to the Datasets' class indices:\n- ${lines.join('\n- ')}\n` +
      'Evaluate the model with the val and test Datasets of the preprocess run it was trained on, or retrain it on these Datasets.',
  );
}
