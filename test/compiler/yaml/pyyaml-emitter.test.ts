/**
 * Unit tests for the PyYAML-compatible emitter. Every expected text is what PyYAML 6 writes for the same value
 * with `yaml.dump_all(docs, sort_keys=True)`.
 */

import { emitPyYamlDocuments, pyYamlFloatText, type YamlPath } from '../../../compiler/yaml/pyyaml-emitter';

const never = (): boolean => false;
const always = (): boolean => true;

function dump(value: unknown, isFloat: (path: YamlPath, value: number) => boolean = never): string {
  return emitPyYamlDocuments([value], { isFloat });
}

describe('quoting of strings that YAML 1.1 would read as something else', () => {
  it.each([
    // bools, in the three spellings PyYAML knows, but not mixed case or y/n
    ['yes', "'yes'"],
    ['Yes', "'Yes'"],
    ['YES', "'YES'"],
    ['no', "'no'"],
    ['On', "'On'"],
    ['OFF', "'OFF'"],
    ['True', "'True'"],
    ['FALSE', "'FALSE'"],
    ['yEs', 'yEs'],
    ['tRue', 'tRue'],
    ['y', 'y'],
    ['n', 'n'],
    // null
    ['null', "'null'"],
    ['Null', "'Null'"],
    ['NULL', "'NULL'"],
    ['nULL', 'nULL'],
    ['~', "'~'"],
    ['', "''"],
    // ints: hex, octal with a leading 0, binary, underscores, sexagesimal, signs
    ['0x1F', "'0x1F'"],
    ['017', "'017'"],
    ['0b101', "'0b101'"],
    ['1_000', "'1_000'"],
    ['190:20:30', "'190:20:30'"],
    ['-5', "'-5'"],
    ['+5', "'+5'"],
    ['0', "'0'"],
    ['0o17', '0o17'],
    ['08', '08'],
    // floats: YAML 1.1 needs a dot and a signed exponent
    ['1.5', "'1.5'"],
    ['1.', "'1.'"],
    ['.5', "'.5'"],
    ['1.0e+5', "'1.0e+5'"],
    ['190:20:30.15', "'190:20:30.15'"],
    ['.inf', "'.inf'"],
    ['-.Inf', "'-.Inf'"],
    ['.NaN', "'.NaN'"],
    ['1e5', '1e5'],
    ['1e+5', '1e+5'],
    ['1.0e5', '1.0e5'],
    ['nan', 'nan'],
    ['inf', 'inf'],
    // timestamps
    ['2001-12-14', "'2001-12-14'"],
    ['2001-12-14 21:59:43.10 -5', "'2001-12-14 21:59:43.10 -5'"],
    ['2001-12-14t21:59:43.10-05:00', "'2001-12-14t21:59:43.10-05:00'"],
    ['2001-1-14', '2001-1-14'],
    // merge and value keys
    ['<<', "'<<'"],
    ['=', "'='"],
    ['==', '=='],
    ['<', '<'],
    // versions are strings
    ['0.0.1', '0.0.1'],
    ['kfp-2.15.2', 'kfp-2.15.2'],
  ])('%j is written %s', (text, written) => {
    expect(dump({ k: text })).toBe(`k: ${written}\n`);
  });
});

describe('scalar style choice', () => {
  it.each([
    ['{{$}}', "'{{$}}'"],
    ["{{$.inputs.parameters['text']}}", "'{{$.inputs.parameters[''text'']}}'"],
    ['a: b', "'a: b'"],
    ['x:', "'x:'"],
    ['a:b', 'a:b'],
    [':x', ':x'],
    ['a #b', "'a #b'"],
    ['a#b', 'a#b'],
    ['#x', "'#x'"],
    ['- a', "'- a'"],
    ['-', "'-'"],
    ['-a', '-a'],
    ['? x', "'? x'"],
    ['?x', '?x'],
    ['---x', "'---x'"],
    ['...', "'...'"],
    ['a...', 'a...'],
    [' a', "' a'"],
    ['a ', "'a '"],
    ["it's", "it's"],
    ["'q'", "'''q'''"],
    ['say "hi"', 'say "hi"'],
    ['back\\slash', 'back\\slash'],
    ['@x', "'@x'"],
    ['`x', "'`x'"],
    ['%x', "'%x'"],
    ['!x', "'!x'"],
    ['&x', "'&x'"],
    ['*x', "'*x'"],
    ['|', "'|'"],
    ['>', "'>'"],
    [',x', "',x'"],
    ['[x', "'[x'"],
    ['a,b', 'a,b'],
    ['a[b]', 'a[b]'],
  ])('%j is written %s', (text, written) => {
    expect(dump({ k: text })).toBe(`k: ${written}\n`);
  });

  it('writes a line break inside single quotes as a blank line', () => {
    expect(dump({ k: 'a\nb' })).toBe("k: 'a\n\n  b'\n");
    expect(dump({ k: 'a\n\nb' })).toBe("k: 'a\n\n\n  b'\n");
    expect(dump({ k: '\na' })).toBe("k: '\n\n  a'\n");
    expect(dump({ k: 'a\n' })).toBe("k: 'a\n\n  '\n");
  });

  it('uses double quotes when a space touches a line break', () => {
    expect(dump({ k: 'a \nb' })).toBe('k: "a \\nb"\n');
    expect(dump({ k: 'a\n b' })).toBe('k: "a\\n b"\n');
  });

  it.each([
    ['a\tb', '"a\\tb"'],
    ['x\ry', '"x\\ry"'],
    ['\x00', '"\\0"'],
    ['\x7f', '"\\x7F"'],
    ['é', '"\\xE9"'],
    ['\xa0', '"\\_"'],
    ['\x85', '"\\N"'],
    ['\u2014', '"\\u2014"'],
    ['\u2028', '"\\L"'],
    ['\u2029', '"\\P"'],
    ['\ufeff', '"\\uFEFF"'],
    ['\ud800', '"\\uD800"'],
    ['😀', '"\\U0001F600"'],
  ])('escapes %j as %s', (text, written) => {
    expect(dump({ k: text })).toBe(`k: ${written}\n`);
  });
});

