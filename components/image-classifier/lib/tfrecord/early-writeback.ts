/**
 * Starts writing a file's dirty pages to disk while its writer is still producing them, so the
 * fsync that makes the file durable at close finds little left to do: the disk works in parallel
 * with the CPU (encoding, CRCs) instead of after it. Without this the kernel starts writeback only
 * after dirty_expire (30 s) or past dirty_background_ratio (gigabytes on a large machine), so a
 * fast writer would leave all of a shard for the final fsync.
 *
 * Each kick is an fdatasync on a second descriptor, run on libuv's thread pool and never awaited:
 * the writer's API is synchronous. Kick errors are ignored on purpose: a write-back error is
 * reported again to the writer's own descriptor by its final fsync (Linux keeps a per-descriptor
 * error cursor), which is what decides whether close() succeeds.
 */
import * as fs from 'node:fs';

/** Between kicks: large enough that a kick's fixed cost (a journal commit) is small beside its data. */
export const DEFAULT_WRITEBACK_BYTES = 32 * 1024 * 1024;

export class EarlyWriteback {
  private syncFd: number | undefined;
  private unwritten = 0;
  private inFlight = 0;
  private released = false;

  constructor(
    file: string,
    private readonly everyBytes: number,
  ) {
    this.syncFd = fs.openSync(file, 'r');
  }

  /** Call after each write with its size; starts a kick every `everyBytes`. */
  wrote(bytes: number): void {
    this.unwritten += bytes;
    if (this.unwritten < this.everyBytes || this.syncFd === undefined) return;
    this.unwritten = 0;
    this.inFlight++;
    fs.fdatasync(this.syncFd, () => {
      this.inFlight--;
      this.closeWhenIdle();
    });
  }

  /** No more kicks; the descriptor closes once the kicks still running finish. */
  release(): void {
    this.released = true;
    this.closeWhenIdle();
  }

  private closeWhenIdle(): void {
    if (!this.released || this.inFlight > 0 || this.syncFd === undefined) return;
    fs.closeSync(this.syncFd);
    this.syncFd = undefined;
  }
}
