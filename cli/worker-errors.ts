/**
 * Errors crossing the boundary of the thread a pipeline file is loaded in. The structured clone of
 * postMessage keeps an Error's message and stack but not its class, its problem list or its errno
 * fields, so an error travels as plain data and is rebuilt here as what the CLI reports it as.
 */
import { PipelineValidationError, type PipelineProblem } from '../compiler/dsl/errors';
import { isKfpTsError, KfpTsError } from '../compiler/errors/kfp-ts-error';
import { UsageError } from './sub-command';
import { PipelineFileProblems } from './report-problems';
import { describeThrownValue } from './thrown-value';

export type SerializedError =
  | { readonly kind: 'problems'; readonly problems: readonly PipelineProblem[] }
  | { readonly kind: 'usage'; readonly message: string; readonly stack?: string }
  | { readonly kind: 'expected'; readonly name: string; readonly message: string; readonly exitCode: number; readonly stack?: string }
  | {
      readonly kind: 'other';
      readonly name: string;
      readonly message: string;
      readonly stack?: string;
      readonly fields: Readonly<Record<string, string | number>>;
    };

/** A KfpTsError from the loading thread: its message, exit code and class name, for the CLI's report. */
export class LoadedPipelineError extends KfpTsError {
  override readonly name: string;
  override readonly exitCode: number;
  constructor(name: string, message: string, exitCode: number) {
    super(message);
    this.name = name;
    this.exitCode = exitCode;
  }
}

/** The errno-like fields describeEnvironmentError reads (code, path, address, port, syscall). */
const FIELDS = ['code', 'path', 'address', 'port', 'syscall', 'errno'] as const;

export function serializeError(error: unknown): SerializedError {
  if (error instanceof PipelineValidationError) return { kind: 'problems', problems: error.problems };
  const stack = error instanceof Error && error.stack !== undefined ? { stack: error.stack } : {};
  if (error instanceof UsageError) return { kind: 'usage', message: error.message, ...stack };
  if (isKfpTsError(error)) return { kind: 'expected', name: error.name, message: error.message, exitCode: error.exitCode, ...stack };
  const fields: Record<string, string | number> = {};
  let current: unknown = error;
  // An environment error may be wrapped: its fields come from the first cause that has them.
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    for (const key of FIELDS) {
      const value = (current as Record<string, unknown>)[key];
      if ((typeof value === 'string' || typeof value === 'number') && fields[key] === undefined) fields[key] = value;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return error instanceof Error
    ? { kind: 'other', name: error.name, message: error.message, ...stack, fields }
    : { kind: 'other', name: 'Error', message: `a value that is not an Error was thrown: ${describeThrownValue(error)}`, fields };
}

/** The error to throw in the CLI's thread; `file` is the pipeline file as the user typed it. */
export function reviveError(serialized: SerializedError, file: string): Error {
  switch (serialized.kind) {
    case 'problems':
      return new PipelineFileProblems(file, serialized.problems);
    case 'usage':
      return withStack(new UsageError(serialized.message), serialized.stack);
    case 'expected':
      return withStack(new LoadedPipelineError(serialized.name, serialized.message, serialized.exitCode), serialized.stack);
    case 'other': {
      const error = withStack(new Error(serialized.message), serialized.stack);
      error.name = serialized.name;
      return Object.assign(error, serialized.fields);
    }
  }
}

function withStack<E extends Error>(error: E, stack: string | undefined): E {
  if (stack !== undefined) error.stack = stack;
  return error;
}
