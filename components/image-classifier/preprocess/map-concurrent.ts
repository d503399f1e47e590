/**
 * Maps over items with at most `limit` promises in flight, results in input order. sharp decodes
 * on libuv's thread pool (4 threads by default), so a few images in flight keep every core busy
 * without holding the whole data set in memory.
 */
export async function mapConcurrent<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  // One iterator shared by the workers: each takes the next unclaimed item when it is free.
  const pending = items.entries();
  const worker = async () => {
    for (const [index, item] of pending) results[index] = await fn(item, index);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
