/**
 * How long a training loop waits for its input. The accelerator (or the wasm step on the main
 * thread) idles while the loop awaits the next batch, so that wait, as a share of the whole
 * training phase, says whether the input pipeline keeps up: near 0 it does, near 1 the step is
 * starved and more decode workers or a deeper prefetch would help.
 */

export interface DataWait {
  /** Time spent awaiting the next item, summed. */
  readonly waitSeconds: number;
  /** From the first request for an item to the end of the last step. */
  readonly totalSeconds: number;
  /** waitSeconds / totalSeconds, in [0, 1]; 0 for an empty input. */
  readonly share: number;
  readonly items: number;
}

/**
 * Runs `step` on each item in order and times the waits between steps. Stopping early (a step
 * throws) closes `items`, as for-await does, so a producer can release its workers.
 */
export async function consumeTimingWaits<T>(items: AsyncIterable<T>, step: (item: T) => Promise<void> | void): Promise<DataWait> {
  const iterator = items[Symbol.asyncIterator]();
  const started = performance.now();
  let waited = 0;
  let count = 0;
  let exhausted = false;
  try {
    for (;;) {
      const asked = performance.now();
      const next = await iterator.next();
      waited += performance.now() - asked;
      if (next.done) {
        exhausted = true;
        break;
      }
      await step(next.value);
      count++;
    }
  } finally {
    if (!exhausted) await iterator.return?.(undefined);
  }
  const total = performance.now() - started;
  return {
    waitSeconds: waited / 1000,
    totalSeconds: total / 1000,
    share: count > 0 && total > 0 ? Math.min(1, waited / total) : 0,
    items: count,
  };
}
