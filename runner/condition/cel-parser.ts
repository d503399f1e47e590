import { TokenError, tokenize, type Operator, type Token } from './cel-tokenizer';

/**
 * A recursive-descent parser for the CEL subset in `triggerPolicy.condition`, with CEL's
 * precedence (loosest first): `||`, `&&`, comparisons, unary `!`/`-`. What kfp-ts and the KFP
 * SDK emit is `inputs.parameter_values['x']`, `int(…)`/`double(…)`, literals, comparisons,
 * `!(…)` and `&&`; `||` and parentheses are accepted as well.
 */

export type ComparisonOperator = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type ConversionFunction = 'int' | 'double';

export type ConditionNode =
  | { kind: 'literal'; value: string | number | boolean | null; isInteger: boolean }
  | { kind: 'parameter'; name: string }
  | { kind: 'call'; name: ConversionFunction; argument: ConditionNode }
  | { kind: 'not'; operand: ConditionNode }
  | { kind: 'negate'; operand: ConditionNode }
  | { kind: 'and' | 'or'; left: ConditionNode; right: ConditionNode }
  | { kind: 'compare'; operator: ComparisonOperator; left: ConditionNode; right: ConditionNode };

const COMPARISONS: readonly string[] = ['==', '!=', '<', '<=', '>', '>='];

/** Throws TokenError (message and position) for anything outside the subset. */
export function parseCondition(expression: string): ConditionNode {
  const tokens = tokenize(expression);
  let index = 0;
  const peek = (): Token => tokens[index]!;
  const next = (): Token => tokens[index++]!;
  const isOperator = (token: Token, ...ops: Operator[]) => token.kind === 'operator' && ops.includes(token.text);
  const expect = (op: Operator, what: string): void => {
    const token = next();
    if (!isOperator(token, op)) throw new TokenError(`expected '${op}' ${what}`, token.position);
  };

  const or = (): ConditionNode => {
    let left = and();
    while (isOperator(peek(), '||')) {
      next();
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };
  const and = (): ConditionNode => {
    let left = comparison();
    while (isOperator(peek(), '&&')) {
      next();
      left = { kind: 'and', left, right: comparison() };
    }
    return left;
  };
  const comparison = (): ConditionNode => {
    let left = unary();
    for (let token = peek(); token.kind === 'operator' && COMPARISONS.includes(token.text); token = peek()) {
      next();
      left = { kind: 'compare', operator: token.text as ComparisonOperator, left, right: unary() };
    }
    return left;
  };
  const unary = (): ConditionNode => {
    const token = peek();
    if (isOperator(token, '!')) {
      next();
      return { kind: 'not', operand: unary() };
    }
    if (isOperator(token, '-')) {
      next();
      return { kind: 'negate', operand: unary() };
    }
    return primary();
  };
  const primary = (): ConditionNode => {
    const token = next();
    switch (token.kind) {
      case 'number':
        return { kind: 'literal', value: token.value, isInteger: token.isInteger };
      case 'string':
        return { kind: 'literal', value: token.value, isInteger: false };
      case 'operator':
        if (token.text === '(') {
          const inner = or();
          expect(')', 'to close the parenthesis');
          return inner;
        }
        throw new TokenError(`unexpected '${token.text}'`, token.position);
      case 'end':
        throw new TokenError('the expression ends too early', token.position);
      case 'identifier':
        return identifier(token);
    }
  };
  const identifier = (token: Token & { kind: 'identifier' }): ConditionNode => {
    switch (token.text) {
      case 'true':
      case 'false':
        return { kind: 'literal', value: token.text === 'true', isInteger: false };
      case 'null':
        return { kind: 'literal', value: null, isInteger: false };
      case 'int':
      case 'double': {
        expect('(', `after ${token.text}`);
        const argument = or();
        expect(')', `to close ${token.text}(`);
        return { kind: 'call', name: token.text, argument };
      }
      case 'inputs': {
        expect('.', "after 'inputs'");
        const field = next();
        if (field.kind !== 'identifier' || field.text !== 'parameter_values') {
          throw new TokenError("only inputs.parameter_values['name'] is supported", field.position);
        }
        expect('[', "after 'inputs.parameter_values'");
        const name = next();
        if (name.kind !== 'string') throw new TokenError('expected a quoted parameter name', name.position);
        expect(']', 'after the parameter name');
        return { kind: 'parameter', name: name.value };
      }
      default:
        throw new TokenError(`unsupported name '${token.text}'`, token.position);
    }
  };

  const tree = or();
  const rest = peek();
  if (rest.kind !== 'end') throw new TokenError('unexpected text after the expression', rest.position);
  return tree;
}
