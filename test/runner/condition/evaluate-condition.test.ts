import { ConditionError, evaluateCondition } from '../../../runner/condition/evaluate-condition';

const taskPath = 'flip-coin/condition-1';
const check = (expression: string, values: Record<string, unknown>) => evaluateCondition(expression, values, taskPath);

function conditionError(expression: string, values: Record<string, unknown> = {}): ConditionError {
  try {
    check(expression, values);
  } catch (error) {
    if (error instanceof ConditionError) return error;
    throw error;
  }
  throw new Error('expected a ConditionError');
}

// Conditions copied from the KFP SDK's compiled goldens (shared/kfp-goldens/pipelines/*.yaml).
describe('evaluateCondition: conditions from the goldens', () => {
  it.each<[string, string, Record<string, unknown>, boolean]>([
    [
      'critical/flip_coin',
      "inputs.parameter_values['pipelinechannel--flip-coin-Output'] == 'heads'",
      { 'pipelinechannel--flip-coin-Output': 'heads' },
      true,
    ],
    [
      'critical/flip_coin',
      "inputs.parameter_values['pipelinechannel--flip-coin-Output'] == 'tails'",
      { 'pipelinechannel--flip-coin-Output': 'heads' },
      false,
    ],
    [
      'critical/flip_coin',
      "int(inputs.parameter_values['pipelinechannel--random-num-Output']) > 5",
      { 'pipelinechannel--random-num-Output': 6 },
      true,
    ],
    [
      'critical/flip_coin',
      "int(inputs.parameter_values['pipelinechannel--random-num-Output']) <= 5",
      { 'pipelinechannel--random-num-Output': 5 },
      true,
    ],
    [
      'critical/flip_coin',
      "int(inputs.parameter_values['pipelinechannel--random-num-2-Output']) > 15",
      { 'pipelinechannel--random-num-2-Output': 15 },
      false,
    ],
    [
      'critical/parameter_oneof',
      "!(inputs.parameter_values['pipelinechannel--flip-coin-Output'] == 'heads')",
      { 'pipelinechannel--flip-coin-Output': 'tails' },
      true,
    ],
    [
      'essential/pipeline_with_nested_conditions',
      "inputs.parameter_values['pipelinechannel--flip-coin-op-2-Output'] == inputs.parameter_values['pipelinechannel--flip-coin-op-3-Output']",
      { 'pipelinechannel--flip-coin-op-2-Output': 'heads', 'pipelinechannel--flip-coin-op-3-Output': 'heads' },
      true,
    ],
    [
      'essential/pipeline_with_nested_conditions',
      "inputs.parameter_values['pipelinechannel--flip-coin-op-Output'] != 'no-such-result'",
      { 'pipelinechannel--flip-coin-op-Output': 'tails' },
      true,
    ],
    [
      'if_elif_else_complex',
      "inputs.parameter_values['pipelinechannel--repeat_if_lucky_number'] == true",
      { 'pipelinechannel--repeat_if_lucky_number': true },
      true,
    ],
    [
      'if_elif_else_complex',
      "inputs.parameter_values['pipelinechannel--add_drumroll'] == true",
      { 'pipelinechannel--add_drumroll': false },
      false,
    ],
    [
      'if_elif_else_complex',
      "int(inputs.parameter_values['pipelinechannel--trials-loop-item']) == 3",
      { 'pipelinechannel--trials-loop-item': 3 },
      true,
    ],
    [
      'if_elif_else_complex',
      "int(inputs.parameter_values['pipelinechannel--int-0-to-9999-Output']) < 5000",
      { 'pipelinechannel--int-0-to-9999-Output': 4999 },
      true,
    ],
    [
      'if_elif_else_complex',
      "!(int(inputs.parameter_values['pipelinechannel--int-0-to-9999-Output']) < 5000) && int(inputs.parameter_values['pipelinechannel--int-0-to-9999-Output']) > 5000",
      { 'pipelinechannel--int-0-to-9999-Output': 7000 },
      true,
    ],
    [
      'if_elif_else_complex',
      "!(int(inputs.parameter_values['pipelinechannel--int-0-to-9999-Output']) < 5000) && !(int(inputs.parameter_values['pipelinechannel--int-0-to-9999-Output']) > 5000)",
      { 'pipelinechannel--int-0-to-9999-Output': 5000 },
      true,
    ],
    [
      'if_elif_else_complex',
      "!(int(inputs.parameter_values['pipelinechannel--int-0-to-9999-Output']) < 5000) && !(int(inputs.parameter_values['pipelinechannel--int-0-to-9999-Output']) > 5000)",
      { 'pipelinechannel--int-0-to-9999-Output': 5001 },
      false,
    ],
    [
      'if_elif_else_with_oneof_parameters',
      "!(inputs.parameter_values['pipelinechannel--flip-three-sided-die-Output'] == 'heads') && inputs.parameter_values['pipelinechannel--flip-three-sided-die-Output'] == 'tails'",
      { 'pipelinechannel--flip-three-sided-die-Output': 'tails' },
      true,
    ],
    [
      'artifacts_complex',
      "int(inputs.parameter_values['pipelinechannel--loop-item-param-3']) >= int(inputs.parameter_values['pipelinechannel--threshold'])",
      { 'pipelinechannel--loop-item-param-3': 2, 'pipelinechannel--threshold': 2 },
      true,
    ],
    [
      'pipeline_with_loops_and_conditions',
      "inputs.parameter_values['pipelinechannel--loop-item-param-11'] == '1'",
      { 'pipelinechannel--loop-item-param-11': '1' },
      true,
    ],
    [
      'pipeline_with_importer',
      "inputs.parameter_values['pipelinechannel--train-scalar'] == '123'",
      { 'pipelinechannel--train-scalar': '123' },
      true,
    ],
    [
      'local_execution/local_execution_pipeline_with_oneof',
      "!(inputs.parameter_values['pipelinechannel--pick_a'] == true)",
      { 'pipelinechannel--pick_a': true },
      false,
    ],
  ])('%s: %s', (_golden, expression, values, expected) => {
    expect(check(expression, values)).toBe(expected);
  });
});

