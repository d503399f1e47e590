import { KfpTsError } from '../../compiler/errors/kfp-ts-error';

/** A trigger condition that cannot be parsed or evaluated; names the task path and the expression. */
export class ConditionError extends KfpTsError {
  override readonly name = 'ConditionError';
  constructor(
    readonly taskPath: string,
    readonly expression: string,
    readonly reason: string,
  ) {
    super(`[${taskPath}] cannot evaluate the trigger condition ${JSON.stringify(expression)}: ${reason}`);
  }
}

/** Where the parse stopped, for messages: `at column 12 ('==')`. */
export function atColumn(position: number, expression: string): string {
  const rest = expression.slice(position, position + 12);
  return rest === '' ? 'at the end' : `at column ${position + 1} (${JSON.stringify(rest)})`;
}
