import * as path from 'node:path';
import { defaultLocalFolder } from '../../runner/run-pipeline';
import { startViewerServer } from '../../viewer/server/viewer-server';
import { UsageError, type Command } from '../sub-command';
import { parseArgs } from '../parse-args';

const usage = `Usage: kfp-ts ui [--port N] [--host H] [--metadata FILE] [--pipeline-root DIR]

Serves a web app over the local runs until Ctrl-C: runs (filter, metrics columns), each run's graph
updating live, tasks (inputs, outputs, cache, log, command), artifacts rendered by type (metrics,
confusion matrices, ROC and training curves, HTML, Markdown, images), lineage, run comparison and
the local endpoints. It only reads: the ML Metadata store is opened read-only.

  --port N              port to listen on (default: any free port)
  --host H              address to listen on (default 127.0.0.1; the viewer has no authentication)
  --metadata FILE       the ML Metadata store (default .kfp-ts/metadata.sqlite)
  --pipeline-root DIR   the folder the runs wrote to, whose files the viewer may show (default
                        .kfp-ts/outputs); repeat it for several
`;

export const uiCommand: Command = {
  name: 'ui',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, {
      values: { port: ['--port'], host: ['--host'], metadata: ['--metadata'] },
      repeated: { pipelineRoot: ['--pipeline-root'] },
    });
    if (args.positionals.length > 0) throw new UsageError(`unexpected arguments: ${args.positionals.join(' ')}`);
    const portText = args.values['port'];
    const port = portText === undefined ? 0 : Number(portText);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError(`--port must be a port number 0–65535, got '${portText}'`);
    const metadataFile = path.resolve(io.cwd, args.values['metadata'] ?? path.join(defaultLocalFolder, 'metadata.sqlite'));
    const roots = args.repeated['pipelineRoot']!.length ? args.repeated['pipelineRoot']! : [path.join(defaultLocalFolder, 'outputs')];
    const server = await startViewerServer({
      metadataFile,
      pipelineRoots: roots.map((root) => path.resolve(io.cwd, root)),
      // The registry sits beside the store, as the runner's local launchers put it (.kfp-ts/registry).
      stateDir: path.dirname(metadataFile),
      ...(args.values['host'] !== undefined ? { host: args.values['host'] } : {}),
      port,
    });
    io.stdout(`kfp-ts ui: ${server.url}  (reading ${metadataFile}; Ctrl-C stops it)\n`);
    if (!server.live)
      io.stderr(
        `kfp-ts ui: ${path.dirname(metadataFile)} is not writable by you, so SQLite cannot follow the store live: showing it as it was at start\n`,
      );
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void server.close().then(resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    return 0;
  },
};
