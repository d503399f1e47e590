import * as path from 'node:path';
import { DslUsageError, PipelineValidationError, formatProblem } from '../../compiler/dsl/errors';
import { IrFileError } from '../../compiler/ir/load-ir-file';
import { InvalidIrError } from '../../compiler/ir/validate-pipeline-spec';
import { ResumeError } from '../../runner/resume';
import { defaultLocalFolder, runPipeline } from '../../runner/run-pipeline';
import { RunParameterError, parseParameterPairs } from '../../runner/run-parameters';
import { TerminalReporter } from '../../runner/terminal-reporter';
import { UsageError, type Command } from '../command';
import { PipelineModuleError } from '../load-pipeline-module';
import { loadIrOrPipeline } from '../load-ir-or-pipeline';
import { parseArgs, positiveIntegerOption } from '../parse-args';

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
`;

export const runCommand: Command = {
  name: 'run',
  summary: 'run a pipeline locally (caching, lineage, resume)',
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
    try {
      const spec = loadIrOrPipeline(path.resolve(io.cwd, file), args.values['export']);
      const result = await runPipeline(spec, {
        parameters: parseParameterPairs(args.repeated['param'] ?? []),
        parametersFromCommandLine: true,
        pipelineRoot: path.resolve(io.cwd, args.values['pipelineRoot'] ?? path.join(defaultLocalFolder, 'outputs')),
        metadataFile: path.resolve(io.cwd, args.values['metadata'] ?? path.join(defaultLocalFolder, 'metadata.sqlite')),
        ...(args.flags['noCache'] ? { enableCaching: false } : args.flags['enableCaching'] ? { enableCaching: true } : {}),
        ...(parallelism !== undefined ? { parallelism } : {}),
        ...(args.values['resume'] ? { resumeRunId: args.values['resume'] } : {}),
        ...(taskTimeout !== undefined ? { taskTimeoutMs: taskTimeout * 1000 } : {}),
        workingDirectory: io.cwd,
        reporter: new TerminalReporter({ write: io.stdout, isTTY: io.isTTY === true }),
      });
      return result.state === 'SUCCEEDED' ? 0 : 1;
    } catch (error) {
      if (error instanceof PipelineValidationError) {
        io.stderr(`kfp-ts run: ${file} has ${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}:\n`);
        for (const problem of error.problems) io.stderr(`  ✖ ${formatProblem(problem)}\n`);
        return 1;
      }
      if (
        error instanceof RunParameterError ||
        error instanceof ResumeError ||
        error instanceof PipelineModuleError ||
        error instanceof DslUsageError ||
        error instanceof InvalidIrError ||
        error instanceof IrFileError
      ) {
        io.stderr(`kfp-ts run: ${error.message}\n`);
        return 1;
      }
      throw error;
    }
  },
};
