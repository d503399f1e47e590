import * as fs from 'node:fs';
import * as path from 'node:path';
import { MetadataStore } from '../../runner/mlmd/metadata-store';
import { defaultLocalFolder } from '../../runner/run-pipeline';
import { experimentRuns, runOverview, type RunOverview } from '../../runner/experiment-runs';
import { experimentNameProblem } from '../../runner/experiment-name';
import { experimentNames } from '../../runner/mlmd/experiment-context';
import { lineageOf, listRuns, runDetails } from '../../runner/run-history';
import { runMetrics } from '../../runner/run-metrics';
import { UsageError, type Command, type CommandIo } from '../sub-command';
import { parseArgs } from '../parse-args';
import { runInfoJson, runJson } from './history-json';
import { experimentTable, runInfoText, runsTable } from './history-tables';

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

const jsonHelp = '  --json            print JSON instead of a table (shapes in cli/commands/history-json.ts)\n';

export const runsCommand: Command = {
  name: 'runs',
  usage:
    `Usage: kfp-ts runs [--pipeline NAME] [--experiment NAME] [--json] [--metadata FILE]\n\n` +
    `Lists the runs in the local metadata store, oldest first, with their metrics.\n\n` +
    `  --pipeline NAME   only this pipeline's runs\n` +
    `  --experiment NAME the runs of this experiment (kfp-ts run --experiment), a column per parameter and metric\n` +
    jsonHelp +
    metadataHelp,
  async run(argv, io) {
    const args = parseArgs(argv, {
      values: { ...metadataOption, pipeline: ['--pipeline'], experiment: ['--experiment'] },
      flags: { json: ['--json'] },
    });
    if (args.positionals.length) throw new UsageError(`unexpected arguments: ${args.positionals.join(' ')}`);
    const experiment = args.values['experiment'];
    if (experiment !== undefined) {
      const problem = experimentNameProblem(experiment);
      if (problem !== undefined) throw new UsageError(problem);
    }
    return withStore(args.values['metadata'], io, (store) => {
      let runs: RunOverview[];
      if (experiment !== undefined) {
        const found = experimentRuns(store, experiment);
        if (!found) {
          const known = experimentNames(store);
          io.stderr(
            `kfp-ts runs: no experiment '${experiment}' in ${store.file}; ${known.length ? `the store has: ${known.join(', ')}` : "start one with 'kfp-ts run PIPELINE --experiment NAME'"}\n`,
          );
          return 1;
        }
        runs = found.filter((run) => args.values['pipeline'] === undefined || run.pipelineName === args.values['pipeline']);
      } else {
        runs = listRuns(store, args.values['pipeline']).flatMap((listing) => {
          const context = store.findContext('system.PipelineRun', listing.runId);
          return context ? [runOverview(store, context)] : [];
        });
      }
      if (args.flags['json']) {
        io.stdout(`${JSON.stringify({ ...(experiment !== undefined ? { experiment } : {}), runs: runs.map(runJson) }, null, 2)}\n`);
      } else if (!runs.length) {
        io.stdout(experiment !== undefined ? `Experiment ${experiment} has no runs yet.\n` : 'No runs yet.\n');
      } else {
        io.stdout(experiment !== undefined ? experimentTable(experiment, runs) : runsTable(runs));
      }
      return 0;
    });
  },
};

export const runInfoCommand: Command = {
  name: 'run-info',
  usage: `Usage: kfp-ts run-info RUN_ID [--json] [--metadata FILE]\n\nThe run's state, parameters, outputs, metrics and tasks.\n\n${jsonHelp}${metadataHelp}`,
  async run(argv, io) {
    const args = parseArgs(argv, { values: metadataOption, flags: { json: ['--json'] } });
    const [runId, ...extra] = args.positionals;
    if (runId === undefined) throw new UsageError('missing the run id (list runs with kfp-ts runs)');
    if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    return withStore(args.values['metadata'], io, (store) => {
      const details = runDetails(store, runId);
      const context = store.findContext('system.PipelineRun', runId);
      if (!details || !context) {
        io.stderr(`kfp-ts run-info: no run '${runId}'; list runs with 'kfp-ts runs'\n`);
        return 1;
      }
      const overview = runOverview(store, context);
      const metrics = runMetrics(store, context.id);
      io.stdout(
        args.flags['json']
          ? `${JSON.stringify(runInfoJson(overview, details, metrics), null, 2)}\n`
          : runInfoText(overview, details, metrics),
      );
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
        : store
            .findArtifactsByUri(path.isAbsolute(target) || /^[a-z]+:\/\//.test(target) ? target : path.resolve(io.cwd, target))
            .map((a) => a.id);
      if (!ids.length || !store.getArtifact(ids[0]!)) {
        io.stderr(
          `kfp-ts lineage: no artifact '${target}' in the store; give an artifact id or the URI a run recorded (kfp-ts run-info shows both)\n`,
        );
        return 1;
      }
      for (const id of ids) {
        const lineage = lineageOf(store, id)!;
        const a = lineage.artifact;
        io.stdout(`Artifact #${a.id} ${a.typeName} ${a.uri ?? ''}\n`);
        for (const producer of lineage.producedBy) {
          io.stdout(
            `  produced by ${producer.path} (${producer.type}, ${producer.state}${producer.runId ? `, run ${producer.runId}` : ''}) as '${producer.key}'\n`,
          );
          for (const input of producer.inputs)
            io.stdout(`    from input '${input.key}': #${input.artifact.id} ${input.artifact.typeName} ${input.artifact.uri ?? ''}\n`);
        }
        if (!lineage.producedBy.length) io.stdout('  produced by: no recorded execution\n');
        for (const consumer of lineage.consumedBy) {
          io.stdout(
            `  consumed by ${consumer.path} (${consumer.type}, ${consumer.state}${consumer.runId ? `, run ${consumer.runId}` : ''}) as '${consumer.key}'\n`,
          );
        }
        if (!lineage.consumedBy.length) io.stdout('  consumed by: nothing yet\n');
      }
      return 0;
    });
  },
};
