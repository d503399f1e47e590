import { formatProblem, type PipelineValidationError } from '../compiler/dsl/errors';
import type { CommandIo } from './command';

/** Every problem the compiler found, one `✖` line each under a count, as all commands print them. */
export function reportPipelineProblems(io: CommandIo, command: string, subject: string, error: PipelineValidationError): void {
  const count = error.problems.length;
  io.stderr(`kfp-ts ${command}: ${subject} has ${count} problem${count === 1 ? '' : 's'}:\n`);
  for (const problem of error.problems) io.stderr(`  ✖ ${formatProblem(problem)}\n`);
}
