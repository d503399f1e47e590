import { VertexInputError } from './vertex-input-error';

/** Vertex AI overwrites this one with its own billing id, so a user value would silently vanish. */
const reservedLabelKey = 'vertex-ai-pipelines-run-billing-id';
const maxLabels = 64;
const maxLength = 64;
// Lowercase letters (international ones included: letters without case, such as CJK, count as lowercase), digits, '_' and '-'.
const labelCharacters = /^[\p{Ll}\p{Lo}\p{Nd}_-]*$/u;

/** `k=v` pairs from the command line into a label map (the label rules are checked with the rest of the job). */
export function parseLabels(pairs: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  const problems: string[] = [];
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0) problems.push(`--label '${pair}' is not of the form key=value`);
    else labels[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  if (problems.length) throw new VertexInputError(problems);
  return labels;
}

/**
 * The PipelineJob label rules: keys and values at most 64 characters of lowercase letters, digits,
 * underscores and dashes (international characters allowed); keys start with a letter; at most 64 labels.
 */
export function labelProblems(labels: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  const keys = Object.keys(labels);
  if (keys.length > maxLabels) problems.push(`${keys.length} labels given; Vertex AI allows at most ${maxLabels}`);
  for (const [key, value] of Object.entries(labels)) {
    if (key === reservedLabelKey) {
      problems.push(`label '${key}' is reserved: Vertex AI sets it and overwrites any value; use another key`);
      continue;
    }
    const fix = 'use lowercase letters, digits, _ and -';
    if (!/^[\p{Ll}\p{Lo}]/u.test(key)) problems.push(`label key '${key}' must start with a lowercase letter`);
    if (!labelCharacters.test(key))
      problems.push(
        `label key '${key}' has characters labels cannot: ${fix}${/\p{Lu}/u.test(key) ? ` (e.g. '${key.toLowerCase()}')` : ''}`,
      );
    if ([...key].length > maxLength) problems.push(`label key '${key}' is longer than ${maxLength} characters`);
    if (!labelCharacters.test(value)) problems.push(`label '${key}' has the value '${value}' with characters labels cannot: ${fix}`);
    if ([...value].length > maxLength) problems.push(`label '${key}' has a value longer than ${maxLength} characters`);
  }
  return problems;
}
