/**
 * The `confusionMatrix` object of `system.ClassificationMetrics` metadata, in the shape the KFP SDK
 * writes and the KFP UI / Vertex console plot: `annotationSpecs` names the classes in order, and
 * `rows[i].row[j]` counts the samples of true class i predicted as class j, each row wrapped in an
 * object with the single key `row`. (Vertex's ModelEvaluation resource uses plain row arrays and
 * `{id, displayName}` specs instead: a different schema, not accepted here.)
 */
import { describeValue } from '../../util/describe-value';
import { MetricsError } from './metrics-error';
import { isRecord } from './metadata-target';

export type ConfusionMatrixMetadata = {
  readonly annotationSpecs: readonly { readonly displayName: string }[];
  /** `rows[i].row[j]`: samples of true class `annotationSpecs[i]` predicted as `annotationSpecs[j]`. */
  readonly rows: readonly { readonly row: readonly number[] }[];
};

/** The mutable form the helpers build and edit in place. */
export type MutableConfusionMatrix = {
  annotationSpecs: { displayName: string }[];
  rows: { row: number[] }[];
};

/** Throws unless `categories` is a non-empty list of distinct strings. */
export function checkCategories(method: string, categories: readonly string[]): void {
  if (!Array.isArray(categories) || categories.length === 0) {
    throw new MetricsError(
      method,
      'the confusion matrix has no categories',
      'pass the class names in class-index order, e.g. ["cat", "dog"]',
    );
  }
  const seen = new Set<string>();
  categories.forEach((category, i) => {
    if (typeof category !== 'string') {
      throw new MetricsError(method, `category ${i} is ${describeValue(category)}, not a string`, 'pass the class names as strings');
    }
    if (seen.has(category)) {
      throw new MetricsError(
        method,
        `category "${category}" appears twice`,
        'give every class a distinct name: rows and cells are addressed by name',
      );
    }
    seen.add(category);
  });
}

/** A copy of `row` as a plain array after checking its length and that every count is finite and ≥ 0. */
export function checkedRow(method: string, rowCategory: string, row: ArrayLike<number>, categories: readonly string[]): number[] {
  if (row === null || typeof row !== 'object' || typeof row.length !== 'number') {
    throw new MetricsError(
      method,
      `the row for "${rowCategory}" is ${describeValue(row)}, not a list of numbers`,
      `pass ${categories.length} counts, one per category`,
    );
  }
  if (row.length !== categories.length) {
    throw new MetricsError(
      method,
      `the row for "${rowCategory}" has ${row.length} values, but there are ${categories.length} categories (${categories.join(', ')})`,
      'pass one count per category, in the order of the categories',
    );
  }
  const values = Array.from(row);
  values.forEach((value, j) => checkCount(method, rowCategory, categories[j]!, value));
  return values;
}

/** Throws unless a cell's value is a finite number ≥ 0 (a count, or a rate of a normalized matrix). */
export function checkCount(method: string, rowCategory: string, colCategory: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new MetricsError(
      method,
      `the cell ("${rowCategory}", "${colCategory}") is ${describeValue(value)}`,
      'confusion-matrix cells must be finite numbers ≥ 0 (counts, or fractions of a normalized matrix)',
    );
  }
}

/** A zero-filled matrix over `categories` (the SDK's `set_confusion_matrix_categories`). */
export function emptyConfusionMatrix(categories: readonly string[]): MutableConfusionMatrix {
  return {
    annotationSpecs: categories.map((displayName) => ({ displayName })),
    rows: categories.map(() => ({ row: categories.map(() => 0) })),
  };
}

/**
 * The confusion matrix already in `metadata`, with its category names, for editing by row or cell;
 * throws when there is none yet or it is malformed.
 */
export function existingConfusionMatrix(
  method: string,
  metadata: Record<string, unknown>,
): { matrix: MutableConfusionMatrix; categories: string[] } {
  const matrix = metadata['confusionMatrix'];
  if (matrix === undefined) {
    throw new MetricsError(
      method,
      'there is no confusion matrix yet',
      'call setConfusionMatrixCategories(categories) (or logConfusionMatrix) first',
    );
  }
  const problems = confusionMatrixProblems(matrix);
  if (problems.length > 0) {
    throw new MetricsError(
      method,
      `the metadata's confusionMatrix is malformed (${problems.join('; ')})`,
      'start it again with setConfusionMatrixCategories(categories) or logConfusionMatrix(categories, matrix)',
    );
  }
  const valid = matrix as MutableConfusionMatrix;
  return { matrix: valid, categories: valid.annotationSpecs.map((spec) => spec.displayName) };
}

/** The index of `category`, or a MetricsError naming the known categories. */
export function categoryIndex(method: string, category: string, categories: readonly string[]): number {
  const index = categories.indexOf(category);
  if (index < 0) {
    throw new MetricsError(
      method,
      `unknown category ${typeof category === 'string' ? `"${category}"` : describeValue(category)}; the confusion matrix has ${categories.map((c) => `"${c}"`).join(', ')}`,
      'use one of those names, or set the categories again with setConfusionMatrixCategories',
    );
  }
  return index;
}

/**
 * Every reason the KFP UI would show an error banner instead of plotting this `confusionMatrix`
 * (the checks of its MetricsVisualizations viewer); empty when it plots.
 */
export function confusionMatrixProblems(matrix: unknown): string[] {
  if (!isRecord(matrix)) return ['confusionMatrix must be an object with annotationSpecs and rows'];
  const problems: string[] = [];
  const specs = matrix['annotationSpecs'];
  const rows = matrix['rows'];
  if (!Array.isArray(specs) || !specs.every((s) => isRecord(s) && typeof s['displayName'] === 'string')) {
    problems.push('confusionMatrix.annotationSpecs must be an array of {displayName: string}');
  }
  if (!Array.isArray(rows) || !rows.every((r) => isRecord(r) && Array.isArray(r['row']))) {
    problems.push('confusionMatrix.rows must be an array of {row: number[]} (each row wrapped in an object)');
  } else if (Array.isArray(specs)) {
    if (rows.length !== specs.length) problems.push(`confusionMatrix has ${specs.length} annotationSpecs but ${rows.length} rows`);
    rows.forEach((r, i) => {
      const row = (r as { row: unknown[] }).row;
      if (row.length !== specs.length) problems.push(`confusionMatrix.rows[${i}].row has ${row.length} entries, expected ${specs.length}`);
      if (!row.every((v) => typeof v === 'number' && Number.isFinite(v)))
        problems.push(`confusionMatrix.rows[${i}].row must hold only numbers`);
    });
  }
  return problems;
}
