import {
  decodeStruct,
  decodeStructProperty,
  encodeStruct,
  encodeStructProperty,
  isStructProperty,
} from '../../../runner/mlmd/struct-encoding';

describe('google.protobuf.Struct encoding', () => {
  it('matches the reference vector for {"msg": "hi"}', () => {
    expect(encodeStruct({ msg: 'hi' }).toString('hex')).toBe('0a0b0a036d736712041a026869');
    expect(encodeStructProperty({ msg: 'hi' })).toBe('mlmd-struct::CgsKA21zZxIEGgJoaQ==');
    expect(decodeStructProperty('mlmd-struct::CgsKA21zZxIEGgJoaQ==')).toEqual({ msg: 'hi' });
  });

  it('writes each Value kind with its field number and wire type', () => {
    const hex = (value: unknown) => encodeStruct({ k: value }).toString('hex');
    // entry = 0a <len> 0a 01 6b ('k') 12 <len> <Value>
    expect(hex(null)).toBe('0a070a016b12020800'); // null_value = 1, varint 0
    expect(hex(1.5)).toBe('0a0e0a016b1209' + '11' + '000000000000f83f'); // number_value = 2, fixed64 LE
    expect(hex(true)).toBe('0a070a016b12022001'); // bool_value = 4
    expect(hex(false)).toBe('0a070a016b12022000');
    expect(hex([])).toBe('0a070a016b12023200'); // list_value = 6, empty ListValue
    expect(hex({})).toBe('0a070a016b12022a00'); // struct_value = 5, empty Struct
  });

  it('round-trips nested JSON values', () => {
    const value = {
      list: [1, -2.25, 'three', true, null, [{ deep: ['x'] }], {}],
      struct: { a: { b: { c: 1e-7 } }, big: 1e21, neg: -0.5 },
      unicode: 'héllo ☃ 😀',
      empty: '',
      zero: 0,
    };
    expect(decodeStruct(encodeStruct(value))).toEqual(value);
    expect(decodeStructProperty(encodeStructProperty(value))).toEqual(value);
  });

  it('sorts keys, so equal objects give equal property strings', () => {
    expect(encodeStructProperty({ b: 1, a: { d: 2, c: 3 } })).toBe(encodeStructProperty({ a: { c: 3, d: 2 }, b: 1 }));
  });

  it('drops undefined members as JSON does and stores undefined list items as null', () => {
    expect(decodeStruct(encodeStruct({ a: undefined, b: 1 }))).toEqual({ b: 1 });
    expect(decodeStruct(encodeStruct({ l: [undefined, 1] }))).toEqual({ l: [null, 1] });
  });

  it('rejects values that have no Struct form, naming where they are', () => {
    expect(() => encodeStruct({ when: new Date(0) })).toThrow('cannot store Date at $.when in a google.protobuf.Struct');
    expect(() => encodeStruct({ a: [1, 10n] })).toThrow('cannot store bigint at $.a[1]');
  });

  it('keeps a "__proto__" key as data', () => {
    const decoded = decodeStruct(encodeStruct(JSON.parse('{"__proto__": {"x": 1}}') as Record<string, unknown>));
    expect(Object.keys(decoded)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
  });

  it('skips fields it does not model, as protobuf parsers do', () => {
    // Struct with an unknown field 2 (varint 5) before the entry for {"msg": "hi"}.
    const bytes = Buffer.from('1005' + '0a0b0a036d736712041a026869', 'hex');
    expect(decodeStruct(bytes)).toEqual({ msg: 'hi' });
  });

  it('recognises property strings by their prefix only', () => {
    expect(isStructProperty('mlmd-struct::')).toBe(true);
    expect(isStructProperty('mlmd-struct:')).toBe(false);
    expect(() => decodeStructProperty('plain')).toThrow(/no 'mlmd-struct::' prefix/);
    expect(() => decodeStruct(Buffer.from('0a0b0a03', 'hex'))).toThrow(/truncated/);
  });
});
