/** The first JSON path at which two parsed documents differ, or undefined when they are equal. */
export function firstDifference(expected: unknown, actual: unknown, at = ''): string | undefined {
  if (Object.is(expected, actual)) return undefined;
  const describe = (value: unknown) => (value === undefined ? 'missing' : JSON.stringify(value)?.slice(0, 80));
  if (typeof expected !== 'object' || typeof actual !== 'object' || expected === null || actual === null) {
    return `${at || '<document>'}: expected ${describe(expected)}, got ${describe(actual)}`;
  }
  if (Array.isArray(expected) !== Array.isArray(actual)) {
    return `${at || '<document>'}: expected ${describe(expected)}, got ${describe(actual)}`;
  }
  const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  for (const key of [...keys].sort()) {
    const child = Array.isArray(expected)
      ? `${at}[${key}]`
      : /^[A-Za-z_][\w]*$/.test(key)
        ? at
          ? `${at}.${key}`
          : key
        : `${at}['${key}']`;
    const difference = firstDifference((expected as Record<string, unknown>)[key], (actual as Record<string, unknown>)[key], child);
    if (difference) return difference;
  }
  return undefined;
}
