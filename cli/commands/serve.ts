import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  SERVER_LOCKED_EXIT,
  acquireServerLock,
  ensureDetachedServer,
  releaseServerLock,
  removeServerInfo,
  runningServer,
  serverLockFile,
  servingFolder,
  stopDetachedServer,
  writeServerInfo,
} from '../../serving/detached-server';
import { startEndpointServer } from '../../serving/endpoint-server/endpoint-server';
import { projectCommandSearchPath } from '../../serving/model-server/command-search-path';
import { freeLoopbackPort, startModelServer } from '../../serving/model-server/model-process';
import { planModelServer, type ServingHost } from '../../serving/model-server/model-server-plan';
import { openLocalRegistry, registryRoot, type LocalRegistry } from '../../serving/registry/local-registry';
import type { ModelVersionRecord } from '../../serving/registry/model-registry';
import { predictPath } from '../../serving/vertex-resource-names';
import { defaultLocalFolder } from '../../runner/run-pipeline';
import { UsageError, type Command, type CommandIo } from '../sub-command';
import { putKfpTsOnPath } from '../kfp-ts-on-path';
import { parseArgs, positiveIntegerOption } from '../parse-args';

const usage = `Usage: kfp-ts serve [ENDPOINT] [--port N] [--host ADDRESS] [--state-dir DIR]
       kfp-ts serve --detach | --stop [--state-dir DIR]
       kfp-ts serve --model MODEL [--port N] [--state-dir DIR]

Serves the endpoints of the local registry with Vertex AI's predict API, in the foreground until
Ctrl-C:  POST http://HOST:PORT/v1/projects/P/locations/L/endpoints/ID:predict
Each deployed model answers from its own serving command: its containerSpec's command and args,
run on this machine (the image is not pulled) with Vertex's AIP_* variables, started on the
model's first request. ENDPOINT (an id, resource name or display name) only chooses which URL is
printed; every endpoint is served. Deployments and rollbacks take effect without a restart.
Commands are looked up in the node_modules/.bin folders of the current folder and its parents,
then on PATH.

  --port N          port to listen on (default: any free port)
  --host ADDRESS    address to listen on (default 127.0.0.1; the server has no authentication)
  --state-dir DIR   the folder holding registry/ (default .kfp-ts)
  --detach          make sure the background server (the one ModelDeployOp starts) runs, print its address
  --stop            stop the background server (and the serving commands it runs)
  --model MODEL     run one registered model version's serving command in the foreground, as its
                    container would run (MODEL: projects/P/locations/L/models/ID[@VERSION] or
                    ID[@VERSION]), on --port or a free port, and print its predict URL
`;

export const serveCommand: Command = {
  name: 'serve',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, {
      values: { port: ['--port'], host: ['--host'], stateDir: ['--state-dir'], model: ['--model'] },
      flags: { detach: ['--detach'], stop: ['--stop'], background: ['--background'] },
    });
    if (args.positionals.length > 1) throw new UsageError(`unexpected arguments: ${args.positionals.slice(1).join(' ')}`);
    const stateDir = path.resolve(io.cwd, args.values['stateDir'] ?? defaultLocalFolder);
    // Serving commands run on this machine and may call kfp-ts: this one, found on PATH.
    putKfpTsOnPath();
    const host: ServingHost = { workingDirectory: io.cwd, commandSearchPath: projectCommandSearchPath(io.cwd) };
    const port = args.values['port'] === undefined ? undefined : positiveIntegerOption(args.values['port'], '--port')!;
    if (args.flags['stop']) {
      const stopped = await stopDetachedServer(stateDir);
      io.stdout(
        stopped ? `Stopped the prediction server ${stopped.url} (pid ${stopped.pid}).\n` : `No prediction server runs for ${stateDir}.\n`,
      );
      return 0;
    }
    if (!fs.existsSync(registryRoot(stateDir))) {
      io.stderr(`kfp-ts: no local registry in ${stateDir}; run a pipeline that deploys (npm run demo), or pass --state-dir\n`);
      return 1;
    }
    const registry = openLocalRegistry(stateDir);
    if (args.values['model'] !== undefined) return serveOneModel(registry, args.values['model'], stateDir, host, port, io);
    const endpoint = args.positionals[0] !== undefined ? registry.endpoints.find(args.positionals[0]) : undefined;
    const printUrls = (url: string) => {
      const endpoints = endpoint ? [endpoint] : registry.endpoints.list();
      for (const e of endpoints) io.stdout(`  ${e.displayName}: POST ${url}${predictPath(e.name)}\n`);
    };
    if (args.flags['detach']) {
      const server = await ensureDetachedServer(stateDir, host);
      io.stdout(
        `${server.started ? 'Started' : 'Already running:'} the prediction server ${server.url} (pid ${server.pid}, log ${path.join(servingFolder(stateDir), 'server.log')})\n`,
      );
      printUrls(server.url);
      return 0;
    }
    if (args.flags['background']) return serveInBackground(stateDir, host, io);
    const log = (line: string) => io.stdout(`${line}\n`);
    const server = await startEndpointServer({
      stateDir,
      ...host,
      ...(port !== undefined ? { port } : {}),
      ...(args.values['host'] ? { host: args.values['host'] } : {}),
      log,
    });
    io.stdout(`Serving the endpoints of ${registryRoot(stateDir)} at ${server.url} (Ctrl-C stops)\n`);
    printUrls(server.url);
    await stopRequested();
    await server.close();
    return 0;
  },
};

