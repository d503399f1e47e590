/**
 * JSON as Go's `encoding/json` writes a decoded value: object keys sorted, no whitespace, numbers
 * as JS writes them (Go's float formatting matches `Number#toString` for finite values), and
 * strings with Go's HTML-safe escapes of `<`, `>`, `&`, U+2028 and U+2029. The KFP cache
 * fingerprint hashes exactly these bytes (`GenerateFingerPrint`,
 * https://github.com/kubeflow/pipelines/blob/master/backend/src/v2/cacheutils/cache.go).
 */
export function goJson(value: unknown): string {
  if (typeof value === 'string') return goString(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object)
    .filter((key) => object[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${goString(key)}:${goJson(object[key])}`).join(',')}}`;
}

function goString(text: string): string {
  return JSON.stringify(text).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
