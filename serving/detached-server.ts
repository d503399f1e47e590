/**
 * The prediction server that outlives the run that deployed: one background `kfp-ts serve
 * --background` process per state folder, serving every endpoint of its registry (and running the
 * deployed models' serving commands, which stop with it). Its address is
 * in `<state>/serving/server.json` and its output in `server.log` beside it. A deploy reuses a
 * running server (which picks up registry changes by itself) or starts one; the server exits after
 * an hour without requests or once its registry folder is deleted, so servers of test runs and
 * temporary folders do not linger. `kfp-ts serve --stop` stops it.
 *
 * One server per state folder holds, while it runs, `server.lock` (created exclusively, holding its
 * pid): of two processes that start a server for one folder at once, the second sees the lock and
 * exits, and its launcher uses the first. A lock whose pid is dead, or (where /proc tells) is no
 * `kfp-ts serve --background` process, is stale and taken over. Only a process confirmed to be the
 * folder's server is ever signalled: a pid in server.json may by now belong to something else.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { breakStaleLock, lockHolder, processAlive } from './pid-lock-file';
import { readJson, writeJsonAtomic } from './registry/json-files';
import { projectCommandSearchPath } from './model-server/command-search-path';
import type { ServingHost } from './model-server/model-server-plan';

export interface ServerInfo {
  readonly pid: number;
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly stateDir: string;
  readonly startedAt: string;
  /** The random id the server's /health answers with: how a client knows the port is still this server's. */
  readonly instance?: string;
}

const CLI = path.resolve(__dirname, '..', 'cli', 'bin', 'kfp-ts.js');
const START_TIMEOUT_MS = 60_000;
/** The exit status of `kfp-ts serve --background` when another live server process holds the lock. */
export const SERVER_LOCKED_EXIT = 75;

export function servingFolder(stateDir: string): string {
  return path.join(stateDir, 'serving');
}

function infoFile(stateDir: string): string {
  return path.join(servingFolder(stateDir), 'server.json');
}

/** `<state>/serving/server.lock`: the pid of the one background server process of the folder. */
export function serverLockFile(stateDir: string): string {
  return path.join(servingFolder(stateDir), 'server.lock');
}

export function writeServerInfo(info: ServerInfo): void {
  writeJsonAtomic(infoFile(info.stateDir), info);
}

/** Removes server.json if it still describes this process (a newer server may have replaced it). */
export function removeServerInfo(stateDir: string, pid: number): void {
  if (readJson<ServerInfo>(infoFile(stateDir))?.pid === pid) fs.rmSync(infoFile(stateDir), { force: true });
}

/**
 * Whether the command line of `pid` is `… serve … --background …`, as the background server's is:
 * from /proc where there is one (false for a process that is gone), undefined where there is none.
 */
function isBackgroundServeProcess(pid: number): boolean | undefined {
  let cmdline: string;
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return fs.existsSync('/proc/self/cmdline') ? false : undefined;
  }
  const args = cmdline.split('\0');
  return args.includes('serve') && args.includes('--background');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The server lock's pid still holds it: a live process running the background server (this one included). */
const holdsServerLock = (pid: number): boolean => pid === process.pid || (processAlive(pid) && isBackgroundServeProcess(pid) !== false);

/**
 * Takes the state folder's server lock for `pid` (this process by default): true when taken, false
 * when a live server process holds it (its pid then in `holder`). A stale lock is taken over.
 */
export async function acquireServerLock(
  stateDir: string,
  pid = process.pid,
): Promise<{ acquired: true } | { acquired: false; holder?: number }> {
  const file = serverLockFile(stateDir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      const fd = fs.openSync(file, 'wx');
      try {
        fs.writeSync(fd, `${pid}\n`);
      } finally {
        fs.closeSync(fd);
      }
      return { acquired: true };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = lockHolder(file, holdsServerLock);
    if (typeof holder === 'object') return { acquired: false, holder: holder.pid };
    if (Date.now() > deadline) return { acquired: false };
    if (holder === 'stale') breakStaleLock(file, holdsServerLock);
    await sleep(holder === 'stale' ? 5 : 50);
  }
}

/** Deletes the lock file if it names `pid`. */
export function releaseServerLock(stateDir: string, pid = process.pid): void {
  const file = serverLockFile(stateDir);
  try {
    if (Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10) === pid) fs.rmSync(file, { force: true });
  } catch {
    // no lock
  }
}

/**
 * The state folder's background server, if it is alive and answers for that folder: its /health
 * names the instance id server.json records (a port may have been reused by another program).
 */
