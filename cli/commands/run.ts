import * as path from 'node:path';
import { experimentNameProblem } from '../../runner/experiment-name';
import { defaultLocalFolder, runPipeline } from '../../runner/run-pipeline';
import { gcpcLocalLaunchers } from '../../serving/gcpc-launchers';
import { parseParameterPairs } from '../../runner/run-parameters';
import { TerminalReporter } from '../terminal-reporter';
import { UsageError, type Command } from '../sub-command';
import { LOAD_TIMEOUT_OPTION_NAMES, LOAD_TIMEOUT_USAGE, loadPipelineFile, pipelineFileOptions } from '../load-pipeline-in-worker';
import { parseArgs, positiveIntegerOption } from '../parse-args';
import { putKfpTsOnPath } from '../kfp-ts-on-path';
import { staleProjectImages } from '../stale-images';
import { PROJECT_OPTIONS_USAGE, PROJECT_OPTION_NAMES } from '../project-options';

const usage = `Usage: kfp-ts run <pipeline.ts|ir.json|ir.yaml> [options]

Runs a pipeline on this machine: container tasks run as host processes, independent tasks in
parallel, with KFP step caching and ML Metadata lineage in a local SQLite store.

  --param NAME=VALUE      a pipeline parameter (repeatable); values are parsed by the declared type
  --pipeline-root DIR     where outputs go (default .kfp-ts/outputs)
  --metadata FILE         the ML Metadata store (default .kfp-ts/metadata.sqlite)
  --no-cache              run every task, ignoring and not reusing the cache
  --enable-caching        cache every task, whatever the pipeline says
  --parallelism N         container tasks running at once (default: number of cores)
  --resume RUN_ID         finish an earlier run, reusing the tasks it completed
  --task-timeout SECONDS  kill a task that runs longer than this
  --export NAME           the exported pipeline of a .ts file to run
  --experiment NAME       add the run to this experiment (created when missing; list it with kfp-ts runs --experiment)
${PROJECT_OPTIONS_USAGE}
${LOAD_TIMEOUT_USAGE}

Ctrl-C (or SIGTERM) cancels the run: no new task starts, running tasks get SIGTERM and, after a
few seconds, SIGKILL; a second Ctrl-C kills them at once. The run ends CANCELLED (exit code 130,
143 for SIGTERM) and --resume RUN_ID finishes it later.
`;

