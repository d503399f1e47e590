/**
 * One writer at a time for a registry folder, across processes: a run deploying, the CLI rolling
 * back and a second run deploying all read a record, change it and write it back, and without a
 * lock the last write silently drops the others' changes. The lock is `<registry>/registry.lock`,
 * created exclusively and holding the pid of its holder; a lock whose pid is dead is stale (its
 * holder crashed) and is taken over. Readers take no lock: every record is replaced by a rename, so
 * a reader sees the old record or the new one.
 *
 * The registry's calls are synchronous (the launchers and the CLI call them between awaits), so
 * the wait is a synchronous sleep. The lock is re-entrant within a process.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KfpTsError } from '../../compiler/errors/kfp-ts-error';

/** The registry's lock is held by a live process for longer than the wait allows. */
export class RegistryLockTimeout extends KfpTsError {
  override readonly name = 'RegistryLockTimeout';
}

/** How long a writer waits for the lock: registry writes take milliseconds, so this is a hung holder. */
const DEFAULT_WAIT_MS = 30_000;
/** A lock file still empty (its creator between open and write) after this long was left by a crash. */
const EMPTY_LOCK_STALE_MS = 10_000;

const held = new Map<string, number>();
const sleeper = new Int32Array(new SharedArrayBuffer(4));

function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

export function registryLockFile(registryRoot: string): string {
  return path.join(path.resolve(registryRoot), 'registry.lock');
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

type Holder = { readonly pid: number } | 'none' | 'stale' | 'being-written';

function holderOf(file: string): Holder {
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
  if (!Number.isInteger(pid) || pid <= 0) return text.trim() === '' && Date.now() - modified < EMPTY_LOCK_STALE_MS ? 'being-written' : 'stale';
  // This process holding it is not re-entry (that is counted in `held`): it is one a crash left.
  return pid !== process.pid && processAlive(pid) ? { pid } : 'stale';
}

/** Deletes a stale lock under a second exclusive file, so that two breakers cannot delete a fresh lock. */
function breakStale(file: string): void {
  const breaker = `${file}.break`;
  let fd: number;
  try {
    fd = fs.openSync(breaker, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    try {
      if (Date.now() - fs.statSync(breaker).mtimeMs > EMPTY_LOCK_STALE_MS) fs.rmSync(breaker, { force: true });
    } catch {
      // gone meanwhile
    }
    return;
  }
  try {
    if (holderOf(file) === 'stale') fs.rmSync(file, { force: true });
  } finally {
    fs.closeSync(fd);
    fs.rmSync(breaker, { force: true });
  }
}

function acquire(file: string, waitMs: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const deadline = Date.now() + waitMs;
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx');
      try {
        fs.writeSync(fd, `${process.pid}\n`);
      } finally {
        fs.closeSync(fd);
      }
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = holderOf(file);
    if (holder === 'stale') {
      breakStale(file);
      continue;
    }
    if (Date.now() > deadline) {
      const who = typeof holder === 'object' ? `process ${holder.pid}` : 'another process';
      throw new RegistryLockTimeout(
        `the local registry is locked by ${who} (${file}) and was not released within ${waitMs / 1000} s; ` +
          'wait for that kfp-ts command to finish, or, if no kfp-ts process is running, delete the lock file.',
      );
    }
    // Short, growing sleeps: a write holds the lock for a millisecond or two.
    sleepSync(Math.min(1 + attempt, 20));
  }
}

/** Runs `write` holding the registry's lock (`<registryRoot>/registry.lock`). */
export function withRegistryLock<T>(registryRoot: string, write: () => T, waitMs = DEFAULT_WAIT_MS): T {
  const file = registryLockFile(registryRoot);
  const depth = held.get(file) ?? 0;
  if (depth === 0) acquire(file, waitMs);
  held.set(file, depth + 1);
  try {
    return write();
  } finally {
    if (depth === 0) {
      held.delete(file);
      fs.rmSync(file, { force: true });
    } else {
      held.set(file, depth);
    }
  }
}
