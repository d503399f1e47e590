import type { SqlStatement, StoreHandle } from './store-handle';

/**
 * Group commit for a store written by one busy process (the local runner): writes join one open
 * IMMEDIATE transaction that is committed when the caller needs them durable (before a task's
 * process starts, so that --resume finds a RUNNING execution for any process that outlives the
 * runner), and otherwise at the end of the current event-loop turn at the latest. A commit writes
 * every page it changed to the -wal file once (https://sqlite.org/wal.html), and one task's start
 * and the previous task's end change the same few pages (the Execution table, its indexes and its
 * property rows), so one commit for both writes about half the frames of two, with one BEGIN/COMMIT
 * pair instead of two.
 *
 * What happens after a write becomes visible to people (progress lines, the run summary) waits
 * for its commit (`whenCommitted`), so a runner killed with SIGKILL never loses what it reported.
 */
export class GroupCommit {
  private open = false;
  private readonly waiting: (() => void)[] = [];
  private timer: NodeJS.Immediate | undefined;
  /** An end-of-turn commit that failed: thrown to the next caller, since no caller awaited that one. */
  private failure: unknown;
  private readonly begin: SqlStatement;
  private readonly end: SqlStatement;
  private readonly undo: SqlStatement;

  constructor(
    private readonly db: StoreHandle,
    /** Told whether the open transaction committed (true) or rolled back (false). */
    private readonly onSettled: (committed: boolean) => void,
  ) {
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.end = db.prepare('COMMIT');
    this.undo = db.prepare('ROLLBACK');
  }

  /** Opens the shared transaction unless one is open; writes then run as savepoints inside it. */
  join(): void {
    this.rethrow();
    if (this.open || this.db.inTransaction) return;
    this.begin.run();
    this.open = true;
    // Not unref'd: the process must not exit with writes left uncommitted.
    this.timer = setImmediate(() => {
      this.timer = undefined;
      try {
        this.commit();
      } catch (error) {
        this.failure = error;
      }
    });
  }

  /** Runs `fn` once what was written so far is committed (at once when nothing is pending). */
  whenCommitted(fn: () => void): void {
    if (this.open) this.waiting.push(fn);
    else fn();
  }

  /** Commits the shared transaction, then runs what waited for it, in order. */
  commit(): void {
    if (this.timer) clearImmediate(this.timer);
    this.timer = undefined;
    this.rethrow();
    if (this.open) {
      this.open = false;
      try {
        this.end.run();
      } catch (error) {
        // A failed COMMIT (disk full, I/O error) may leave the transaction open: roll it back so the
        // connection stays usable, and drop what waited on writes that are now lost.
        if (this.db.inTransaction) this.undo.run();
        this.waiting.length = 0;
        this.onSettled(false);
        throw error;
      }
      this.onSettled(true);
    }
    // Each waiter runs even when one before it throws; the first error is thrown afterwards.
    let failed = false;
    let firstError: unknown;
    for (const fn of this.waiting.splice(0)) {
      try {
        fn();
      } catch (error) {
        if (!failed) firstError = error;
        failed = true;
      }
    }
    if (failed) throw firstError;
  }

  private rethrow(): void {
    if (this.failure === undefined) return;
    const failure = this.failure;
    this.failure = undefined;
    throw failure;
  }
}
