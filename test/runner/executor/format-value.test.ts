import { formatNumber, formatPlaceholderValue, jsonEscape } from '../../../runner/executor/format-value';

describe('formatNumber (Go FormatFloat f, -1)', () => {
  it.each([
    [3, '3'],
    [3.0, '3'],
    [0.5, '0.5'],
    [-42, '-42'],
    [0.0000001, '0.0000001'],
    [1.5e-7, '0.00000015'],
    [1e-6, '0.000001'],
    [1e21, '1000000000000000000000'],
    [1.2345e21, '1234500000000000000000'],
    [-2.5e22, '-25000000000000000000000'],
    [123456789.125, '123456789.125'],
    [5e-324, `0.${'0'.repeat(323)}5`],
    [-0, '-0'],
    [Infinity, '+Inf'],
    [NaN, 'NaN'],
  ])('%p → %s', (value, text) => {
    expect(formatNumber(value)).toBe(text);
  });

  it('round-trips: the plain form parses back to the same number', () => {
    for (const value of [1e21, 1.7976931348623157e308, 2.2250738585072014e-308, 0.1 + 0.2, 1 / 3]) {
      expect(Number(formatNumber(value))).toBe(value);
      expect(formatNumber(value)).not.toMatch(/e/);
    }
  });
});

describe('formatPlaceholderValue', () => {
  it('strings raw, bools, null, compact JSON for lists and structs', () => {
    expect(formatPlaceholderValue('a b "c"')).toBe('a b "c"');
    expect(formatPlaceholderValue(false)).toBe('false');
    expect(formatPlaceholderValue(null)).toBe('null');
    expect(formatPlaceholderValue([1, 'two', { three: 3 }])).toBe('[1,"two",{"three":3}]');
    expect(formatPlaceholderValue({ a: [], b: { c: null } })).toBe('{"a":[],"b":{"c":null}}');
  });
});

describe('jsonEscape', () => {
  it('one round makes text safe inside a JSON string literal; two rounds escape again', () => {
    const text = 'say "hi"\n\\ end';
    expect(jsonEscape(text, 1)).toBe('say \\"hi\\"\\n\\\\ end');
    expect(JSON.parse(`"${jsonEscape(text, 1)}"`)).toBe(text);
    expect(JSON.parse(`"${JSON.parse(`"${jsonEscape(text, 2)}"`)}"`)).toBe(text);
    expect(jsonEscape(text, 0)).toBe(text);
  });
});