export async function runningServer(stateDir: string): Promise<ServerInfo | undefined> {
  const info = readJson<ServerInfo>(infoFile(stateDir));
  if (!info || !processAlive(info.pid)) return undefined;
  try {
    if (typeof info.instance !== 'string') return undefined; // written by a version whose /health told its pid instead
    const health = (await (await fetch(`${info.url}/health`, { signal: AbortSignal.timeout(5000) })).json()) as { instance?: unknown };
    return health.instance === info.instance ? info : undefined;
  } catch {
    return undefined;
  }
}

const starting = new Map<string, Promise<ServerInfo & { started: boolean }>>();

/**
 * The running background server of `stateDir`, started if there is none. Calls of one process share
 * one start; calls of several processes at once end up with the same server (the lock). A server
 * started here runs the serving commands from `host`: in its working directory, looking commands
 * up on its search path (which becomes the server's PATH). A server that already runs keeps its own.
 */
export function ensureDetachedServer(stateDir: string, host?: ServingHost): Promise<ServerInfo & { started: boolean }> {
  const key = path.resolve(stateDir);
  let pending = starting.get(key);
  if (!pending) {
    pending = (async () => {
      const running = await runningServer(key);
      return running ? { ...running, started: false } : startServer(key, host);
    })().finally(() => starting.delete(key));
    starting.set(key, pending);
  }
  return pending;
}

async function startServer(stateDir: string, host: ServingHost | undefined): Promise<ServerInfo & { started: boolean }> {
  const folder = servingFolder(stateDir);
  fs.mkdirSync(folder, { recursive: true });
  const logFile = path.join(folder, 'server.log');
  const log = fs.openSync(logFile, 'a');
  const cwd = host?.workingDirectory ?? path.resolve(__dirname, '..');
  const searchPath = host?.commandSearchPath ?? projectCommandSearchPath(cwd);
  const child = spawn(process.execPath, [CLI, 'serve', '--state-dir', stateDir, '--background'], {
    detached: true,
    stdio: ['ignore', log, log],
    cwd,
    env: { ...process.env, PATH: searchPath.join(path.delimiter) },
  });
  fs.closeSync(log);
  let exited: number | null | undefined;
  child.on('exit', (code) => (exited = code));
  child.unref();
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const info = readJson<ServerInfo>(infoFile(stateDir));
    if (info !== undefined && info.pid === child.pid) return { ...info, started: true };
    if (exited === SERVER_LOCKED_EXIT) {
      // Another process started a server for this folder first: use it once it answers.
      const other = await runningServer(stateDir);
      if (other) return { ...other, started: false };
      const holder = lockHolder(serverLockFile(stateDir), holdsServerLock);
      if (holder === 'none' || holder === 'stale') break; // it failed to start
    } else if (exited !== undefined) break;
    await sleep(50);
  }
  if (exited === undefined) child.kill('SIGTERM');
  const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n');
  const why =
    exited === SERVER_LOCKED_EXIT
      ? `another server process holds ${serverLockFile(stateDir)} but did not answer`
      : exited !== undefined
        ? `it exited with code ${exited}`
        : `no address after ${START_TIMEOUT_MS / 1000} s`;
  throw new Error(`the prediction server did not start (${why}); its log ${logFile} ends:\n${tail}`);
}

/**
 * Whether the process of server.json is this folder's server: it answers the health check with its
 * pid and folder, or (alive but not answering) its command line is `kfp-ts serve --background`.
 * Where there is no /proc, a process that does not answer is not taken for the server.
 */
async function isFolderServer(stateDir: string, info: ServerInfo): Promise<boolean> {
  if (!processAlive(info.pid)) return false;
  if ((await runningServer(stateDir))?.pid === info.pid) return true;
  return isBackgroundServeProcess(info.pid) === true;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/**
 * Stops the state folder's background server; returns what was stopped, if anything. A server.json
 * whose pid is gone or belongs to another process is only deleted: that process is not signalled.
 */
export async function stopDetachedServer(stateDir: string): Promise<ServerInfo | undefined> {
  const info = readJson<ServerInfo>(infoFile(stateDir));
  if (!info) return undefined;
  if (!(await isFolderServer(stateDir, info))) {
    removeServerInfo(stateDir, info.pid);
    return undefined;
  }
  signal(info.pid, 'SIGTERM');
  for (let waited = 0; waited < 10_000 && processAlive(info.pid); waited += 50) await sleep(50);
  if (processAlive(info.pid)) signal(info.pid, 'SIGKILL');
  removeServerInfo(stateDir, info.pid);
  releaseServerLock(stateDir, info.pid); // a killed server could not
  return info;
}
