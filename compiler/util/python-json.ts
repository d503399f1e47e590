import type { JsonValue } from '../dsl/types';

/**
 * `json.dumps` as the reference compiler calls it: Python's default separators (", ", ": "),
 * ASCII-only output, and optionally keys sorted. Used for placeholders and literal loop items.
 */
export function pythonJsonDumps(value: JsonValue, sortKeys = false): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : value > 0 ? 'Infinity' : value < 0 ? '-Infinity' : 'NaN';
  if (typeof value === 'string') {
    return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  }
  if (Array.isArray(value)) return `[${value.map((item) => pythonJsonDumps(item, sortKeys)).join(', ')}]`;
  const keys = Object.keys(value);
  if (sortKeys) keys.sort();
  return `{${keys.map((key) => `${pythonJsonDumps(key)}: ${pythonJsonDumps(value[key]!, sortKeys)}`).join(', ')}}`;
}
