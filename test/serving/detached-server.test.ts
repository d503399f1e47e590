import { type ChildProcess, execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import {
  acquireServerLock,
  ensureDetachedServer,
  releaseServerLock,
  runningServer,
  serverLockFile,
  servingFolder,
  stopDetachedServer,
  writeServerInfo,
} from '../../serving/detached-server';
import { registryRoot } from '../../serving/registry/local-registry';

const projectRoot = path.resolve(__dirname, '../..');
const hasProc = fs.existsSync('/proc/self/cmdline');
const itWithProc = hasProc ? it : it.skip;

let stateDir: string;
const children: ChildProcess[] = [];
const serverPids = new Set<number>();

beforeEach(() => {
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-detached-'));
});

afterEach(async () => {
  await stopDetachedServer(stateDir);
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  // Servers this test started (a second one, should the lock fail); deleting the folder stops them too.
  for (const pid of serverPids) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // gone
    }
  }
  serverPids.clear();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

/** A live process that is not a prediction server; `args` land in its command line. */
async function idleProcess(...args: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000); console.log("up")', '--', ...args], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  children.push(child);
  await new Promise((resolve) => child.stdout!.once('data', resolve));
  return child;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once('exit', () => resolve()));

const serverJson = () => path.join(servingFolder(stateDir), 'server.json');

describe('stopDetachedServer', () => {
  it('never signals a live process that server.json names but that is not the server (a reused pid): it only deletes server.json', async () => {
    const unrelated = await idleProcess();
    writeServerInfo({ pid: unrelated.pid!, url: 'http://127.0.0.1:9', stateDir, startedAt: new Date().toISOString() });
    expect(await stopDetachedServer(stateDir)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(unrelated.exitCode).toBeNull();
    expect(unrelated.signalCode).toBeNull();
    expect(fs.existsSync(serverJson())).toBe(false);
  });

  it('deletes a server.json whose process is gone', async () => {
    const gone = await idleProcess();
    gone.kill('SIGKILL');
    await exited(gone);
    writeServerInfo({ pid: gone.pid!, url: 'http://127.0.0.1:9', stateDir, startedAt: new Date().toISOString() });
    expect(await stopDetachedServer(stateDir)).toBeUndefined();
    expect(fs.existsSync(serverJson())).toBe(false);
  });

  itWithProc('stops a server process that no longer answers, recognised by its command line (serve --background)', async () => {
    const hung = await idleProcess('serve', '--state-dir', stateDir, '--background');
    writeServerInfo({ pid: hung.pid!, url: 'http://127.0.0.1:9', stateDir, startedAt: new Date().toISOString() });
    expect((await stopDetachedServer(stateDir))?.pid).toBe(hung.pid);
    await exited(hung);
    expect(hung.signalCode).toBe('SIGTERM');
    expect(fs.existsSync(serverJson())).toBe(false);
  });
});

describe('the server lock', () => {
  it('is exclusive, names its holder and is released by it', async () => {
    expect(await acquireServerLock(stateDir)).toEqual({ acquired: true });
    expect(fs.readFileSync(serverLockFile(stateDir), 'utf8').trim()).toBe(String(process.pid));
    expect(await acquireServerLock(stateDir)).toEqual({ acquired: false, holder: process.pid });
    releaseServerLock(stateDir, process.pid + 1); // not the holder: kept
    expect(fs.existsSync(serverLockFile(stateDir))).toBe(true);
    releaseServerLock(stateDir);
    expect(fs.existsSync(serverLockFile(stateDir))).toBe(false);
  });

  it('is taken over when its pid is dead', async () => {
    const gone = await idleProcess();
    gone.kill('SIGKILL');
    await exited(gone);
    fs.mkdirSync(servingFolder(stateDir), { recursive: true });
    fs.writeFileSync(serverLockFile(stateDir), `${gone.pid}\n`);
    expect(await acquireServerLock(stateDir)).toEqual({ acquired: true });
    expect(fs.readFileSync(serverLockFile(stateDir), 'utf8').trim()).toBe(String(process.pid));
  });

  itWithProc(
    'is taken over when its pid now belongs to another kind of process, and kept when it is a serve --background process',
    async () => {
      fs.mkdirSync(servingFolder(stateDir), { recursive: true });
      const unrelated = await idleProcess();
      fs.writeFileSync(serverLockFile(stateDir), `${unrelated.pid}\n`);
      expect(await acquireServerLock(stateDir)).toEqual({ acquired: true });
      const server = await idleProcess('serve', '--background');
      fs.writeFileSync(serverLockFile(stateDir), `${server.pid}\n`);
      expect(await acquireServerLock(stateDir)).toEqual({ acquired: false, holder: server.pid });
    },
  );
});

describe('background servers', () => {
  jest.setTimeout(120_000);

  it('two processes starting the server of one folder at once get the same server; --stop stops it and frees the lock', async () => {
    fs.mkdirSync(registryRoot(stateDir), { recursive: true });
    const detach = () =>
      promisify(execFile)(process.execPath, ['cli/bin/kfp-ts.js', 'serve', '--detach', '--state-dir', stateDir], { cwd: projectRoot });
    const outputs = await Promise.all([detach(), detach()]);
    const pids = outputs.map(({ stdout }) => Number(/\(pid (\d+),/.exec(stdout)?.[1]));
    pids.forEach((pid) => serverPids.add(pid));
    expect(pids[0]).toBeGreaterThan(0);
    expect(pids[1]).toBe(pids[0]);
    expect(outputs.map(({ stdout }) => stdout.split(' the prediction server')[0]).sort()).toEqual(['Already running:', 'Started']);
    expect(fs.readFileSync(serverLockFile(stateDir), 'utf8').trim()).toBe(String(pids[0]));
    // A later start in this process finds it too.
    expect(await ensureDetachedServer(stateDir)).toMatchObject({ pid: pids[0], started: false });

    const stopped = await stopDetachedServer(stateDir);
    expect(stopped?.pid).toBe(pids[0]);
    expect(alive(pids[0]!)).toBe(false);
    expect(await runningServer(stateDir)).toBeUndefined();
    expect(fs.existsSync(serverJson())).toBe(false);
    expect(fs.existsSync(serverLockFile(stateDir))).toBe(false);
  });
});
