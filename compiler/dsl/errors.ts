import { formatLocation, type SourceLocation } from './source-location';
import { KfpTsError } from '../errors/kfp-ts-error';

/** One thing wrong with a pipeline: where (task path and source line), what, and how to fix it. */
export interface PipelineProblem {
  /** Slash-separated path of the task or pipeline, e.g. `my-pipeline/train-model`. */
  readonly path: string;
  /** Undefined where the call site is unknown (a task built outside a pipeline function). */
  readonly location?: SourceLocation | undefined;
  readonly message: string;
  readonly fix: string;
}

export function formatProblem(problem: PipelineProblem): string {
  return `[${problem.path}] ${formatLocation(problem.location)}: ${problem.message} — ${problem.fix}`;
}

/** Thrown by the compiler after validation, with every problem it found. */
export class PipelineValidationError extends KfpTsError {
  override readonly name = 'PipelineValidationError';
  constructor(readonly problems: readonly PipelineProblem[]) {
    super(
      `Pipeline has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n` +
        problems.map((p) => `  ✖ ${formatProblem(p)}`).join('\n'),
    );
  }
}

/**
 * Misuse of the DSL that cannot be recorded and reported later because building cannot go on
 * (e.g. a component called outside a pipeline body).
 */
export class DslUsageError extends KfpTsError {
  override readonly name = 'DslUsageError';
  constructor(message: string, fix: string, location?: SourceLocation) {
    super(`${location ? `${formatLocation(location)}: ` : ''}${message} — ${fix}`);
  }
}
