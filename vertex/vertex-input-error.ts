/**
 * Bad input for a Vertex AI call, found before any request is sent: every problem at once, each
 * naming what was wrong and what to pass instead.
 */
import { KfpTsError } from '../compiler/errors/kfp-ts-error';

export class VertexInputError extends KfpTsError {
  override readonly name = 'VertexInputError';
  constructor(readonly problems: readonly string[]) {
    super(`Cannot send the request to Vertex AI:\n${problems.map((p) => `  ✖ ${p}`).join('\n')}`);
  }
}

/** Collects problems from several checks so that one error reports them all. */
export class ProblemList {
  readonly problems: string[] = [];

  /** Runs a check that returns a problem (or undefined when the value is fine). */
  check(problem: string | undefined): void {
    if (problem !== undefined) this.problems.push(problem);
  }

  /** Runs a check that throws VertexInputError, keeping its problems; returns its result or undefined. */
  collect<T>(check: () => T): T | undefined {
    try {
      return check();
    } catch (error) {
      if (!(error instanceof VertexInputError)) throw error;
      this.problems.push(...error.problems);
      return undefined;
    }
  }

  throwIfAny(): void {
    if (this.problems.length) throw new VertexInputError(this.problems);
  }
}