describe('line folding at width 80', () => {
  const words = Array.from({ length: 16 }, (_, i) => `word${String(i).padStart(2, '0')}`).join(' ');

  it('folds plain text at the first single space after column 80, so a line may run past 80', () => {
    expect(dump({ k: words })).toBe(
      'k: word00 word01 word02 word03 word04 word05 word06 word07 word08 word09 word10 word11\n' + '  word12 word13 word14 word15\n',
    );
  });

  it('never folds plain text at a run of spaces', () => {
    const text = `${'aaaaaaaaa '.repeat(6)}${'bbbbbbbbb  '.repeat(3)}end`;
    expect(dump({ k: text })).toBe(`k: ${text}\n`);
  });

  it('indents continuation lines under the scalar’s parent, two columns in', () => {
    expect(dump({ outer: { list: [{ inner: words }] } })).toBe(
      'outer:\n  list:\n' +
        '  - inner: word00 word01 word02 word03 word04 word05 word06 word07 word08 word09 word10\n' +
        '      word11 word12 word13 word14 word15\n',
    );
  });

  it('folds single-quoted text like plain text but keeps a trailing space', () => {
    expect(dump({ k: `key: ${words}` })).toBe(
      "k: 'key: word00 word01 word02 word03 word04 word05 word06 word07 word08 word09 word10\n" + "  word11 word12 word13 word14 word15'\n",
    );
    const text = `x: ${Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ')} `;
    expect(dump({ k: text })).toBe(
      "k: 'x: w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 w15 w16 w17 w18 w19 w20 w21\n" + "  w22 w23 w24 w25 w26 w27 w28 w29 '\n",
    );
  });

  it('folds double-quoted text before a space with a trailing \\ and a leading \\ ', () => {
    expect(dump({ k: `\t${words} ${words}` })).toBe(
      'k: "\\tword00 word01 word02 word03 word04 word05 word06 word07 word08 word09 word10\\\n' +
        '  \\ word11 word12 word13 word14 word15 word00 word01 word02 word03 word04 word05 word06\\\n' +
        '  \\ word07 word08 word09 word10 word11 word12 word13 word14 word15"\n',
    );
  });

  it('folds double-quoted text inside a run of spaces, unlike plain and single-quoted text', () => {
    expect(dump({ k: `a\t${'x'.repeat(75)}  yy zz` })).toBe(`k: "a\\t${'x'.repeat(75)}\\\n  \\  yy zz"\n`);
  });

  it('folds double-quoted text right after an escape', () => {
    expect(dump({ k: 'é'.repeat(30) })).toBe(`k: "${'\\xE9'.repeat(20)}\\\n  ${'\\xE9'.repeat(10)}"\n`);
  });

  it('never folds a key', () => {
    const key = Array.from({ length: 14 }, (_, i) => `word${String(i).padStart(2, '0')}`).join(' ');
    expect(dump({ [key]: 1 })).toBe(`${key}: 1\n`);
  });
});

