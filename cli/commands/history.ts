import * as fs from 'node:fs';
import * as path from 'node:path';
import { MetadataStore } from '../../runner/mlmd/metadata-store';
import { defaultLocalFolder } from '../../runner/run-pipeline';
import { lineageOf, listRuns, runDetails } from '../../runner/run-history';
import { UsageError, type Command, type CommandIo } from '../command';
import { parseArgs } from '../parse-args';

const metadataOption = { metadata: ['--metadata'] } as const;
const metadataHelp = '  --metadata FILE   the ML Metadata store (default .kfp-ts/metadata.sqlite)\n';

/** Runs `read` over the store (closing it after), or says where the missing store was looked for. */
function withStore(file: string | undefined, io: CommandIo, read: (store: MetadataStore) => number): number {
  const resolved = path.resolve(io.cwd, file ?? path.join(defaultLocalFolder, 'metadata.sqlite'));
  if (!fs.existsSync(resolved)) {
    io.stderr(`kfp-ts: no metadata store at ${resolved}; run a pipeline with 'kfp-ts run' first, or pass --metadata FILE\n`);
    return 1;
  }
  const store = MetadataStore.open(resolved);
  try {
    return read(store);
  } finally {
    store.close();
  }
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n';
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export const runsCommand: Command = {
  name: 'runs',
  usage: `Usage: kfp-ts runs [--pipeline NAME] [--metadata FILE]\n\nLists the runs in the local metadata store, oldest first.\n\n  --pipeline NAME   only this pipeline's runs\n${metadataHelp}`,
  async run(argv, io) {
    const args = parseArgs(argv, { values: { ...metadataOption, pipeline: ['--pipeline'] } });
    if (args.positionals.length) throw new UsageError(`unexpected arguments: ${args.positionals.join(' ')}`);
    return withStore(args.values['metadata'], io, (store) => {
      const runs = listRuns(store, args.values['pipeline']);
      if (!runs.length) {
        io.stdout('No runs yet.\n');
        return 0;
      }
      const rows = runs.map((r) => [
        r.runId,
        r.pipelineName,
        r.state,
        new Date(r.startedAt).toISOString().replace('T', ' ').slice(0, 19),
        seconds(r.durationMs),
        Object.entries(r.taskCounts).map(([state, n]) => `${n} ${state.toLowerCase()}`).join(', '),
      ]);
      io.stdout(table([['run', 'pipeline', 'state', 'started (UTC)', 'time', 'tasks'], ...rows]));
      return 0;
    });
  },
};

export const runInfoCommand: Command = {
  name: 'run-info',
  usage: `Usage: kfp-ts run-info RUN_ID [--metadata FILE]\n\n${metadataHelp}`,
  async run(argv, io) {
    const args = parseArgs(argv, { values: metadataOption });
    const [runId, ...extra] = args.positionals;
    if (runId === undefined) throw new UsageError('missing the run id (list runs with kfp-ts runs)');
    if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    return withStore(args.values['metadata'], io, (store) => {
      const details = runDetails(store, runId);
      if (!details) {
        io.stderr(`kfp-ts run-info: no run '${runId}'; list runs with 'kfp-ts runs'\n`);
        return 1;
      }
      io.stdout(
        `Run ${details.runId} of ${details.pipelineName}: ${details.state} in ${seconds(details.durationMs)}\n` +
          `Outputs under ${details.pipelineRoot}\n` +
          `Parameters: ${JSON.stringify(details.parameters)}\n` +
          `Outputs:    ${JSON.stringify(details.outputs)}\n\n`,
      );
      const rows = details.tasks.map((task) => [
        task.path,
        task.state + (task.cachedFrom ? ` (from execution ${task.cachedFrom})` : ''),
        seconds(task.durationMs),
        [...Object.entries(task.outputs).map(([k, v]) => `${k}=${JSON.stringify(v)}`), ...task.outputArtifacts.map((a) => `${a.key}→#${a.id} ${a.uri}`)].join(' '),
      ]);
      io.stdout(table([['task', 'state', 'time', 'outputs'], ...rows]));
      return 0;
    });
  },
};

export const lineageCommand: Command = {
  name: 'lineage',
  usage: `Usage: kfp-ts lineage <artifact URI or id> [--metadata FILE]\n\n${metadataHelp}`,
  async run(argv, io) {
    const args = parseArgs(argv, { values: metadataOption });
    const [target, ...extra] = args.positionals;
    if (target === undefined) throw new UsageError('missing the artifact URI or id');
    if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    return withStore(args.values['metadata'], io, (store) => {
      const ids = /^\d+$/.test(target)
        ? [Number(target)]
        : store.findArtifactsByUri(path.isAbsolute(target) || /^[a-z]+:\/\//.test(target) ? target : path.resolve(io.cwd, target)).map((a) => a.id);
      if (!ids.length || !store.getArtifact(ids[0]!)) {
        io.stderr(`kfp-ts lineage: no artifact '${target}' in the store; give an artifact id or the URI a run recorded (kfp-ts run-info shows both)\n`);
        return 1;
      }
      for (const id of ids) {
        const lineage = lineageOf(store, id)!;
        const a = lineage.artifact;
        io.stdout(`Artifact #${a.id} ${a.typeName} ${a.uri ?? ''}\n`);
        for (const producer of lineage.producedBy) {
          io.stdout(`  produced by ${producer.path} (${producer.type}, ${producer.state}${producer.runId ? `, run ${producer.runId}` : ''}) as '${producer.key}'\n`);
          for (const input of producer.inputs) io.stdout(`    from input '${input.key}': #${input.artifact.id} ${input.artifact.typeName} ${input.artifact.uri ?? ''}\n`);
        }
        if (!lineage.producedBy.length) io.stdout('  produced by: no recorded execution\n');
        for (const consumer of lineage.consumedBy) {
          io.stdout(`  consumed by ${consumer.path} (${consumer.type}, ${consumer.state}${consumer.runId ? `, run ${consumer.runId}` : ''}) as '${consumer.key}'\n`);
        }
        if (!lineage.consumedBy.length) io.stdout('  consumed by: nothing yet\n');
      }
      return 0;
    });
  },
};
