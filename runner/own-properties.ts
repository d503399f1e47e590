/**
 * Name lookups on records whose keys come from the IR or from tasks (task names, parameter and
 * artifact names). A plain `record[name]` finds inherited members for names such as `__proto__` or
 * `constructor`, and `record[name] = value` with `__proto__` replaces the prototype instead of
 * adding a key; these read and write own properties only.
 */

export function ownValue<T>(record: Readonly<Record<string, T>> | undefined, name: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, name) ? record[name] : undefined;
}

/** Defines `name` as an ordinary own property (enumerable, writable), whatever the name is. */
export function setOwnValue<T>(record: Record<string, T>, name: string, value: T): void {
  Object.defineProperty(record, name, { value, enumerable: true, writable: true, configurable: true });
}

/** The record's own entries as a Map (a missing record gives an empty one). */
export function ownEntries<T>(record: Readonly<Record<string, T>> | undefined): Map<string, T> {
  return new Map(record === undefined || record === null ? [] : Object.entries(record));
}
