import { PipelineValidationError } from '../compiler/dsl/errors';
import { isKfpTsError } from '../compiler/errors/kfp-ts-error';
import { UsageError, type Command, type CommandIo } from './sub-command';
import { describeEnvironmentError } from './environment-errors';
import { PipelineFileProblems, reportPipelineProblems } from './report-problems';
import { describeThrownValue } from './thrown-value';

/** The exit code of an error that is a bug in kfp-ts (EX_SOFTWARE of sysexits.h, as cli/bin/kfp-ts.js uses). */
export const INTERNAL_ERROR_EXIT_CODE = 70;

/**
 * Reports an error a command threw, once for every command, and returns the exit code: a
 * KfpTsError is the user's to fix and its message is the whole report (usage errors add the
 * command's usage, exit 2); a known environment problem (full disk, read-only store, port in use)
 * says what to do; anything else is a bug in kfp-ts, printed with its stack. With `debug`
 * (KFP_TS_DEBUG=1) every report ends with the stack, for filing an issue.
 */
export function reportCommandError(command: Command, error: unknown, io: CommandIo, debug: boolean): number {
  const prefix = `kfp-ts ${command.name}:`;
  const stack = () => (debug && error instanceof Error && error.stack ? `${error.stack}\n` : '');
  if (error instanceof PipelineValidationError) {
    reportPipelineProblems(io, command.name, error instanceof PipelineFileProblems ? error.file : 'the pipeline', error);
    io.stderr(stack());
    return error.exitCode;
  }
  if (isKfpTsError(error)) {
    io.stderr(`${prefix} ${error.message}\n${stack()}`);
    if (error instanceof UsageError) io.stderr(`\n${command.usage}`);
    return error.exitCode;
  }
  const environment = describeEnvironmentError(error);
  if (environment !== undefined) {
    io.stderr(`${prefix} ${environment}\n${stack()}`);
    return 1;
  }
  const detail = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : describeThrownValue(error);
  io.stderr(`${prefix} internal error (a bug in kfp-ts; please report it with this output):\n${detail}\n`);
  return INTERNAL_ERROR_EXIT_CODE;
}
