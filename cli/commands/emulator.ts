import * as path from 'node:path';
import { UsageError, type Command } from '../command';
import { putKfpTsOnPath } from '../kfp-ts-on-path';
import { parseArgs } from '../parse-args';

const usage = `Usage: kfp-ts emulator [--port N] [--host H] [--work-dir DIR] [--no-execute]

Serves a local Vertex AI PipelineService (gRPC, plaintext) for 'kfp-ts submit --endpoint H:N' and
'kfp-ts jobs … --endpoint H:N': Create, Get, List and Cancel PipelineJob. Submitted jobs run with
the local runner, so a pipeline runs end to end on this machine; gs://BUCKET/PATH is DIR/gcs/BUCKET/PATH.
Stops on Ctrl-C.

  --port N        the port (default 0: any free port, printed at start)
  --host H        the address to listen on (default 127.0.0.1)
  --work-dir DIR  where outputs and the ML Metadata store of jobs go (default .kfp-ts/emulator)
  --no-execute    keep jobs PENDING instead of running them
`;

export const emulatorCommand: Command = {
  name: 'emulator',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, { values: { port: ['--port'], host: ['--host'], workDir: ['--work-dir'] }, flags: { noExecute: ['--no-execute'] } });
    if (args.positionals.length) throw new UsageError(`unexpected arguments: ${args.positionals.join(' ')}`);
    const port = Number(args.values['port'] ?? 0);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number (0–65535), got '${args.values['port']}'`);
    const workDir = path.resolve(io.cwd, args.values['workDir'] ?? '.kfp-ts/emulator');
    // Imported here so that other commands do not load gRPC.
    const { PipelineServiceEmulator } = require('../../vertex/emulator/pipeline-service-emulator') as typeof import('../../vertex/emulator/pipeline-service-emulator');
    const { gcpcLocalLaunchers } = require('../../serving/gcpc-launchers') as typeof import('../../serving/gcpc-launchers');
    // Its jobs' containerized steps run `kfp-ts exec-component …`: this kfp-ts, found on PATH.
    putKfpTsOnPath();
    const emulator = await PipelineServiceEmulator.start({
      port,
      workDir,
      workingDirectory: io.cwd,
      execute: !args.flags['noExecute'],
      // What Vertex does for GCPC's launchers, against the local registry and prediction server.
      localLaunchers: gcpcLocalLaunchers,
      ...(args.values['host'] !== undefined ? { host: args.values['host'] } : {}),
      log: (line) => io.stdout(`${line}\n`),
    });
    io.stdout(`Vertex AI PipelineService emulator listening on ${emulator.endpoint} (work dir ${workDir})\n`);
    io.stdout(`Submit with: kfp-ts submit PIPELINE --project P --region R --pipeline-root gs://BUCKET/ROOT --endpoint ${emulator.endpoint}\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await emulator.stop();
    return 0;
  },
};
