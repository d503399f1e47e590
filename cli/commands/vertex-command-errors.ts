import { DslUsageError, PipelineValidationError } from '../../compiler/dsl/errors';
import { IrFileError } from '../../compiler/ir/load-ir-file';
import { InvalidIrError } from '../../compiler/ir/validate-pipeline-spec';
import { VertexApiError } from '../../vertex/api-errors';
import { VertexInputError } from '../../vertex/vertex-input-error';
import type { CommandIo } from '../command';
import { PipelineModuleError } from '../load-pipeline-module';
import { reportPipelineProblems } from '../report-problems';
import { ConfigError } from '../../project/config-error';
import { ImageConfigurationError } from '../../containers/images';

/**
 * Reports the errors the Vertex commands expect (a pipeline that does not load or compile, bad
 * input, an API error) on stderr and returns exit code 1; anything else is rethrown as a bug.
 */
export function reportVertexCommandError(command: string, error: unknown, io: CommandIo): number {
  if (error instanceof PipelineValidationError) {
    reportPipelineProblems(io, command, 'the pipeline', error);
    return 1;
  }
  if (
    error instanceof VertexInputError ||
    error instanceof VertexApiError ||
    error instanceof PipelineModuleError ||
    error instanceof DslUsageError ||
    error instanceof InvalidIrError ||
    error instanceof IrFileError ||
    error instanceof ConfigError ||
    error instanceof ImageConfigurationError
  ) {
    io.stderr(`kfp-ts ${command}: ${error.message}\n`);
    return 1;
  }
  throw error;
}

/** A `--poll-interval` in seconds (fractions allowed) as milliseconds. */
export function pollIntervalMs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seconds = Number(text);
  if (!(seconds > 0)) throw new VertexInputError([`--poll-interval must be a number of seconds > 0, got '${text}'`]);
  return seconds * 1000;
}
