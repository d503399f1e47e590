/**
 * The reference SDK renames v1 inputs and outputs to Python identifiers (`Input text` → `input_text`):
 * lower case, each run of other characters becomes `_`, and leading/trailing `_` go. Callers and
 * placeholders use the renamed form.
 */
export function sanitizeV1Name(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^_0-9a-z]+/g, '_')
    .replace(/^_+|_+$/g, '');
}
