import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { servingFolder, stopDetachedServer, writeServerInfo } from '../../serving/detached-server';

const hasProc = fs.existsSync('/proc/self/cmdline');
const itWithProc = hasProc ? it : it.skip;

let stateDir: string;
const children: ChildProcess[] = [];

beforeEach(() => {
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-detached-'));
});

afterEach(async () => {
  await stopDetachedServer(stateDir);
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  fs.rmSync(stateDir, { recursive: true, force: true });
});

/** A live process that is not a prediction server; `args` land in its command line. */
async function idleProcess(...args: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000); console.log("up")', '--', ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
  children.push(child);
  await new Promise((resolve) => child.stdout!.once('data', resolve));
  return child;
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve()));

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
