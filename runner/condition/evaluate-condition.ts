import { sortKeys } from '../../compiler/util/sort-keys';
import { ConditionError, atColumn } from './condition-error';
import { parseCondition, type ComparisonOperator, type ConditionNode } from './cel-parser';
import { TokenError } from './cel-tokenizer';

export { ConditionError } from './condition-error';

/**
 * Whether a task's `triggerPolicy.condition` holds, for the CEL subset the compilers emit
 * (cel-parser.ts). Parameter values are `google.protobuf.Value`s, so every number read from
 * them is a double; that is why the compiler wraps integer channels in `int(…)`. As in cel-go,
 * `==` across types is false (numbers compare by value whatever int/double they are), ordering
 * across types is an error, and `&&`/`||` short-circuit.
 */
export function evaluateCondition(expression: string, parameterValues: Record<string, unknown>, taskPath: string): boolean {
  let tree: ConditionNode;
  try {
    tree = parseCondition(expression);
  } catch (error) {
    if (!(error instanceof TokenError)) throw error;
    throw new ConditionError(
      taskPath,
      expression,
      `${error.message} ${atColumn(error.position, expression)}; kfp-ts evaluates inputs.parameter_values['name'], int(), double(), ` +
        `string/number/bool literals, == != < <= > >=, !, &&, || and parentheses`,
    );
  }
  const fail = (reason: string): never => {
    throw new ConditionError(taskPath, expression, reason);
  };
  const result = evaluate(tree, parameterValues, fail);
  if (result.kind !== 'bool') return fail(`it gives ${describe(result)}, not a boolean`);
  return result.value;
}

type CelValue =
  | { kind: 'int' | 'double'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' }
  | { kind: 'list'; value: unknown[] }
  | { kind: 'map'; value: Record<string, unknown> };

type Fail = (reason: string) => never;

function evaluate(node: ConditionNode, parameters: Record<string, unknown>, fail: Fail): CelValue {
  switch (node.kind) {
    case 'literal':
      if (typeof node.value === 'number') return { kind: node.isInteger ? 'int' : 'double', value: node.value };
      return fromJson(node.value);
    case 'parameter': {
      const value = Object.hasOwn(parameters, node.name) ? parameters[node.name] : undefined;
      if (value === undefined) {
        const known = Object.keys(parameters);
        return fail(
          `inputs.parameter_values['${node.name}'] has no value (the task has: ${known.length ? known.join(', ') : 'no parameters'})`,
        );
      }
      return fromJson(value);
    }
    case 'call':
      return node.name === 'int'
        ? toInt(evaluate(node.argument, parameters, fail), fail)
        : toDouble(evaluate(node.argument, parameters, fail), fail);
    case 'not':
      return { kind: 'bool', value: !asBool(evaluate(node.operand, parameters, fail), '!', fail) };
    case 'negate': {
      const operand = evaluate(node.operand, parameters, fail);
      if (operand.kind !== 'int' && operand.kind !== 'double') return fail(`cannot negate ${describe(operand)}`);
      return { kind: operand.kind, value: -operand.value };
    }
    case 'and':
    case 'or': {
      const operator = node.kind === 'and' ? '&&' : '||';
      const left = asBool(evaluate(node.left, parameters, fail), operator, fail);
      if (node.kind === 'and' ? !left : left) return { kind: 'bool', value: left };
      return { kind: 'bool', value: asBool(evaluate(node.right, parameters, fail), operator, fail) };
    }
    case 'compare':
      return {
        kind: 'bool',
        value: compare(node.operator, evaluate(node.left, parameters, fail), evaluate(node.right, parameters, fail), fail),
      };
  }
}

function fromJson(value: unknown): CelValue {
  if (typeof value === 'string') return { kind: 'string', value };
  if (typeof value === 'number') return { kind: 'double', value };
  if (typeof value === 'boolean') return { kind: 'bool', value };
  if (Array.isArray(value)) return { kind: 'list', value };
  if (value !== null && typeof value === 'object') return { kind: 'map', value: value as Record<string, unknown> };
  return { kind: 'null' };
}

const INT64_LIMIT = 2 ** 63;

/** CEL `int()`: doubles truncate toward zero; strings must be decimal integers. */
function toInt(value: CelValue, fail: Fail): CelValue {
  if (value.kind === 'int') return value;
  if (value.kind === 'double') {
    if (!Number.isFinite(value.value) || Math.abs(value.value) >= INT64_LIMIT) return fail(`int(${value.value}) is out of range`);
    return { kind: 'int', value: Math.trunc(value.value) || 0 };
  }
  if (value.kind === 'string' && /^[+-]?\d+$/.test(value.value)) return { kind: 'int', value: Number(value.value) };
  return fail(`int() cannot convert ${describe(value)}`);
}

/** CEL `double()`: ints widen; strings must be decimal numbers. */
function toDouble(value: CelValue, fail: Fail): CelValue {
  if (value.kind === 'int' || value.kind === 'double') return { kind: 'double', value: value.value };
  if (value.kind === 'string' && /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(value.value)) {
    return { kind: 'double', value: Number(value.value) };
  }
  return fail(`double() cannot convert ${describe(value)}`);
}

function asBool(value: CelValue, operator: string, fail: Fail): boolean {
  if (value.kind !== 'bool') return fail(`'${operator}' needs booleans, got ${describe(value)}`);
  return value.value;
}

function compare(operator: ComparisonOperator, left: CelValue, right: CelValue, fail: Fail): boolean {
  if (operator === '==') return equal(left, right);
  if (operator === '!=') return !equal(left, right);
  const order = ordering(left, right);
  if (order === undefined) return fail(`cannot compare ${describe(left)} ${operator} ${describe(right)}`);
  switch (operator) {
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
  }
}

function isNumber(value: CelValue): value is CelValue & { kind: 'int' | 'double' } {
  return value.kind === 'int' || value.kind === 'double';
}

function equal(left: CelValue, right: CelValue): boolean {
  if (isNumber(left) && isNumber(right)) return left.value === right.value;
  if (left.kind !== right.kind) return false;
  if (left.kind === 'null') return true;
  if (left.kind === 'list' || left.kind === 'map')
    return JSON.stringify(sortKeys(left.value)) === JSON.stringify(sortKeys((right as typeof left).value));
  return (left as { value: unknown }).value === (right as { value: unknown }).value;
}

/** Negative, zero or positive; undefined where CEL has no ordering (different kinds, lists, maps, null). */
function ordering(left: CelValue, right: CelValue): number | undefined {
  if (isNumber(left) && isNumber(right))
    return left.value < right.value ? -1 : left.value > right.value ? 1 : left.value === right.value ? 0 : undefined;
  if (left.kind === 'string' && right.kind === 'string') return compareCodePoints(left.value, right.value);
  if (left.kind === 'bool' && right.kind === 'bool') return Number(left.value) - Number(right.value);
  return undefined;
}

/** CEL orders strings by code point; JS `<` compares UTF-16 units, which differs above U+FFFF. */
function compareCodePoints(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const difference = left[i]!.codePointAt(0)! - right[i]!.codePointAt(0)!;
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}

function describe(value: CelValue): string {
  switch (value.kind) {
    case 'null':
      return 'null';
    case 'string':
      return `the string ${JSON.stringify(value.value)}`;
    case 'list':
    case 'map':
      return `a ${value.kind} ${JSON.stringify(value.value)}`;
    default:
      return `the ${value.kind} ${JSON.stringify(value.value)}`;
  }
}
