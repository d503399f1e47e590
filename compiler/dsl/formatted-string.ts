import { isChannel, type ParameterChannel } from './channels';
import { DslUsageError } from './errors';
import { CallSite } from './source-location';

const formattedBrand = Symbol.for('kfp-ts.formatted-string');

/**
 * A string built from text and run-time values, e.g. fmt`gs://bucket/${task.outputs.name}/model`.
 * The IR stores it as a constant with input placeholders, and the values as extra task inputs
 * named `pipelinechannel--…`, which is how the reference compiler compiles Python f-strings.
 */
export class FormattedString {
  readonly [formattedBrand] = true;
  constructor(readonly parts: readonly (string | ParameterChannel)[]) {}

  get channels(): ParameterChannel[] {
    return this.parts.filter((p): p is ParameterChannel => typeof p !== 'string');
  }

  toString(): string {
    throw new DslUsageError(
      'a fmt`…` string was used as a plain string, but it is only known when the pipeline runs',
      'pass it directly as a task argument',
      new CallSite().location,
    );
  }
}

export function isFormattedString(value: unknown): value is FormattedString {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[formattedBrand] === true;
}

/** Tagged template for strings with run-time values: fmt`prefix-${task.outputs.name}`. */
export function fmt(strings: TemplateStringsArray, ...values: (string | number | boolean | ParameterChannel)[]): FormattedString {
  const parts: (string | ParameterChannel)[] = [];
  let text = '';
  strings.forEach((literal, index) => {
    text += literal;
    if (index >= values.length) return;
    const value = values[index];
    if (isChannel(value)) {
      if (text) parts.push(text);
      text = '';
      parts.push(value as ParameterChannel);
    } else {
      text += String(value);
    }
  });
  if (text) parts.push(text);
  return new FormattedString(parts);
}
