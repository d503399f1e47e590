import { isChannel, type ConditionOperand, type ConditionOperation, type ParameterChannel } from '../dsl/channels';
import type { ParameterTypeName } from '../dsl/types';
import type { FlowChannels } from './flow-channels';

/**
 * The CEL trigger condition of an If/Elif/Else branch, written as the reference compiler writes it:
 * each comparison `left op right` (negated ones as `!(…)`) joined with ` && `; channels read as
 * `inputs.parameter_values['pipelinechannel--…']`, ints wrapped in `int(…)`, and mixed types
 * promoted (string > bool > double > int).
 */
export function conditionString(conditions: readonly ConditionOperation[], flow: FlowChannels): string {
  return conditions
    .map((condition) => {
      const [left, right] = resolveOperands(condition.left, condition.right, flow);
      const text = `${left} ${condition.operator} ${right}`;
      return condition.negate ? `!(${text})` : text;
    })
    .join(' && ');
}

type ScalarType = 'STRING' | 'BOOLEAN' | 'NUMBER_DOUBLE' | 'NUMBER_INTEGER';

function operandType(operand: ConditionOperand): ParameterTypeName {
  if (isChannel(operand)) return (operand as ParameterChannel).type;
  if (typeof operand === 'string') return 'STRING';
  if (typeof operand === 'boolean') return 'BOOLEAN';
  return Number.isInteger(operand) ? 'NUMBER_INTEGER' : 'NUMBER_DOUBLE';
}

/** The types a condition may compare; the validation pass reports the others. */
export function isComparable(type: ParameterTypeName): type is ScalarType {
  return type === 'STRING' || type === 'BOOLEAN' || type === 'NUMBER_DOUBLE' || type === 'NUMBER_INTEGER';
}

function resolveOperands(left: ConditionOperand, right: ConditionOperand, flow: FlowChannels): [string, string] {
  const types = new Set([operandType(left), operandType(right)]);
  const canonical: ParameterTypeName =
    types.size === 1 ? [...types][0]! : types.has('STRING') ? 'STRING' : types.has('BOOLEAN') ? 'BOOLEAN' : 'NUMBER_DOUBLE';
  const resolve = (operand: ConditionOperand): string => {
    let text: string;
    const type = operandType(operand);
    if (isChannel(operand)) {
      text = `inputs.parameter_values['${flow.of(operand as ParameterChannel).pipelineChannelName}']`;
      if (type === 'NUMBER_INTEGER') text = `int(${text})`;
    } else if (typeof operand === 'string') {
      text = `'${operand}'`;
    } else {
      text = String(operand);
    }
    if (type !== canonical) {
      if (canonical === 'STRING') text = `'${text}'`;
      else if (canonical === 'BOOLEAN') text = Number(text) === 0 ? 'true' : 'false';
      else text = `double(${text})`;
    }
    return text;
  };
  return [resolve(left), resolve(right)];
}
