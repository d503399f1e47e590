/**
 * The prediction server that outlives the run that deployed: one background `kfp-ts serve
 * --background` process per state folder, serving every endpoint of its registry. Its address is
 * in `<state>/serving/server.json` and its output in `server.log` beside it. A deploy reuses a
 * running server (which picks up registry changes by itself) or starts one; the server exits after
 * an hour without requests or once its registry folder is deleted, so servers of test runs and
 * temporary folders do not linger. `kfp-ts serve --stop` stops it. Only a process confirmed to be
 * the folder's server is ever signalled: a pid in server.json may by now belong to something else.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readJson, writeJsonAtomic } from './registry/json-files';

export interface ServerInfo {
  readonly pid: number;
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly stateDir: string;
  readonly startedAt: string;
}

const CLI = path.resolve(__dirname, '..', 'cli', 'bin', 'kfp-ts.js');
const START_TIMEOUT_MS = 60_000;

export function servingFolder(stateDir: string): string {
  return path.join(stateDir, 'serving');
}

function infoFile(stateDir: string): string {
  return path.join(servingFolder(stateDir), 'server.json');
}

export function writeServerInfo(info: ServerInfo): void {
  writeJsonAtomic(infoFile(info.stateDir), info);
}

/** Removes server.json if it still describes this process (a newer server may have replaced it). */
export function removeServerInfo(stateDir: string, pid: number): void {
  if (readJson<ServerInfo>(infoFile(stateDir))?.pid === pid) fs.rmSync(infoFile(stateDir), { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
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

/** The state folder's background server, if it is alive and answers for that folder. */
export async function runningServer(stateDir: string): Promise<ServerInfo | undefined> {
  const info = readJson<ServerInfo>(infoFile(stateDir));
  if (!info || !isAlive(info.pid)) return undefined;
  try {
    const health = (await (await fetch(`${info.url}/health`, { signal: AbortSignal.timeout(5000) })).json()) as { stateDir?: string; pid?: number };
    return health.pid === info.pid && path.resolve(health.stateDir ?? '') === path.resolve(stateDir) ? info : undefined;
  } catch {
    return undefined;
  }
}

const starting = new Map<string, Promise<ServerInfo & { started: boolean }>>();

/** The running background server of `stateDir`, started if there is none. */
export function ensureDetachedServer(stateDir: string): Promise<ServerInfo & { started: boolean }> {
  const key = path.resolve(stateDir);
  let pending = starting.get(key);
  if (!pending) {
    pending = (async () => {
      const running = await runningServer(key);
      return running ? { ...running, started: false } : { ...(await startServer(key)), started: true };
    })().finally(() => starting.delete(key));
    starting.set(key, pending);
  }
  return pending;
}

async function startServer(stateDir: string): Promise<ServerInfo> {
  const folder = servingFolder(stateDir);
  fs.mkdirSync(folder, { recursive: true });
  const logFile = path.join(folder, 'server.log');
  const log = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, [CLI, 'serve', '--state-dir', stateDir, '--background'], {
    detached: true,
    stdio: ['ignore', log, log],
    cwd: path.resolve(__dirname, '..'),
  });
  fs.closeSync(log);
  let exited: number | null | undefined;
  child.on('exit', (code) => (exited = code));
  child.unref();
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited !== undefined) break;
    const info = readJson<ServerInfo>(infoFile(stateDir));
    if (info !== undefined && info.pid === child.pid) return info;
    await sleep(50);
  }
  if (exited === undefined) child.kill('SIGTERM');
  const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n');
  throw new Error(
    `the prediction server did not start (${exited !== undefined ? `it exited with code ${exited}` : `no address after ${START_TIMEOUT_MS / 1000} s`}); its log ${logFile} ends:\n${tail}`,
  );
}

/**
 * Whether the process of server.json is this folder's server: it answers the health check with its
 * pid and folder, or (alive but not answering) its command line is `kfp-ts serve --background`.
 * Where there is no /proc, a process that does not answer is not taken for the server.
 */
async function isFolderServer(stateDir: string, info: ServerInfo): Promise<boolean> {
  if (!isAlive(info.pid)) return false;
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
  for (let waited = 0; waited < 10_000 && isAlive(info.pid); waited += 50) await sleep(50);
  if (isAlive(info.pid)) signal(info.pid, 'SIGKILL');
  removeServerInfo(stateDir, info.pid);
  return info;
}
