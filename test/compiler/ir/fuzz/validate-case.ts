/**
 * One fuzz case through the path `kfp-ts validate` takes (cli/commands/validate.ts): the file read by
 * loadIrFile, then validatePipelineSpec, classified. Runs inside the fuzz worker process.
 */
import { performance } from 'node:perf_hooks';
import { isKfpTsError } from '../../../../compiler/errors/kfp-ts-error';
import { IrFileError, loadIrFile } from '../../../../compiler/ir/load-ir-file';
import { InvalidIrError, validatePipelineSpec } from '../../../../compiler/ir/validate-pipeline-spec';
import { unownedPrototypeReferences } from './ir-slots';

export type Outcome = 'accepted' | 'clear error' | 'crash' | 'hang';

export interface CaseResult {
  readonly outcome: Outcome;
  readonly ms: number;
  /** For a crash, the exception; for a clear error, its first line; for an accepted document, unresolved prototype names. */
  readonly detail?: string;
  /** Accepted, yet some reference names an Object.prototype member that is not defined. */
  readonly prototypeNames?: readonly string[];
}

export function validateCase(file: string): CaseResult {
  const started = performance.now();
  const elapsed = (): number => performance.now() - started;
  try {
    const { spec } = loadIrFile(file);
    const problems = validatePipelineSpec(spec);
    if (problems.length > 0)
      return {
        outcome: 'clear error',
        ms: elapsed(),
        detail: `${problems.length} problems, first: ${problems[0]!.path}: ${problems[0]!.message.slice(0, 200)}`,
      };
    const ms = elapsed();
    const prototypeNames = unownedPrototypeReferences(spec);
    return {
      outcome: 'accepted',
      ms,
      ...(prototypeNames.length > 0 ? { prototypeNames, detail: `accepted with ${prototypeNames.join(', ')}` } : {}),
    };
  } catch (error) {
    const ms = elapsed();
    if (error instanceof IrFileError || error instanceof InvalidIrError || isKfpTsError(error)) {
      return { outcome: 'clear error', ms, detail: (error as Error).message.split('\n')[0]!.slice(0, 300) };
    }
    const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return { outcome: 'crash', ms, detail: stack.split('\n').slice(0, 6).join('\n') };
  }
}
