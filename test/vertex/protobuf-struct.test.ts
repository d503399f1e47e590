import { jsonToProtobufStruct, jsonToProtobufValue, protobufValueToJson } from '../../vertex/protobuf-struct';

describe('JSON ⇄ protobuf Value', () => {
  it('spells every JSON value out as the Value message and converts it back unchanged', () => {
    const json = { s: 'x', n: -1.5, i: 3, t: true, f: false, z: null, list: [1, 'a', [null], { k: [] }], nested: { deep: { deeper: {} } } };
    const value = jsonToProtobufValue(json);
    expect(value.structValue?.fields?.['n']).toEqual({ numberValue: -1.5 });
    expect(value.structValue?.fields?.['z']).toEqual({ nullValue: 'NULL_VALUE' });
    expect(value.structValue?.fields?.['list']?.listValue?.values?.[2]).toEqual({ listValue: { values: [{ nullValue: 'NULL_VALUE' }] } });
    expect(protobufValueToJson(value)).toEqual(json);
  });

  it("reads values that carry the decoder's kind field", () => {
    expect(protobufValueToJson({ kind: 'numberValue', numberValue: 0 })).toBe(0);
    expect(protobufValueToJson({ kind: 'stringValue', stringValue: '' })).toBe('');
    expect(protobufValueToJson({ kind: 'boolValue', boolValue: false })).toBe(false);
  });

  it('refuses what JSON cannot carry instead of sending something else', () => {
    expect(() => jsonToProtobufValue({ a: [1, undefined] }, 'spec')).toThrow('spec.a[1] is undefined, not a JSON value');
    expect(() => jsonToProtobufValue({ when: new Date(0) }, 'spec')).toThrow('spec.when is a Date, not a JSON object');
    expect(() => jsonToProtobufValue({ x: Number.NaN }, 'spec')).toThrow('spec.x is NaN, which JSON and protobuf Values cannot carry');
    expect(jsonToProtobufStruct({ kept: 1, dropped: undefined })).toEqual({ fields: { kept: { numberValue: 1 } } });
  });
});
