import type { IrParameterType } from '../ir/pipeline-spec';

/**
 * Whether a JSON value is of a KFP parameter type, as both the compiler (for literal arguments) and
 * the runner (for run parameters) check it. A task final status is never a literal.
 */
export function valueMatchesParameterType(value: unknown, type: IrParameterType): boolean {
  switch (type) {
    case 'STRING':
      return typeof value === 'string';
    case 'NUMBER_INTEGER':
      return Number.isInteger(value);
    case 'NUMBER_DOUBLE':
      return typeof value === 'number' && Number.isFinite(value);
    case 'BOOLEAN':
      return typeof value === 'boolean';
    case 'LIST':
      return Array.isArray(value);
    case 'STRUCT':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'TASK_FINAL_STATUS':
    case 'TASK_CONFIG':
      return false;
  }
}
