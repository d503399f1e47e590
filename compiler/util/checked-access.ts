/**
 * Lookups whose absence would be a bug in the caller (an index its own loop or modulo keeps in
 * range, a key it inserted itself): they narrow away `undefined` under noUncheckedIndexedAccess and,
 * should the reasoning ever break, fail at the lookup with a message naming it rather than later
 * with "cannot read properties of undefined". Not for hot numeric loops (a call and a branch per
 * element): those index typed arrays directly under a loop bound.
 */

export function itemAt<T>(items: ArrayLike<T>, index: number, what = 'item'): T {
  const item = items[index];
  if (item === undefined) throw new Error(`${what} ${index} is out of range (${items.length} present)`);
  return item;
}

export function entryOf<K, V>(map: ReadonlyMap<K, V>, key: K, what = 'key'): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`${what} ${String(key)} is missing`);
  return value;
}
