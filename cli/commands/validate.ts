import * as path from 'node:path';
import type { Command, CommandIo } from '../sub-command';
import { UsageError } from '../sub-command';
import { IrFileError, loadIrFile } from '../../compiler/ir/load-ir-file';
import { SUPPORTED_SCHEMA_VERSION, validatePipelineSpec } from '../../compiler/ir/validate-pipeline-spec';

const USAGE = `Usage: kfp-ts validate <ir.json|ir.yaml> [more files…]

Checks compiled pipeline files (KFP v2 PipelineSpec, schema ${SUPPORTED_SCHEMA_VERSION}, as JSON or YAML) against the
PipelineSpec schema, then checks that their components, executors, tasks and inputs refer to things that exist.
A YAML file may hold a second document with the platform config ('platforms: …').

Prints one line per valid file, and one line per problem with the JSON path of the offending field:
  pipeline.yaml: root.dag.tasks['train'].componentRef.name: component 'comp-trian' is not defined in components …

Exit status: 0 when every file is valid, 1 when any is not, 2 for a usage error.
`;

/** `kfp-ts validate`: a pre-flight check for IR files before they go to Vertex AI or a KFP backend. */
export const validateCommand: Command = {
  name: 'validate',
  usage: USAGE,
  async run(args: readonly string[], io: CommandIo): Promise<number> {
    const files = fileArguments(args);
    let invalidFiles = 0;
    let problemCount = 0;
    for (const file of files) {
      const problems = checkFile(file, io);
      if (problems > 0) invalidFiles++;
      problemCount += problems;
    }
    if (invalidFiles > 0) {
      io.stdout(`${invalidFiles} of ${plural(files.length, 'file')} invalid (${plural(problemCount, 'problem')})\n`);
    } else if (files.length > 1) {
      io.stdout(`all ${plural(files.length, 'file')} valid\n`);
    }
    return invalidFiles > 0 ? 1 : 0;
  },
};

function fileArguments(args: readonly string[]): string[] {
  const files: string[] = [];
  let optionsEnded = false;
  for (const arg of args) {
    if (!optionsEnded && arg === '--') optionsEnded = true;
    else if (!optionsEnded && arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option '${arg}'`);
    else files.push(arg);
  }
  if (files.length === 0) throw new UsageError('expected at least one IR file (.json, .yaml or .yml)');
  return files;
}

/** Reports on one file; returns how many problems it has (0 when valid). Paths print as the user typed them. */
function checkFile(file: string, io: CommandIo): number {
  let spec: unknown;
  try {
    spec = loadIrFile(path.resolve(io.cwd, file)).spec;
  } catch (error) {
    if (!(error instanceof IrFileError)) throw error;
    const where = error.line === undefined ? file : `${file}:${error.line}:${error.column ?? 1}`;
    io.stdout(`${where}: ${error.reason}\n`);
    return 1;
  }
  const problems = validatePipelineSpec(spec);
  for (const problem of problems) {
    io.stdout(problem.path === '' ? `${file}: ${problem.message}\n` : `${file}: ${problem.path}: ${problem.message}\n`);
  }
  if (problems.length === 0) io.stdout(`${file}: ${describeValidSpec(spec as ValidSpecSummary)}\n`);
  return problems.length;
}

/** The few fields the summary line reads; a spec that passed validation has them in this shape. */
interface ValidSpecSummary {
  readonly pipelineInfo: { readonly name: string };
  readonly components?: Readonly<Record<string, unknown>>;
  readonly root: { readonly dag?: { readonly tasks?: Readonly<Record<string, unknown>> } };
}

function describeValidSpec(spec: ValidSpecSummary): string {
  const components = Object.keys(spec.components ?? {}).length;
  const tasks = Object.keys(spec.root.dag?.tasks ?? {}).length;
  return `valid PipelineSpec '${spec.pipelineInfo.name}' (${plural(components, 'component')}, ${plural(tasks, 'task')} in root)`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
