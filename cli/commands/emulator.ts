import * as path from 'node:path';
import { isLoopbackHost } from '../../compiler/util/loopback-host';
import { UsageError, type Command } from '../sub-command';
import { putKfpTsOnPath } from '../kfp-ts-on-path';
import { parseArgs } from '../parse-args';

const usage = `Usage: kfp-ts emulator [--port N] [--host H [--allow-remote]] [--work-dir DIR] [--no-execute]

Serves a local Vertex AI PipelineService (gRPC, plaintext) for 'kfp-ts submit --endpoint H:N' and
'kfp-ts jobs … --endpoint H:N': Create, Get, List and Cancel PipelineJob. Submitted jobs run with
the local runner, so a pipeline runs end to end on this machine; gs://BUCKET/PATH is DIR/gcs/BUCKET/PATH.
Stops on Ctrl-C.

  --port N        the port (default 0: any free port, printed at start)
  --host H        the address to listen on (default 127.0.0.1); an address other than loopback
                  (127.0.0.0/8, ::1, localhost) needs --allow-remote
  --allow-remote  listen on a non-loopback --host. WARNING: the service has no authentication and
                  no TLS, and runs the commands of every job it receives on this machine: anyone
                  who can reach the port can run commands here as you
  --work-dir DIR  where outputs and the ML Metadata store of jobs go (default .kfp-ts/emulator)
  --no-execute    keep jobs PENDING instead of running them
`;

export const emulatorCommand: Command = {
  name: 'emulator',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, {
      values: { port: ['--port'], host: ['--host'], workDir: ['--work-dir'] },
      flags: { noExecute: ['--no-execute'], allowRemote: ['--allow-remote'] },
    });
    if (args.positionals.length) throw new UsageError(`unexpected arguments: ${args.positionals.join(' ')}`);
    const port = Number(args.values['port'] ?? 0);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`--port must be a port number (0–65535), got '${args.values['port']}'`);
    const host = args.values['host'];
    const allowRemote = args.flags['allowRemote'] === true;
    if (host !== undefined && !isLoopbackHost(host) && !allowRemote) {
      throw new UsageError(
        `--host ${host} is not a loopback address: the emulator runs the commands of every job it receives, without authentication or TLS, ` +
          'so anyone who can reach the port could run commands on this machine. Pass --allow-remote as well if that is what you want.',
      );
    }
    if (allowRemote && (host === undefined || isLoopbackHost(host)))
      throw new UsageError('--allow-remote goes with a non-loopback --host (e.g. --host 0.0.0.0 --allow-remote)');
    const workDir = path.resolve(io.cwd, args.values['workDir'] ?? '.kfp-ts/emulator');
    // Imported here so that other commands do not load gRPC.
    const { PipelineServiceEmulator } =
      require('../../vertex/emulator/pipeline-service-emulator') as typeof import('../../vertex/emulator/pipeline-service-emulator');
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
      ...(host !== undefined ? { host, allowRemote } : {}),
      log: (line) => io.stdout(`${line}\n`),
    });
    io.stdout(`Vertex AI PipelineService emulator listening on ${emulator.endpoint} (work dir ${workDir})\n`);
    if (allowRemote)
      io.stderr(
        `WARNING: listening on ${emulator.endpoint} without authentication or TLS: anyone who can reach this port can run commands on this machine as this user.\n`,
      );
    io.stdout(
      `Submit with: kfp-ts submit PIPELINE --project P --region R --pipeline-root gs://BUCKET/ROOT --endpoint ${emulator.endpoint}\n`,
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await emulator.stop();
    return 0;
  },
};
