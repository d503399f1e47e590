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
  stopDetachedServer,
  writeServerInfo,
} from '../../serving/detached-server';
import { localModelFolder } from '../../components/image-classifier/prediction-server/model-folder';
import { openLocalRegistry, registryRoot } from '../../serving/registry/local-registry';
import { predictPath } from '../../serving/resource-names';
import { defaultLocalFolder } from '../../runner/run-pipeline';
import { UsageError, type Command, type CommandIo } from '../command';
import { parseArgs, positiveIntegerOption } from '../parse-args';

// The prediction server and the backend choice load tfjs (about 0.6 s): required when a server
// starts, not at every kfp-ts command's start-up, which loads every command module.
const startPredictionServer: typeof import('../../components/image-classifier/prediction-server/prediction-server').startPredictionServer = (options) =>
  (require('../../components/image-classifier/prediction-server/prediction-server') as typeof import('../../components/image-classifier/prediction-server/prediction-server')).startPredictionServer(options);
const parseBackendPreference: typeof import('../../components/image-classifier/train/backend-choice').parseBackendPreference = (value) =>
  (require('../../components/image-classifier/train/backend-choice') as typeof import('../../components/image-classifier/train/backend-choice')).parseBackendPreference(value);

const usage = `Usage: kfp-ts serve [ENDPOINT] [--port N] [--host ADDRESS] [--backend B] [--state-dir DIR]
       kfp-ts serve --detach | --stop [--state-dir DIR]
       kfp-ts serve --model FOLDER|gs://… [--predict-route /predict] [--health-route /health] [--port N] [--host ADDRESS]

Serves the endpoints of the local registry with Vertex AI's predict API, in the foreground until
Ctrl-C:  POST http://HOST:PORT/v1/projects/P/locations/L/endpoints/ID:predict
with {"instances": [{"b64": "<base64 PNG/JPEG>"}, ...]}. ENDPOINT (an id, resource name or display
name) only chooses which URL is printed; every endpoint is served. Deployments and rollbacks take
effect without a restart.

  --port N          port to listen on (default: any free port)
  --host ADDRESS    address to listen on (default 127.0.0.1; the server has no authentication)
  --backend B       tfjs backend: wasm (default), cpu, webgpu, tensorflow or auto
  --state-dir DIR   the folder holding registry/ (default .kfp-ts)
  --detach          make sure the background server (the one ModelDeployOp starts) runs, print its address
  --stop            stop the background server
  --model URI       serve this one serving bundle (a folder, or gs://… downloaded at start) on Vertex's
                    custom-container routes instead of the registry: the serving image runs this
  --predict-route R with --model: the predict path (default /predict; Vertex passes AIP_PREDICT_ROUTE)
  --health-route R  with --model: the health path (default /health; Vertex passes AIP_HEALTH_ROUTE)
`;

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the local endpoints with the Vertex AI predict API',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, {
      values: {
        port: ['--port'],
        host: ['--host'],
        backend: ['--backend'],
        stateDir: ['--state-dir'],
        model: ['--model'],
        predictRoute: ['--predict-route'],
        healthRoute: ['--health-route'],
      },
      flags: { detach: ['--detach'], stop: ['--stop'], background: ['--background'] },
    });
    if (args.positionals.length > 1) throw new UsageError(`unexpected arguments: ${args.positionals.slice(1).join(' ')}`);
    const stateDir = path.resolve(io.cwd, args.values['stateDir'] ?? defaultLocalFolder);
    if (args.flags['stop']) {
      const stopped = await stopDetachedServer(stateDir);
      io.stdout(stopped ? `Stopped the prediction server ${stopped.url} (pid ${stopped.pid}).\n` : `No prediction server runs for ${stateDir}.\n`);
      return 0;
    }
    if (args.values['model'] !== undefined) return serveOneModel(args.values, stateDir, io);
    if (!fs.existsSync(registryRoot(stateDir))) {
      io.stderr(`kfp-ts: no local registry in ${stateDir}; run a pipeline that deploys (npm run demo), or pass --state-dir\n`);
      return 1;
    }
    const endpoint = args.positionals[0] !== undefined ? openLocalRegistry(stateDir).endpoints.find(args.positionals[0]) : undefined;
    const printUrls = (url: string) => {
      const endpoints = endpoint ? [endpoint] : openLocalRegistry(stateDir).endpoints.list();
      for (const e of endpoints) io.stdout(`  ${e.displayName}: POST ${url}${predictPath(e.name)}\n`);
    };
    if (args.flags['detach']) {
      const server = await ensureDetachedServer(stateDir);
      io.stdout(`${server.started ? 'Started' : 'Already running:'} the prediction server ${server.url} (pid ${server.pid}, log ${path.join(stateDir, 'serving', 'server.log')})\n`);
      printUrls(server.url);
      return 0;
    }
    if (args.flags['background']) return serveInBackground(stateDir, io);
    const port = args.values['port'] === undefined ? 0 : positiveIntegerOption(args.values['port'], '--port')!;
    const backend = parseBackendPreference(args.values['backend'] ?? 'wasm');
    const server = await startPredictionServer({ stateDir, port, backend, ...(args.values['host'] ? { host: args.values['host'] } : {}), log: (line) => io.stdout(`${line}\n`) });
    io.stdout(`Serving the endpoints of ${registryRoot(stateDir)} at ${server.url} (Ctrl-C stops)\n`);
    printUrls(server.url);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await server.close();
    return 0;
  },
};

