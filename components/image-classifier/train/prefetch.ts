/**
 * Yields produce(0), produce(1), … produce(count − 1) in order while keeping the next `depth`
 * items already in production: when the consumer receives item i, items i+1 … i+depth have been
 * started. Whatever runs them off the main thread (sharp's decodes on libuv's threads, or a
 * BatchWorkerPool's threads making whole batches) then works while the consumer runs a training step.
 */
export async function* prefetched<T>(count: number, produce: (index: number) => Promise<T>, depth = 1): AsyncGenerator<T> {
  if (!Number.isInteger(depth) || depth < 0) throw new Error(`prefetch depth must be a whole number ≥ 0, got ${depth}.`);
  const pending: Promise<T>[] = [];
  let started = 0;
  const startNext = () => {
    const promise = produce(started++);
    // A consumer may stop (early stopping, an error) with items still in flight: their failures
    // must not surface as unhandled rejections. The item itself still rejects when awaited.
    promise.catch(() => undefined);
    pending.push(promise);
  };
  while (started < Math.min(count, depth + 1)) startNext();
  for (let index = 0; index < count; index++) {
    yield await pending.shift()!;
    // Started only once the consumer is done with the item: at most depth + 1 items in memory.
    if (started < count) startNext();
  }
}
