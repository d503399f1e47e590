import { KfpTsError } from '../../compiler/errors/kfp-ts-error';

/** One output a task did not produce correctly: which, where it was expected, and how to fix it. */
export interface OutputProblem {
  /** The output name; absent for a problem with the ExecutorOutput file as a whole. */
  output?: string;
  file: string;
  message: string;
  fix: string;
}

/** A task's outputs could not be collected; lists every problem, each under the task path. */
export class OutputError extends KfpTsError {
  override readonly name = 'OutputError';
  constructor(
    readonly taskPath: string,
    readonly problems: readonly OutputProblem[],
  ) {
    super(
      problems.length === 1
        ? formatOutputProblem(taskPath, problems[0]!)
        : `[${taskPath}] ${problems.length} outputs were not produced correctly:\n` +
            problems.map((problem) => `  ✖ ${formatOutputProblem(taskPath, problem)}`).join('\n'),
    );
  }
}

function formatOutputProblem(taskPath: string, problem: OutputProblem): string {
  return `[${taskPath}] ${problem.message} — ${problem.fix}`;
}
