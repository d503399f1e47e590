/**
 * Which process a pid names, told apart from a later process that got the same pid: the pid with
 * the process's start time. On Linux the start time is field 22 of /proc/<pid>/stat (clock ticks
 * since boot, proc(5)), exact and cheap; elsewhere it is the wall-clock second `ps -o lstart=`
 * prints, compared with a tolerance of a few seconds.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';

export interface ProcessIdentity {
  readonly pid: number;
  /** `ticks:<n>` (Linux) or `epoch:<unix seconds>` (elsewhere). */
  readonly start: string;
}

let procAvailable: boolean | undefined;
/** Whether this system has Linux's /proc (looked up once, on first use). */
function hasProc(): boolean {
  procAvailable ??= fs.existsSync('/proc/self/stat');
  return procAvailable;
}

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function procStatFields(pid: number): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** The start time of a running (not zombie) process, or undefined when there is none. */
function startOf(pid: number): string | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  if (hasProc()) {
    const fields = procStatFields(pid);
    // fields[0] is the state (field 3), so field 22 is fields[19].
    if (!fields || fields[0] === 'Z' || fields[0] === 'X') return undefined;
    return `ticks:${fields[19]}`;
  }
  const ps = spawnSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8' });
  const started = Date.parse(ps.stdout?.trim() ?? '');
  return ps.status === 0 && Number.isFinite(started) ? `epoch:${Math.round(started / 1000)}` : undefined;
}

/** The identity of a process that was just started (or this one), to record for later checks. */
export function identityOf(pid: number): ProcessIdentity | undefined {
  const start = startOf(pid);
  return start === undefined ? undefined : { pid, start };
}

export function currentProcessIdentity(): ProcessIdentity {
  return identityOf(process.pid) ?? { pid: process.pid, start: `epoch:${Math.round(Date.now() / 1000 - process.uptime())}` };
}

/** Whether the process `identity` recorded still runs (and its pid was not handed to another). */
export function isRunning(identity: ProcessIdentity): boolean {
  const now = startOf(identity.pid);
  if (now === undefined) return false;
  if (now.startsWith('epoch:') && identity.start.startsWith('epoch:')) {
    return Math.abs(Number(now.slice(6)) - Number(identity.start.slice(6))) <= 2;
  }
  return now === identity.start;
}

/**
 * The live members of process group `pgid` (Linux: from /proc; elsewhere from `ps`). The group of
 * a task whose leader has exited can still hold its children; its id cannot be handed to a new
 * group while any of them lives.
 */
export function processGroupMembers(pgid: number): number[] {
  if (hasProc()) {
    const members: number[] = [];
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const fields = procStatFields(Number(entry));
      // fields[2] is the process group (field 5).
      if (fields && fields[0] !== 'Z' && Number(fields[2]) === pgid) members.push(Number(entry));
    }
    return members;
  }
  const ps = spawnSync('ps', ['-A', '-o', 'pid=,pgid='], { encoding: 'utf8' });
  return (ps.stdout ?? '')
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter(([pid, group]) => group === pgid && Number.isInteger(pid))
    .map(([pid]) => pid!);
}

export function isIdentity(value: unknown): value is ProcessIdentity {
  const v = value as Partial<ProcessIdentity> | null;
  return typeof v === 'object' && v !== null && Number.isInteger(v.pid) && typeof v.start === 'string';
}
