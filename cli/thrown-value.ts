/**
 * A thrown value as the user wrote it: an Error's message, or for `throw {}`, `throw 'text'`,
 * `throw null` the value itself (String({}) would print "[object Object]"), bounded in length.
 */
export function describeThrownValue(value: unknown): string {
  if (value instanceof Error) return value.message;
  if (typeof value === 'string') return clip(JSON.stringify(value));
  if (value === null || value === undefined || typeof value !== 'object') return String(value);
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) return clip(json);
  } catch {
    // A cycle or a BigInt: the object's tag says at least what it was.
  }
  return Object.prototype.toString.call(value);
}

function clip(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
