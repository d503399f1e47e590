/**
 * At most `limit` calls of `run` in flight; the rest wait in arrival order. Downloads have
 * latency, not CPU cost, so they want more in flight than image decodes do, and a limit of their
 * own keeps a slow bucket from holding every decode slot.
 */
export type ConcurrencyLimit = <T>(task: () => Promise<T>) => Promise<T>;

export function concurrencyLimit(limit: number): ConcurrencyLimit {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`concurrency limit must be a whole number ≥ 1, got ${limit}.`);
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter, so `active` never over-counts.
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}