describe('mapping keys', () => {
  it('uses "? " for keys of 123 characters or more, because the !!str tag counts toward the 128 limit', () => {
    expect(dump({ ['k'.repeat(122)]: 1 })).toBe(`${'k'.repeat(122)}: 1\n`);
    expect(dump({ ['k'.repeat(123)]: 1 })).toBe(`? ${'k'.repeat(123)}\n: 1\n`);
  });

  it('uses "? " for empty and multi-line keys', () => {
    expect(dump({ '': 1, 'a\nb': 2 })).toBe("? ''\n: 1\n? 'a\n\n  b'\n: 2\n");
  });

  it('sorts keys by code point, uppercase first and astral characters last', () => {
    expect(dump({ b: 1, a: 2, B: 3, _: 4, '\uff01': 5, '😀': 6, é: 7 })).toBe(
      'B: 3\n_: 4\na: 2\nb: 1\n"\\xE9": 7\n"\\uFF01": 5\n"\\U0001F600": 6\n',
    );
  });

  it('leaves out properties whose value is undefined', () => {
    expect(dump({ a: undefined, b: 1 })).toBe('b: 1\n');
  });
});

describe('collections', () => {
  it('writes empty collections in flow style and sequences at their key’s column', () => {
    expect(dump({ b: [], a: {}, c: [[1, [2]], { x: [3] }], B: null, _: true })).toBe(
      'B: null\n_: true\na: {}\nb: []\nc:\n- - 1\n  - - 2\n- x:\n  - 3\n',
    );
  });

  it('writes root collections', () => {
    expect(dump([])).toBe('[]\n');
    expect(dump({})).toBe('{}\n');
    expect(dump(['a', { b: 'c' }])).toBe('- a\n- b: c\n');
  });
});

describe('numbers', () => {
  it('prints floats as Python repr does, with .0 added before a bare exponent', () => {
    const floats = [
      2,
      0.268435456,
      1e-5,
      1e16,
      1.5e16,
      1e22,
      -0,
      Infinity,
      -Infinity,
      NaN,
      0.0001,
      // biome-ignore lint/correctness/noPrecisionLoss: past 2^53 on purpose (Python prints the rounded double)
      123456789012345678,
      1e15,
    ];
    expect(dump(floats, always)).toBe(
      '- 2.0\n- 0.268435456\n- 1.0e-05\n- 1.0e+16\n- 1.5e+16\n- 1.0e+22\n- -0.0\n- .inf\n- -.inf\n- .nan\n' +
        '- 0.0001\n- 1.2345678901234568e+17\n- 1000000000000000.0\n',
    );
  });

  it('prints ints without a decimal point, also beyond 2^53', () => {
    expect(dump([2, -7, 1e20], never)).toBe('- 2\n- -7\n- 100000000000000000000\n');
  });

  it('prints a non-integral number as a float whatever isFloat says', () => {
    expect(dump({ a: 0.5 }, never)).toBe('a: 0.5\n');
  });

  it('asks isFloat with the path from the document root', () => {
    const seen: (string | number)[][] = [];
    dump({ a: [{ b: 1 }], c: 2 }, (path) => {
      seen.push([...path]);
      return path[0] === 'c';
    });
    expect(seen).toEqual([['a', 0, 'b'], ['c']]);
    expect(dump({ a: [{ b: 1 }], c: 2 }, (path) => path[0] === 'c')).toBe('a:\n- b: 1\nc: 2.0\n');
  });

  it('matches pyYamlFloatText for the special values', () => {
    expect([NaN, Infinity, -Infinity, 1e-7, 5e-324].map(pyYamlFloatText)).toEqual(['.nan', '.inf', '-.inf', '1.0e-07', '5.0e-324']);
  });

  it('writes booleans and null in lower case', () => {
    expect(dump([true, false, null])).toBe('- true\n- false\n- null\n');
  });
});

describe('documents', () => {
  it('puts --- before every document after the first', () => {
    expect(emitPyYamlDocuments([{ a: 1 }, { b: 2 }], { isFloat: never })).toBe('a: 1\n---\nb: 2\n');
    expect(emitPyYamlDocuments([[], {}], { isFloat: never })).toBe('[]\n--- {}\n');
  });

  it('ends a stream whose last plain root scalar could continue with ...', () => {
    expect(emitPyYamlDocuments(['a'], { isFloat: never })).toBe('a\n...\n');
    expect(emitPyYamlDocuments(['a', 'b'], { isFloat: never })).toBe('a\n--- b\n...\n');
    expect(emitPyYamlDocuments(["'a"], { isFloat: never })).toBe("'''a'\n");
    expect(emitPyYamlDocuments([1, { x: 'y' }], { isFloat: never })).toBe('1\n---\nx: y\n');
  });

  it('writes nothing for no documents', () => {
    expect(emitPyYamlDocuments([], { isFloat: never })).toBe('');
  });

  it('rejects values YAML cannot hold', () => {
    expect(() => dump({ a: [() => 1] })).toThrow('cannot write a function as YAML at a.0');
  });
});
