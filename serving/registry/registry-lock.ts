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
import { breakStaleLock, lockHolder, processAlive } from '../pid-lock-file';

/** The registry's lock is held by a live process for longer than the wait allows. */
export class RegistryLockTimeout extends KfpTsError {
  override readonly name = 'RegistryLockTimeout';
}

/** How long a writer waits for the lock: registry writes take milliseconds, so this is a hung holder. */
const DEFAULT_WAIT_MS = 30_000;

const held = new Map<string, number>();
const sleeper = new Int32Array(new SharedArrayBuffer(4));

function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

export function registryLockFile(registryRoot: string): string {
  return path.join(path.resolve(registryRoot), 'registry.lock');
}

/** The registry's lock is held by a live process other than this one (this one holding it is re-entry, counted in `held`; a lock naming this pid otherwise is one a crash left). */
const holdsRegistryLock = (pid: number): boolean => pid !== process.pid && processAlive(pid);

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
    const holder = lockHolder(file, holdsRegistryLock);
    if (holder === 'stale') {
      breakStaleLock(file, holdsRegistryLock);
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
