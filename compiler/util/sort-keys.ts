/**
 * A copy of a JSON value with every object's keys in sorted order (UTF-16 code units, as Python's
 * `json.dumps(sort_keys=True)` orders them), so that equal values serialise to equal text: the IR
 * file the compiler writes, and value comparisons that must not depend on key order. Keys are
 * defined, not assigned, so a key named `__proto__` stays an ordinary key. Integer-like keys ('9',
 * '10') still come first in numeric order: every JavaScript object enumerates them so.
 */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(object)
      .sort()
      .map((key) => [key, sortKeys(object[key])]),
  );
}