export const runCommand: Command = {
  name: 'run',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, {
      values: {
        pipelineRoot: ['--pipeline-root'],
        metadata: ['--metadata'],
        parallelism: ['--parallelism'],
        resume: ['--resume'],
        taskTimeout: ['--task-timeout'],
        export: ['--export'],
        experiment: ['--experiment'],
        ...PROJECT_OPTION_NAMES,
        ...LOAD_TIMEOUT_OPTION_NAMES,
      },
      repeated: { param: ['--param', '-p'] },
      flags: { noCache: ['--no-cache'], enableCaching: ['--enable-caching'] },
    });
    const [file, ...extra] = args.positionals;
    if (file === undefined) throw new UsageError('missing the pipeline file');
    if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    if (args.flags['noCache'] && args.flags['enableCaching']) throw new UsageError('--no-cache and --enable-caching contradict each other');
    const parallelism = positiveIntegerOption(args.values['parallelism'], '--parallelism');
    const taskTimeout = positiveIntegerOption(args.values['taskTimeout'], '--task-timeout');
    const experimentProblem = args.values['experiment'] !== undefined ? experimentNameProblem(args.values['experiment']) : undefined;
    if (experimentProblem !== undefined) throw new UsageError(experimentProblem);
    // Containerized steps run `kfp-ts exec-component …`: this kfp-ts, found on PATH.
    putKfpTsOnPath();
    const reporter = new TerminalReporter({ write: io.stdout, isTTY: io.isTTY === true });
    const cancel = cancelOnSignals((text) => reporter.notice(text));
    try {
      const { spec, projectFolder, imageWorkingDirectories } = await loadPipelineFile({
        file,
        cwd: io.cwd,
        output: io.stderr,
        ...pipelineFileOptions(args.values),
      });
      for (const line of staleProjectImages(spec, Object.keys(imageWorkingDirectories))) {
        io.stderr(
          `kfp-ts run: warning: ${file} names an older build of project image ${line}; its containerized steps would run today's code under the old image name (and cache key): compile it again\n`,
        );
      }
      const result = await runPipeline(spec, {
        parameters: parseParameterPairs(args.repeated['param'] ?? []),
        parametersFromCommandLine: true,
        pipelineRoot: path.resolve(io.cwd, args.values['pipelineRoot'] ?? path.join(defaultLocalFolder, 'outputs')),
        metadataFile: path.resolve(io.cwd, args.values['metadata'] ?? path.join(defaultLocalFolder, 'metadata.sqlite')),
        ...(args.flags['noCache'] ? { enableCaching: false } : args.flags['enableCaching'] ? { enableCaching: true } : {}),
        ...(parallelism !== undefined ? { parallelism } : {}),
        ...(args.values['resume'] ? { resumeRunId: args.values['resume'] } : {}),
        ...(args.values['experiment'] !== undefined ? { experiment: args.values['experiment'] } : {}),
        ...(taskTimeout !== undefined ? { taskTimeoutMs: taskTimeout * 1000 } : {}),
        // Containerized steps run `kfp-ts exec-component <module>` from their image's working
        // directory, which holds the image's build context: here, that folder of the project.
        workingDirectory: projectFolder,
        imageWorkingDirectories,
        // GCPC's Vertex launchers run against the local registry and prediction server.
        localLaunchers: gcpcLocalLaunchers,
        reporter,
        signal: cancel.signal,
        killSignal: cancel.killSignal,
      });
      if (result.state === 'CANCELLED') {
        io.stdout(`Resume it with: kfp-ts run ${resumeCommand(argv, result.runId)}\n`);
        return cancel.exitCode ?? 130;
      }
      return result.state === 'SUCCEEDED' ? 0 : 1;
    } finally {
      cancel.dispose();
    }
  },
};

const signalExitCodes = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * While a run is in progress, SIGINT (Ctrl-C) and SIGTERM cancel it instead of killing the runner:
 * the first aborts `signal` (tasks stopped gracefully), the second `killSignal` (task processes
 * killed at once), a third leaves at once (--resume marks what was left RUNNING as interrupted).
 */
function cancelOnSignals(notice: (text: string) => void): {
  readonly signal: AbortSignal;
  readonly killSignal: AbortSignal;
  /** 128 + the first signal's number, once one arrived. */
  readonly exitCode: number | undefined;
  dispose(): void;
} {
  const graceful = new AbortController();
  const forced = new AbortController();
  let exitCode: number | undefined;
  let received = 0;
  const onSignal = (name: keyof typeof signalExitCodes) => {
    received++;
    exitCode ??= signalExitCodes[name];
    if (received === 1) {
      notice('cancelling… (Ctrl-C again to force)');
      graceful.abort(new Error(`${name} received`));
    } else if (received === 2) {
      notice('killing the running tasks… (Ctrl-C again to quit at once)');
      forced.abort(new Error(`${name} received again`));
    } else {
      process.exit(exitCode);
    }
  };
  const onInt = () => onSignal('SIGINT');
  const onTerm = () => onSignal('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    signal: graceful.signal,
    killSignal: forced.signal,
    get exitCode() {
      return exitCode;
    },
    dispose() {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}

/** The arguments of this `kfp-ts run` with `--resume RUN_ID` (replacing one given), for the user to paste. */
function resumeCommand(argv: readonly string[], runId: string): string {
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--resume') i++;
    else if (!argv[i]!.startsWith('--resume=')) kept.push(argv[i]!);
  }
  return [...kept, '--resume', runId].map(shellQuote).join(' ');
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
