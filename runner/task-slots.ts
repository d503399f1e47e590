/**
 * The run's container slots: at most `limit` container tasks hold one at a time, and tasks ready to
 * run wait in one first-in-first-out queue. A waiting task costs one queue entry (a callback), not a
 * suspended promise chain, and handing a freed slot to the next task is constant work, so the
 * scheduler's cost per task does not grow with the number of tasks waiting.
 */
export class TaskSlots {
  private active = 0;
  private queue: ((() => void) | undefined)[] = [];
  private head = 0;
  private pumping = false;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`a concurrency limit must be a whole number >= 1, got ${limit}`);
  }

  /** Tasks waiting for a slot. */
  get waiting(): number {
    return this.queue.length - this.head;
  }

  /** Whether a task asking now would have to wait. */
  get full(): boolean {
    return this.active >= this.limit || this.waiting > 0;
  }

  /**
   * Calls `start` once a slot is free (at once when one is), in the order asked; `start` then holds
   * the slot until it calls `release`. `start` must not throw.
   */
  whenFree(start: () => void): void {
    this.queue.push(start);
    this.pump();
  }

  /** A slot for code that waits with `await` (a retry after its backoff). */
  acquire(): Promise<void> {
    return new Promise((resolve) => this.whenFree(resolve));
  }

  release(): void {
    if (this.active <= 0) throw new Error('TaskSlots.release called with no slot held');
    this.active--;
    this.pump();
  }

  /**
   * Hands free slots to waiting tasks. A task that gives its slot back at once (one skipped after a
   * cancel) calls release from inside `start`; the flag turns that nested call into one more turn
   * of this loop instead of a recursion as deep as the queue.
   */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.active < this.limit && this.head < this.queue.length) {
        const start = this.queue[this.head]!;
        this.queue[this.head++] = undefined;
        this.active++;
        start();
      }
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
    } finally {
      this.pumping = false;
    }
  }
}
