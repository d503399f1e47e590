import {
  bytesFeature,
  decodeExample,
  encodeExample,
  encodeExampleSegments,
  floatFeature,
  int64Feature,
  type Example,
} from '../../../../../components/image-classifier/lib/tfrecord/example';

const hex = (data: Uint8Array) => Buffer.from(data).toString('hex');
const fromHex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');

// A tf.train.Example serialized by Python protobuf with deterministic=True.
const EXAMPLE_1_HEX = '0a370a1a0a11696d6167652f636c6173732f6c6162656c12051a030a01030a190a0d696d6167652f656e636f64656412080a060a04ffd8ffd9';
const EXAMPLE_2_HEX = '0a360a0d0a0166120812060a040000c03f0a170a056c6162656c120e1a0c0a0affffffffffffffffff010a0c0a017312070a050a03636174';

const example1: Example = {
  'image/encoded': bytesFeature(Buffer.from([0xff, 0xd8, 0xff, 0xd9])),
  'image/class/label': int64Feature(3),
};
const example2: Example = { s: bytesFeature('cat'), label: int64Feature(-1), f: floatFeature(1.5) };

/** Decoded bytes values are Buffer views; compare them as plain byte arrays. */
function plain(example: Example): unknown {
  return Object.fromEntries(
    Object.entries(example).map(([key, feature]) => [
      key,
      feature.kind === 'bytes' ? { kind: 'bytes', values: feature.values.map((v) => [...v]) } : feature,
    ]),
  );
}

describe('encodeExample', () => {
  it('reproduces the document test vectors byte for byte, whatever the key order', () => {
    expect(hex(encodeExample(example1))).toBe(EXAMPLE_1_HEX);
    expect(encodeExample(example1)).toHaveLength(57);
    expect(hex(encodeExample(example2))).toBe(EXAMPLE_2_HEX);
    expect(encodeExample(example2)).toHaveLength(56);
    const reversed = Object.fromEntries(Object.entries(example2).reverse());
    expect(hex(encodeExample(reversed))).toBe(EXAMPLE_2_HEX);
  });

  it('encodes an empty Example as an empty Features message, and empty lists as empty list messages', () => {
    expect(hex(encodeExample({}))).toBe('0a00');
    // entry: key "e", Feature { int64_list {} } with no packed run at all (proto3).
    expect(hex(encodeExample({ e: int64Feature([]) }))).toBe('0a090a070a0165' + '12021a00');
    expect(hex(encodeExample({ e: floatFeature([]) }))).toBe('0a090a070a0165' + '12021200');
    expect(hex(encodeExample({ e: bytesFeature([]) }))).toBe('0a090a070a0165' + '12020a00');
    // One empty bytes value is still a value.
    expect(hex(encodeExample({ e: bytesFeature(Buffer.alloc(0)) }))).toBe('0a0b0a090a0165' + '12040a020a00');
  });

  it('writes int64s as plain varints: negatives take 10 bytes, bigints cover the full range', () => {
    const packed = (value: number | bigint) => hex(encodeExample({ v: int64Feature(value) })).slice(26);
    expect(packed(0)).toBe('00');
    expect(packed(127)).toBe('7f');
    expect(packed(128)).toBe('8001');
    expect(packed(2 ** 32)).toBe('8080808010');
    expect(packed(-1)).toBe('ffffffffffffffffff01');
    expect(packed(-1n)).toBe('ffffffffffffffffff01');
    expect(packed(2n ** 63n - 1n)).toBe('ffffffffffffffff7f');
    expect(packed(-(2n ** 63n))).toBe('80808080808080808001');
  });

  it('sorts keys by their UTF-8 bytes, as protobuf deterministic serialization does', () => {
    // U+FF5E sorts before U+1F600 in UTF-8 (ef bd be < f0 9f 98 80) but after it in UTF-16.
    const encoded = encodeExample({ '\u{1F600}': int64Feature(1), '\uFF5E': int64Feature(2) });
    expect(Object.keys(decodeExample(encoded))).toEqual(['\uFF5E', '\u{1F600}']);
    expect(encoded.indexOf(Buffer.from('\uFF5E'))).toBeLessThan(encoded.indexOf(Buffer.from('\u{1F600}')));
  });

  it('rejects int64 values it cannot represent exactly, naming the feature', () => {
    expect(() => encodeExample({ label: int64Feature(1.5) })).toThrow("feature 'label': int64 value 1.5 is not a safe integer");
    expect(() => encodeExample({ big: int64Feature(2 ** 53) })).toThrow(/feature 'big'.*bigints beyond ±2\^53/);
    expect(() => encodeExample({ huge: int64Feature(2n ** 63n) })).toThrow(
      "feature 'huge': int64 value 9223372036854775808 is outside the int64 range",
    );
  });
});

