import { formatProblem, PipelineValidationError, type PipelineProblem } from '../compiler/dsl/errors';
import type { CommandIo } from './sub-command';

/** A pipeline file's problems, with the file as the user typed it: what the report names. */
export class PipelineFileProblems extends PipelineValidationError {
  constructor(
    readonly file: string,
    problems: readonly PipelineProblem[],
  ) {
    super(problems);
  }
}

/** Every problem the compiler found, one `✖` line each under a count, as all commands print them. */
export function reportPipelineProblems(io: CommandIo, command: string, subject: string, error: PipelineValidationError): void {
  const count = error.problems.length;
  io.stderr(`kfp-ts ${command}: ${subject} has ${count} problem${count === 1 ? '' : 's'}:\n`);
  for (const problem of error.problems) io.stderr(`  ✖ ${formatProblem(problem)}\n`);
}
