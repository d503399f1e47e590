/**
 * The base of every error kfp-ts expects: a mistake in the user's input (a pipeline, IR, a
 * manifest, a flag) or a problem with their environment (a full disk, a read-only store, a busy
 * port). Its message says what was wrong and how to fix it, so the CLI prints the message alone and
 * exits 1; anything else that reaches the CLI is a kfp-ts bug and is reported as an internal error
 * with its stack. Subclasses name the area (`name`) and may add fields for programs.
 */
export class KfpTsError extends Error {
  override readonly name: string = 'KfpTsError';
  /** The process exit code the CLI uses for it: 1, or 2 for command-line usage. */
  readonly exitCode: number = 1;
}

/** Whether `error` is one kfp-ts expects (its message is the whole report). */
export function isKfpTsError(error: unknown): error is KfpTsError {
  return error instanceof KfpTsError;
}