describe('encodeExampleSegments', () => {
  it('gives the same bytes as encodeExample, with large bytes values referenced instead of copied', () => {
    const image = Buffer.alloc(5000, 7);
    const second = Buffer.alloc(4096, 9);
    const example: Example = {
      'image/encoded': bytesFeature([image, Buffer.from('small'), second]),
      'image/class/label': int64Feature(2),
      a: floatFeature([1, 2]),
    };
    const segments = encodeExampleSegments(example);
    expect(Buffer.concat(segments)).toEqual(encodeExample(example));
    expect(segments.filter((segment) => segment === image || segment === second)).toHaveLength(2);
    expect(segments).toHaveLength(4); // head, image, the bytes between, second (the last feature by key)
    expect(encodeExampleSegments(example, Infinity)).toHaveLength(1);
    expect(hex(Buffer.concat(encodeExampleSegments(example1, 1)))).toBe(EXAMPLE_1_HEX);
    expect(hex(Buffer.concat(encodeExampleSegments({})))).toBe('0a00');
  });
});

describe('decodeExample', () => {
  it('decodes the document test vectors', () => {
    expect(plain(decodeExample(fromHex(EXAMPLE_1_HEX)))).toEqual(plain(example1));
    expect(plain(decodeExample(fromHex(EXAMPLE_2_HEX)))).toEqual(plain(example2));
  });

  it('round-trips int64 edge values, as numbers when safe and bigints beyond', () => {
    const values = [0, 1, 127, 128, 2 ** 31 - 1, 2 ** 31, 2 ** 32, Number.MAX_SAFE_INTEGER, -1, -128, -(2 ** 31), Number.MIN_SAFE_INTEGER];
    const bigints = [2n ** 53n, 2n ** 63n - 1n, -(2n ** 53n), -(2n ** 63n)];
    const decoded = decodeExample(encodeExample({ v: int64Feature([...values, ...bigints]) }));
    expect(decoded.v).toEqual({ kind: 'int64', values: [...values, ...bigints] });
    // A bigint that fits in a safe integer comes back as a number.
    expect(decodeExample(encodeExample({ v: int64Feature(5n) })).v?.values).toEqual([5]);
  });

  it('round-trips floats as their float32 values', () => {
    const values = [0, -0, 1.5, -2.25, Math.fround(0.1), 3.4028234663852886e38, Infinity, -Infinity];
    const decoded = decodeExample(encodeExample({ f: floatFeature([...values, 0.1, NaN]) }));
    expect(decoded.f?.values).toEqual([...values, Math.fround(0.1), NaN]);
  });

  it('accepts unpacked int64 and float lists, unknown fields and repeated entries (last wins)', () => {
    const entry = (key: string, feature: string) => {
      const body = Buffer.concat([
        Buffer.from([0x0a, key.length]),
        Buffer.from(key),
        Buffer.from([0x12, feature.length / 2]),
        fromHex(feature),
      ]);
      return Buffer.concat([Buffer.from([0x0a, body.length]), body]);
    };
    const features = Buffer.concat([
      entry('i', '1a04' + '0801' + '0802'), // Int64List, unpacked: two varint fields
      entry('f', '120a' + '0d0000c03f' + '0d00000040'), // FloatList, unpacked: two fixed32 fields
      entry('x', '0a03' + '0a0178'), // replaced by the next entry with the same key
      entry('x', '1a03' + '0a0107'),
      fromHex('1801'), // unknown varint field 3 inside Features
    ]);
    const message = Buffer.concat([fromHex('1005'), Buffer.from([0x0a, features.length]), features, fromHex('2a0161')]);
    expect(decodeExample(message)).toEqual({
      i: { kind: 'int64', values: [1, 2] },
      f: { kind: 'float', values: [1.5, 2] },
      x: { kind: 'int64', values: [7] },
    });
  });

  it('keeps a "__proto__" key as an ordinary feature', () => {
    const decoded = decodeExample(encodeExample(JSON.parse('{"__proto__": {"kind": "int64", "values": [1]}}') as Example));
    expect(Object.keys(decoded)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
  });

  it('decodes bytes values without copying, and an empty payload as an empty Example', () => {
    const encoded = encodeExample(example1);
    const value = decodeExample(encoded)['image/encoded']?.values[0] as Uint8Array | undefined;
    expect(value?.buffer).toBe(encoded.buffer);
    expect(decodeExample(Buffer.alloc(0))).toEqual({});
    expect(decodeExample(new Uint8Array(fromHex(EXAMPLE_1_HEX)))['image/class/label']?.values).toEqual([3]);
  });

  it('rejects malformed input with the byte position and what was wrong', () => {
    const truncated = fromHex(EXAMPLE_1_HEX).subarray(0, 30);
    expect(() => decodeExample(truncated)).toThrow(
      /^Malformed tf\.train\.Example at byte 2 of 30: a field of 55 bytes runs past the end of its message/,
    );
    expect(() => decodeExample(fromHex('0a010a'))).toThrow(
      'Malformed tf.train.Example at byte 3 of 3: a varint runs past the end of its message',
    );
    expect(() => decodeExample(fromHex('0b'))).toThrow('unsupported wire type 3');
    expect(() => decodeExample(fromHex('0a0c0a0a0a0166120512030a0100'))).toThrow('a packed float list is not a multiple of 4 bytes');
  });
});
