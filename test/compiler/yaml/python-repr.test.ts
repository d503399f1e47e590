import { compareCodePoints, pythonFloatRepr, pythonStrRepr, pythonValueRepr } from '../../../compiler/yaml/python-repr';

describe('pythonFloatRepr', () => {
  it.each([
    [2, '2.0'],
    [0.1, '0.1'],
    [0.1 + 0.2, '0.30000000000000004'],
    [1e-5, '1e-05'],
    [1.5e-7, '1.5e-07'],
    [0.0001, '0.0001'],
    [1e15, '1000000000000000.0'],
    [1e16, '1e+16'],
    [1.5e16, '1.5e+16'],
    [1e300, '1e+300'],
    [12345678.9, '12345678.9'],
    [-0, '-0.0'],
    [-2.5, '-2.5'],
    [5e-324, '5e-324'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [NaN, 'nan'],
  ])('%p is %s', (value, repr) => {
    expect(pythonFloatRepr(value)).toBe(repr);
  });
});

describe('pythonStrRepr', () => {
  it.each([
    ['plain', "'plain'"],
    ["it's", `"it's"`],
    ['say "hi"', `'say "hi"'`],
    [`both ' and "`, `'both \\' and "'`],
    ['tab\there\n', "'tab\\there\\n'"],
    ['\\', "'\\\\'"],
    ['\x00\x7f\x85\xa0', "'\\x00\\x7f\\x85\\xa0'"],
    ['\u2028\ufeff', "'\\u2028\\ufeff'"],
    ['é—😀', "'é—😀'"],
  ])('%j is %s', (text, repr) => {
    expect(pythonStrRepr(text)).toBe(repr);
  });
});

describe('pythonValueRepr', () => {
  it('prints JSON values as Python prints MessageToDict output, with sorted dict keys', () => {
    expect(pythonValueRepr([1, 'a', true, false, null, { b: 1, A: { x: [] } }])).toBe(
      "[1.0, 'a', True, False, None, {'A': {'x': []}, 'b': 1.0}]",
    );
  });
});

describe('compareCodePoints', () => {
  it('orders astral characters after U+FFFF, unlike UTF-16 order', () => {
    expect(['😀', '\uff01', 'z'].sort(compareCodePoints)).toEqual(['z', '\uff01', '😀']);
    expect(['😀', '\uff01', 'z'].sort()).toEqual(['z', '😀', '\uff01']);
  });

  it('orders lone surrogates by their own value', () => {
    expect(['\ud800<', '\ud8000', '\ud800\udc00'].sort(compareCodePoints)).toEqual(['\ud8000', '\ud800<', '\ud800\udc00']);
  });
});
