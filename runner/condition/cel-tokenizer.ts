/**
 * The tokens of the CEL subset kfp-ts evaluates for `triggerPolicy.condition`. A failure is
 * returned as a message with its position; evaluate-condition.ts turns it into a ConditionError.
 */
import { KfpTsError } from '../../compiler/errors/kfp-ts-error';

export type Token =
  | { kind: 'identifier'; text: string; position: number }
  | { kind: 'string'; value: string; position: number }
  | { kind: 'number'; value: number; isInteger: boolean; text: string; position: number }
  | { kind: 'operator'; text: Operator; position: number }
  | { kind: 'end'; position: number };

export type Operator = '==' | '!=' | '<=' | '>=' | '<' | '>' | '&&' | '||' | '!' | '-' | '(' | ')' | '[' | ']' | '.';

export class TokenError extends KfpTsError {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

// Longest first, so `<=` is not read as `<` then `=`.
const OPERATORS: readonly Operator[] = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '-', '(', ')', '[', ']', '.'];

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  '`': '`',
  '?': '?',
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
};

export function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expression.length) {
    const c = expression[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      const text = /^[A-Za-z_][A-Za-z0-9_]*/.exec(expression.slice(i))![0];
      tokens.push({ kind: 'identifier', text, position: i });
      i += text.length;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(expression[i + 1] ?? ''))) {
      const text = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(expression.slice(i))![0];
      tokens.push({ kind: 'number', value: Number(text), isInteger: /^\d+$/.test(text), text, position: i });
      i += text.length;
    } else if (c === "'" || c === '"') {
      const { value, end } = readString(expression, i);
      tokens.push({ kind: 'string', value, position: i });
      i = end;
    } else {
      const operator = OPERATORS.find((op) => expression.startsWith(op, i));
      if (!operator) throw new TokenError(`unexpected character ${JSON.stringify(c)}`, i);
      tokens.push({ kind: 'operator', text: operator, position: i });
      i += operator.length;
    }
  }
  tokens.push({ kind: 'end', position: expression.length });
  return tokens;
}

/** A quoted string with CEL's escapes; `start` is at the opening quote. */
function readString(expression: string, start: number): { value: string; end: number } {
  const quote = expression[start]!;
  if (expression.startsWith(quote.repeat(3), start)) throw new TokenError('triple-quoted strings are not supported', start);
  let value = '';
  let i = start + 1;
  while (i < expression.length) {
    const c = expression[i]!;
    if (c === quote) return { value, end: i + 1 };
    if (c === '\n') break;
    if (c !== '\\') {
      value += c;
      i++;
      continue;
    }
    const next = expression[i + 1] ?? '';
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      value += simple;
      i += 2;
      continue;
    }
    const hex = /^(?:x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))/.exec(expression.slice(i + 1));
    if (!hex) throw new TokenError(`unknown escape \\${next} in a string`, i);
    value += String.fromCodePoint(parseInt(hex[1] ?? hex[2] ?? hex[3]!, 16));
    i += 1 + hex[0].length;
  }
  throw new TokenError('unterminated string', start);
}
