import { describeValue } from '../../../compiler/util/describe-value';

describe('describeValue', () => {
  it.each([
    ['three', 'the string "three"'],
    ['0.9', 'the string "0.9"'],
    ['', 'the string ""'],
    ['a\nb "c"', 'the string "a\\nb \\"c\\""'],
    [3, '3'],
    [-2.5, '-2.5'],
    [Number.NaN, 'NaN'],
    [-Infinity, '-Infinity'],
    [10n, '10'],
    [true, 'true'],
    [null, 'null'],
    [undefined, 'undefined'],
    [[1, 2], 'a list'],
    [{ a: 1 }, 'an object'],
    [() => 1, 'a function'],
    [Symbol('s'), 'a symbol'],
  ])('names %p as %s', (value, expected) => {
    expect(describeValue(value)).toBe(expected);
  });

  it('cuts a long string at 40 characters', () => {
    expect(describeValue('x'.repeat(1000))).toBe(`the string "${'x'.repeat(40)}…"`);
  });
});