/** One bundle on fixed routes, as the serving image runs it; until SIGTERM (Vertex's stop) or Ctrl-C. */
async function serveOneModel(values: Record<string, string | undefined>, stateDir: string, io: CommandIo): Promise<number> {
  const log = (line: string) => io.stdout(`${line}\n`);
  const bundleDir = await localModelFolder(values['model']!, log);
  const port = values['port'] === undefined ? 0 : positiveIntegerOption(values['port'], '--port')!;
  const model = {
    bundleDir,
    ...(values['predictRoute'] ? { predictRoute: values['predictRoute'] } : {}),
    ...(values['healthRoute'] ? { healthRoute: values['healthRoute'] } : {}),
  };
  const server = await startPredictionServer({ stateDir, model, port, backend: parseBackendPreference(values['backend'] ?? 'wasm'), ...(values['host'] ? { host: values['host'] } : {}), log });
  log(`Serving ${values['model']} at ${server.url}: POST ${model.predictRoute ?? '/predict'}, GET ${model.healthRoute ?? '/health'}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  return 0;
}

/** How long the background server waits for a request before it exits. */
const IDLE_EXIT_MS = 60 * 60 * 1000;

/**
 * The detached server's process: takes the folder's server lock (exiting with SERVER_LOCKED_EXIT
 * when another server process holds it), records its address, exits when idle or when its
 * registry is gone, and releases the lock when it exits or fails to start.
 */
async function serveInBackground(stateDir: string, io: CommandIo): Promise<number> {
  const lock = await acquireServerLock(stateDir);
  if (!lock.acquired) {
    io.stderr(`kfp-ts: a prediction server already runs or starts for ${stateDir}${lock.holder !== undefined ? ` (pid ${lock.holder})` : ''}; it holds ${serverLockFile(stateDir)}\n`);
    return SERVER_LOCKED_EXIT;
  }
  try {
    // A server of a version without the lock.
    const running = await runningServer(stateDir);
    if (running) {
      io.stderr(`kfp-ts: a prediction server already runs for ${stateDir} at ${running.url} (pid ${running.pid})\n`);
      return 1;
    }
    const server = await startPredictionServer({ stateDir, log: (line) => io.stdout(`${line}\n`) });
    writeServerInfo({ pid: process.pid, url: server.url, stateDir, startedAt: new Date().toISOString() });
    io.stdout(`${new Date().toISOString()} serving ${registryRoot(stateDir)} at ${server.url}\n`);
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
    io.stdout(`${new Date().toISOString()} stopping: ${reason}\n`);
    removeServerInfo(stateDir, process.pid);
    await server.close();
    return 0;
  } finally {
    releaseServerLock(stateDir);
  }
}
