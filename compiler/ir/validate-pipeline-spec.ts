import { KfpTsError } from '../errors/kfp-ts-error';
import { checkReferences } from './ir-references';
import { formatPath, inDocumentOrder } from './ir-paths';
import type { IrPipelineSpec } from './pipeline-spec';
import { describeSchemaErrors } from './schema-error-messages';
import { schemaValidator } from './schema-validator';

/** One thing wrong with an IR document. `path` is a readable JSON path (`root.dag.tasks['train-model'].componentRef.name`); '' is the document itself. */
export interface IrProblem {
  readonly path: string;
  readonly message: string;
}

/** The only PipelineSpec schema version kfp-ts emits and checks. */
export const SUPPORTED_SCHEMA_VERSION = '2.1.0';

/** Thrown by {@link assertValidPipelineSpec}; carries every problem, not just the first. */
export class InvalidIrError extends KfpTsError {
  override readonly name = 'InvalidIrError';

  constructor(
    readonly what: string,
    readonly problems: readonly IrProblem[],
  ) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    const lines = problems.map((p) => `  ${p.path === '' ? '(document)' : p.path}: ${p.message}`);
    super(`${what} is not a valid PipelineSpec (${count}):\n${lines.join('\n')}`);
  }
}

/** Checks `doc` (a parsed PipelineSpec in protobuf JSON form) against the schema, then its internal references. Returns [] when valid. */
export function validatePipelineSpec(doc: unknown): IrProblem[] {
  const validate = schemaValidator();
  // Reference checks rely on the shape the schema guarantees, so they run only once it passes.
  const findings = validate(doc)
    ? checkReferences(doc as IrPipelineSpec, SUPPORTED_SCHEMA_VERSION)
    : describeSchemaErrors(doc, validate.errors ?? []);
  return inDocumentOrder(doc, findings).map((f) => ({ path: formatPath(f.at), message: f.message }));
}

export function assertValidPipelineSpec(doc: unknown, what: string): void {
  const problems = validatePipelineSpec(doc);
  if (problems.length > 0) throw new InvalidIrError(what, problems);
}
