import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ModelServerStartError, freeLoopbackPort, startModelServer } from '../../../serving/model-server/model-process';
import { planModelServer } from '../../../serving/model-server/model-server-plan';
import type { ModelVersionRecord } from '../../../serving/registry/model-registry';
import { processAlive } from '../../runner/support';
import { ECHO_SERVER } from '../fixtures/echo-model-pipeline';

/** A serving command's life: ready once its health route answers 200, reported with its log when it is not. */
let work: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-model-process-'));
  fs.writeFileSync(path.join(work, 'answer.txt'), 'yes');
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

async function echoPlan(env: Record<string, string> = {}, command: string[] = ['node', ECHO_SERVER]) {
  const version: ModelVersionRecord = {
    name: 'projects/local/locations/us-central1/models/1@1',
    versionId: '1',
    displayName: 'echo',
    description: '',
    artifactUri: work,
    containerSpec: { image_uri: 'echo:1', command, env: Object.entries(env).map(([name, value]) => ({ name, value })) },
    predictSchemata: {},
    labels: {},
    versionAliases: [],
    pipelineJob: '',
    createTime: '',
  };
  return planModelServer(version, { endpointId: '1', deployedModelId: '1' }, await freeLoopbackPort(), { workingDirectory: work });
}

it('is ready once its health route answers, answers on its predict route, and stops with its process group', async () => {
  const plan = await echoPlan();
  const logFile = path.join(work, 'ready.log');
  const server = await startModelServer(plan, { logFile });
  expect(server.url).toBe(`http://127.0.0.1:${plan.port}`);
  const response = await fetch(server.url + plan.routes.predictRoute, { method: 'POST', body: JSON.stringify({ instances: [1] }) });
  expect(((await response.json()) as any).predictions).toEqual([{ answer: 'yes', instance: 1 }]);
  await server.stop();
  expect(await server.exited).toMatch(/^(code 0|signal SIGTERM)$/);
  expect(processAlive(server.pid)).toBe(false);
  expect(fs.readFileSync(logFile, 'utf8')).toContain(`[kfp-ts] `);
}, 30_000);

it('fails with the end of its log when the command exits before it is healthy', async () => {
  const start = startModelServer(await echoPlan({ ECHO_MODE: 'exit' }), { logFile: path.join(work, 'exit.log') });
  await expect(start).rejects.toThrow(ModelServerStartError);
  await expect(start).rejects.toThrow(
    /serving command \["node",".*echo-model-server\.js"\] ended \(code 3\) before its health route answered 200; its log .*exit\.log ends:\n(.|\n)*echo server: refusing to start/,
  );
}, 30_000);

it('is stopped, and says where it must listen, when its health route does not answer 200 in time', async () => {
  const plan = await echoPlan({ ECHO_MODE: 'unhealthy' });
  const start = startModelServer(plan, { logFile: path.join(work, 'unhealthy.log'), startTimeoutMs: 1500 });
  await expect(start).rejects.toThrow(
    `did not answer 200 on GET http://127.0.0.1:${plan.port}/v1/endpoints/1/deployedModels/1 within 2 s (last: HTTP 503); it must listen on AIP_HTTP_PORT (${plan.port})`,
  );
  // Stopped: nothing listens there any more.
  await expect(fetch(`http://127.0.0.1:${plan.port}/`)).rejects.toThrow();
}, 30_000);

it('is stopped when its start is cancelled', async () => {
  const cancel = new AbortController();
  const start = startModelServer(await echoPlan({ ECHO_MODE: 'unhealthy' }), {
    logFile: path.join(work, 'cancel.log'),
    signal: cancel.signal,
  });
  setTimeout(() => cancel.abort(), 300);
  await expect(start).rejects.toThrow('was stopped before it was ready: the deployment was cancelled');
}, 30_000);

/** A process's state letter from /proc (`Z` for a zombie), or undefined once it is gone. */
function processState(pid: number): { state: string; group: number } | undefined {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
  const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: state!, group: Number(group) };
}

/** The processes that still run in a process group. */
function groupMembers(group: number): number[] {
  if (!fs.existsSync('/proc/self/stat')) return processAlive(-group) ? [group] : [];
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => processState(pid)?.group === group && processAlive(pid));
}

describe('a wrapper command that exits and leaves its server running', () => {
  /** `sh -c '<script>' <echo server>`: the shell is the group's leader, the server its child. */
  const wrapped = (script: string) => ['sh', '-c', script, ECHO_SERVER];

  it('has its whole group stopped by stop(), with SIGKILL for a server that ignores SIGTERM', async () => {
    const pidFile = path.join(work, 'wrapped-ready.pid');
    // The shell exits two seconds after the server listens, long after the health check passed.
    const plan = await echoPlan(
      { ECHO_PID_FILE: pidFile, ECHO_IGNORE_SIGTERM: '1' },
      wrapped(`node "$0" & while [ ! -s "${pidFile}" ]; do sleep 0.05; done; sleep 2`),
    );
    const server = await startModelServer(plan, { logFile: path.join(work, 'wrapped-ready.log'), stopGraceMs: 500 });
    const serverPid = Number(fs.readFileSync(pidFile, 'utf8'));
    expect(await server.exited).toBe('code 0');
    await server.stop();
    expect(processAlive(serverPid)).toBe(false);
    expect(groupMembers(server.pid)).toEqual([]);
    await expect(fetch(server.url + plan.routes.healthRoute)).rejects.toThrow();
  }, 30_000);

  it('has its whole group stopped when the wrapper exits before the server is healthy', async () => {
    const pidFile = path.join(work, 'wrapped-early.pid');
    const plan = await echoPlan(
      { ECHO_MODE: 'unhealthy', ECHO_PID_FILE: pidFile },
      wrapped(`node "$0" & while [ ! -s "${pidFile}" ]; do sleep 0.05; done`),
    );
    const start = startModelServer(plan, { logFile: path.join(work, 'wrapped-early.log'), stopGraceMs: 500 });
    await expect(start).rejects.toThrow(/ended \(code 0\) before its health route answered 200/);
    expect(processAlive(Number(fs.readFileSync(pidFile, 'utf8')))).toBe(false);
    await expect(fetch(`http://127.0.0.1:${plan.port}/`)).rejects.toThrow();
  }, 30_000);
});