describe('evaluateCondition: the rest of the subset', () => {
  const x = "inputs.parameter_values['x']";

  it('int() truncates doubles and parses integer strings; double() promotes', () => {
    expect(check(`int(${x}) == 3`, { x: 3.9 })).toBe(true);
    expect(check(`int(${x}) == -3`, { x: -3.9 })).toBe(true);
    expect(check(`int(${x}) == 42`, { x: '42' })).toBe(true);
    expect(check(`double(int(${x})) > 0.5`, { x: 1 })).toBe(true);
    expect(check(`${x} > double(2)`, { x: 2.5 })).toBe(true);
    expect(check(`double(${x}) == 0.25`, { x: '0.25' })).toBe(true);
  });

  it('numbers compare by value across int and double; == across other types is false', () => {
    expect(check(`${x} == 3`, { x: 3 })).toBe(true);
    expect(check(`${x} == 3.0`, { x: 3 })).toBe(true);
    expect(check(`${x} == '3'`, { x: 3 })).toBe(false);
    expect(check(`${x} != '3'`, { x: 3 })).toBe(true);
    expect(check(`${x} == null`, { x: null })).toBe(true);
    expect(check(`${x} == -1.5e3`, { x: -1500 })).toBe(true);
  });

  it('orders strings and booleans', () => {
    expect(check(`${x} < 'b'`, { x: 'a' })).toBe(true);
    expect(check(`${x} >= 'b'`, { x: 'a' })).toBe(false);
    expect(check(`false < ${x}`, { x: true })).toBe(true);
  });

  it('|| and parentheses, with CEL precedence (&& binds tighter than ||)', () => {
    expect(check(`${x} == 1 || ${x} == 2 && false`, { x: 1 })).toBe(true);
    expect(check(`(${x} == 1 || ${x} == 2) && false`, { x: 1 })).toBe(false);
    expect(check(`!(${x} == 1) || (${x} > 0 && (${x} < 2))`, { x: 1 })).toBe(true);
    expect(check('true', {})).toBe(true);
  });

  it('short-circuits: the right side is not evaluated when the left decides', () => {
    expect(check(`false && inputs.parameter_values['missing'] == 1`, {})).toBe(false);
    expect(check(`true || inputs.parameter_values['missing'] == 1`, {})).toBe(true);
  });

  it('reads string escapes and double-quoted strings', () => {
    expect(check(`${x} == 'it\\'s'`, { x: "it's" })).toBe(true);
    expect(check(`${x} == "say \\"hi\\"\\n"`, { x: 'say "hi"\n' })).toBe(true);
    expect(check(`${x} == '\\u00e9'`, { x: 'é' })).toBe(true);
  });
});

describe('evaluateCondition: errors name the task and the expression', () => {
  it('an unknown parameter', () => {
    const error = conditionError("inputs.parameter_values['nope'] == 'heads'", { a: 1, b: 2 });
    expect(error).toMatchObject({ taskPath, expression: "inputs.parameter_values['nope'] == 'heads'" });
    expect(error.message).toBe(
      `[flip-coin/condition-1] cannot evaluate the trigger condition "inputs.parameter_values['nope'] == 'heads'": ` +
        "inputs.parameter_values['nope'] has no value (the task has: a, b)",
    );
  });

  it.each([
    ["size(inputs.parameter_values['x']) > 1", "unsupported name 'size' at column 1"],
    ["inputs.parameters['x'] == 1", "only inputs.parameter_values['name'] is supported at column 8"],
    ["inputs.parameter_values['x'] == 'open", 'unterminated string at column 33'],
    ["inputs.parameter_values['x'] = 1", 'unexpected character "=" at column 30'],
    ["(inputs.parameter_values['x'] == 1", "expected ')' to close the parenthesis at the end"],
    ["inputs.parameter_values['x'] == 1 1", 'unexpected text after the expression at column 35'],
    ["inputs.parameter_values['x'] in ['a']", 'unexpected text after the expression at column 30'],
    ["inputs.parameter_values['x'] == 'a' ? 1 : 2", 'unexpected character "?" at column 37'],
  ])('syntax outside the subset: %s', (expression, reason) => {
    const error = conditionError(expression, { x: 1 });
    expect(error.reason).toContain(reason);
    expect(error.reason).toContain('kfp-ts evaluates inputs.parameter_values');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["inputs.parameter_values['x'] < 'a'", { x: 1 }, 'cannot compare the double 1 < the string "a"'],
    ["int(inputs.parameter_values['x']) == 1", { x: 'one' }, 'int() cannot convert the string "one"'],
    ["int(inputs.parameter_values['x']) == 1", { x: '1.5' }, 'int() cannot convert the string "1.5"'],
    ["!inputs.parameter_values['x']", { x: 'yes' }, `'!' needs booleans, got the string "yes"`],
    ["inputs.parameter_values['x'] && true", { x: 1 }, `'&&' needs booleans, got the double 1`],
    ["inputs.parameter_values['x']", { x: 'heads' }, 'it gives the string "heads", not a boolean'],
  ])('type errors: %s', (expression, values, reason) => {
    expect(conditionError(expression, values).reason).toBe(reason);
  });
});
