/**
 * Lock files that hold their holder's pid, shared by the registry's writer lock and the background
 * server's lock: who holds one, and taking over one whose holder is gone. The file is created
 * exclusively (`wx`) and the pid written after, so an empty file is a creator between the two
 * steps, or one a crash left (then it is stale after EMPTY_LOCK_STALE_MS).
 */
import * as fs from 'node:fs';

/** A lock file still empty (its creator between open and write) after this long was left by a crash. */
const EMPTY_LOCK_STALE_MS = 10_000;

export type LockHolder = { readonly pid: number } | 'none' | 'stale' | 'being-written';

/** Whether `pid` is a live process (EPERM: alive, but another user's). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Who holds the lock file: the pid it names when `holds(pid)` says that process still holds it. */
export function lockHolder(file: string, holds: (pid: number) => boolean): LockHolder {
  let text: string;
  let modified: number;
  try {
    text = fs.readFileSync(file, 'utf8');
    modified = fs.statSync(file).mtimeMs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
    throw error;
  }
  const pid = Number.parseInt(text.trim(), 10);
  if (!Number.isInteger(pid) || pid <= 0)
    return text.trim() === '' && Date.now() - modified < EMPTY_LOCK_STALE_MS ? 'being-written' : 'stale';
  return holds(pid) ? { pid } : 'stale';
}

/** Deletes a stale lock under a second exclusive file, so that two breakers cannot delete a fresh lock. */
export function breakStaleLock(file: string, holds: (pid: number) => boolean): void {
  const breaker = `${file}.break`;
  let fd: number;
  try {
    fd = fs.openSync(breaker, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Someone else is breaking it; a breaker left by a crash is old.
    try {
      if (Date.now() - fs.statSync(breaker).mtimeMs > EMPTY_LOCK_STALE_MS) fs.rmSync(breaker, { force: true });
    } catch {
      // gone meanwhile
    }
    return;
  }
  try {
    if (lockHolder(file, holds) === 'stale') fs.rmSync(file, { force: true });
  } finally {
    fs.closeSync(fd);
    fs.rmSync(breaker, { force: true });
  }
}
