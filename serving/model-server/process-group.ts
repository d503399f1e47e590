/**
 * A serving command's process group: signalled as a whole, and judged gone when none of its
 * processes runs any more. A killed orphan stays a zombie until its new parent reaps it, which a
 * container's or sandbox's first process may never do; a zombie runs nothing, so on Linux (where
 * /proc tells) it does not count, and a stop need not wait out its deadline for it.
 */
import * as fs from 'node:fs';

export function signalGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-group, signal);
  } catch {
    // the group is gone
  }
}

/** Whether a process of the group still runs (one we may not signal counts). */
export function groupRuns(group: number): boolean {
  try {
    process.kill(-group, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (!fs.existsSync('/proc/self/stat')) return true;
  return fs.readdirSync('/proc').some((entry) => /^\d+$/.test(entry) && runsIn(entry, group));
}

/** Polls until no process of the group runs, or `ms` have passed. */
export async function waitUntilGroupEnds(group: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (groupRuns(group) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** `/proc/PID/stat` is "pid (comm) state ppid pgrp …", and comm may hold spaces and parentheses. */
function runsIn(pid: string, group: number): boolean {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false; // it ended while we looked
  }
  const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(pgrp) === group && state !== 'Z';
}
