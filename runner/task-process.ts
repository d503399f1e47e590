/**
 * A task's process group, written into its folder when its command starts, so that a runner
 * resuming a run whose runner was killed (kill -9, a crash, a closed terminal) can find the task
 * processes that outlived it and stop them before running the task again: a second copy beside
 * the first would write into the same folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { identityOf, isIdentity, isRunning, processGroupMembers, type ProcessIdentity } from './process-identity';

/** `<task folder>/kfp_ts_process.json`: `{ pid, start }` of the group leader (the task's command, which leads its own group). */
export const TASK_PROCESS_FILE = 'kfp_ts_process.json';

/** How long an orphaned task has between SIGTERM and SIGKILL: as long as a cancelled task. */
const ORPHAN_GRACE_MS = 5000;

export function recordTaskProcess(taskDir: string, pid: number): void {
  const identity = identityOf(pid);
  // Gone already (a command that exits at once): nothing can outlive the runner.
  if (identity) fs.writeFileSync(path.join(taskDir, TASK_PROCESS_FILE), JSON.stringify(identity));
}

function recordedProcess(taskDir: string): ProcessIdentity | undefined {
  try {
    const value: unknown = JSON.parse(fs.readFileSync(path.join(taskDir, TASK_PROCESS_FILE), 'utf8'));
    return isIdentity(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The processes of the task's recorded group that still run. While its leader runs (same pid and
 * start time) the whole group is the task's; once the leader is gone, a process group id cannot be
 * given to a new group while members of the old one live, so remaining members are the task's too.
 * A pid now used by another process means the group is empty.
 */
function survivors(recorded: ProcessIdentity): number[] {
  if (isRunning(recorded)) return processGroupMembers(recorded.pid);
  if (identityOf(recorded.pid) !== undefined) return [];
  return processGroupMembers(recorded.pid);
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

/**
 * Stops what is left of the task's last command (SIGTERM to its group, SIGKILL after a grace
 * period), noting it in the task's log. Returns the pids that were running.
 */
export async function stopOrphanedTask(taskDir: string, graceMs = ORPHAN_GRACE_MS): Promise<number[]> {
  const recorded = recordedProcess(taskDir);
  if (!recorded) return [];
  const found = survivors(recorded);
  if (found.length === 0) return [];
  signalGroup(recorded.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (survivors(recorded).length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  if (survivors(recorded).length > 0) signalGroup(recorded.pid, 'SIGKILL');
  try {
    fs.appendFileSync(
      path.join(taskDir, 'executor.log'),
      `\n[kfp-ts local runner] stopped process group ${recorded.pid} (pids ${found.join(', ')}), left running by a runner that died, before running the task again\n`,
    );
  } catch {
    // no log to note it in
  }
  return found;
}