/**
 * One model version's serving command in the foreground, with the AIP_* variables of a deployment
 * (endpoint and deployed model id 0: it is deployed nowhere), until Ctrl-C or SIGTERM.
 */
async function serveOneModel(
  registry: LocalRegistry,
  reference: string,
  stateDir: string,
  host: ServingHost,
  port: number | undefined,
  io: CommandIo,
): Promise<number> {
  let plan: ReturnType<typeof planModelServer>;
  try {
    // An unknown model or version, or one that cannot run here (ModelNotServableError): the user's to fix.
    plan = planModelServer(
      modelVersion(registry, reference),
      { endpointId: '0', deployedModelId: '0' },
      port ?? (await freeLoopbackPort()),
      host,
    );
  } catch (error) {
    io.stderr(`kfp-ts serve: ${(error as Error).message}\n`);
    return 1;
  }
  const logFile = path.join(servingFolder(stateDir), 'models', `model-${plan.model.split('/').at(-1)!.replace('@', '-v')}.log`);
  io.stdout(`Starting ${plan.model}: ${JSON.stringify(plan.argv)} (log ${logFile})\n`);
  const server = await startModelServer(plan, { logFile });
  io.stdout(`Serving ${plan.model} at ${server.url}: POST ${plan.routes.predictRoute}, GET ${plan.routes.healthRoute} (Ctrl-C stops)\n`);
  await Promise.race([stopRequested(), server.exited]);
  await server.stop();
  return 0;
}

/** A model version from its resource name, or from `ID[@VERSION]` of a model in this registry. */
function modelVersion(registry: LocalRegistry, reference: string): ModelVersionRecord {
  if (reference.includes('/')) return registry.models.resolve(reference);
  const [modelId, versionId] = reference.split('@') as [string, string | undefined];
  const model = registry.models.getModel(modelId);
  if (!model)
    throw new Error(`model ${modelId} is not in the local registry ${registry.root}; 'kfp-ts endpoints list' shows what is deployed`);
  return registry.models.resolve(versionId === undefined ? model.name : `${model.name}@${versionId}`);
}

function stopRequested(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

/** How long the background server waits for a request before it exits. */
const IDLE_EXIT_MS = 60 * 60 * 1000;

/**
 * The detached server's process: takes the folder's server lock (exiting with SERVER_LOCKED_EXIT
 * when another server process holds it), records its address, exits when idle or when its
 * registry is gone, and releases the lock when it exits or fails to start.
 */
async function serveInBackground(stateDir: string, host: ServingHost, io: CommandIo): Promise<number> {
  const lock = await acquireServerLock(stateDir);
  if (!lock.acquired) {
    io.stderr(
      `kfp-ts: a prediction server already runs or starts for ${stateDir}${lock.holder !== undefined ? ` (pid ${lock.holder})` : ''}; it holds ${serverLockFile(stateDir)}\n`,
    );
    return SERVER_LOCKED_EXIT;
  }
  try {
    // A server of a version without the lock.
    const running = await runningServer(stateDir);
    if (running) {
      io.stderr(`kfp-ts: a prediction server already runs for ${stateDir} at ${running.url} (pid ${running.pid})\n`);
      return 1;
    }
    const log = (line: string) => io.stdout(`${new Date().toISOString()} ${line}\n`);
    const server = await startEndpointServer({ stateDir, ...host, log });
    writeServerInfo({ pid: process.pid, url: server.url, stateDir, startedAt: new Date().toISOString(), instance: server.instance });
    log(`serving ${registryRoot(stateDir)} at ${server.url}`);
    let timer: NodeJS.Timeout | undefined;
    const reason = await new Promise<string>((resolve) => {
      timer = setInterval(() => {
        if (!fs.existsSync(registryRoot(stateDir))) resolve('its registry folder was deleted');
        else if (Date.now() - server.lastRequestTime() > IDLE_EXIT_MS) resolve(`no request for ${IDLE_EXIT_MS / 60_000} minutes`);
      }, 2000);
      process.once('SIGTERM', () => resolve('SIGTERM'));
      process.once('SIGINT', () => resolve('SIGINT'));
    });
    clearInterval(timer);
    log(`stopping: ${reason}`);
    removeServerInfo(stateDir, process.pid);
    await server.close();
    return 0;
  } finally {
    releaseServerLock(stateDir);
  }
}
