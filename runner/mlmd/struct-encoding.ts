// MLMD stores a STRUCT property as "mlmd-struct::" + base64(serialized google.protobuf.Struct) in
// `string_value` (ml_metadata/util/struct_utils.cc). This is the smallest protobuf wire-format codec that
// covers the three well-known messages involved:
//   Struct    { map<string, Value> fields = 1; }            (a map is repeated { key = 1; value = 2; })
//   Value     { oneof kind { NullValue null_value = 1; double number_value = 2; string string_value = 3;
//                            bool bool_value = 4; Struct struct_value = 5; ListValue list_value = 6; } }
//   ListValue { repeated Value values = 1; }
// Test vector: {"msg": "hi"} <-> 0a0b0a036d736712041a026869 <-> mlmd-struct::CgsKA21zZxIEGgJoaQ==

export const STRUCT_PREFIX = 'mlmd-struct::';

const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

/** A JSON object, the only shape a google.protobuf.Struct can hold at its top level. */
export type StructObject = Record<string, unknown>;

export function isStructObject(value: unknown): value is StructObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---- encoding ----

/** Class instances (Date, Map, Buffer…) have no faithful Struct form, so only plain objects are accepted. */
/**
 * A plain object from any realm: `structuredClone` and vm contexts (jest) make objects whose
 * `Object.prototype` is another realm's, so compare the prototype's shape, not its identity.
 */
function isPlainObject(value: unknown): value is StructObject {
  if (!isStructObject(value)) return false;
  const prototype = Object.getPrototypeOf(value) as object | null;
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}

class Writer {
  private readonly chunks: Buffer[] = [];

  varint(value: number): void {
    const bytes: number[] = [];
    // Division rather than bit shifts: lengths are non-negative and may exceed 2^31 in principle.
    while (value >= 0x80) {
      bytes.push((value % 0x80) | 0x80);
      value = Math.floor(value / 0x80);
    }
    bytes.push(value);
    this.chunks.push(Buffer.from(bytes));
  }

  tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  bytes(field: number, data: Buffer): void {
    this.tag(field, LENGTH_DELIMITED);
    this.varint(data.length);
    this.chunks.push(data);
  }

  double(field: number, value: number): void {
    this.tag(field, FIXED64);
    const data = Buffer.alloc(8);
    data.writeDoubleLE(value);
    this.chunks.push(data);
  }

  finish(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** Serialises a JSON object as google.protobuf.Struct. Keys are written sorted, as deterministic protobuf
 * serialisation does for maps, so equal objects always give equal bytes (and equal property strings). */
export function encodeStruct(object: StructObject, path = '$'): Buffer {
  const out = new Writer();
  for (const key of Object.keys(object).sort()) {
    const value = object[key];
    if (value === undefined) continue; // as JSON.stringify does: an undefined member is absent
    const entry = new Writer();
    entry.bytes(1, Buffer.from(key, 'utf8'));
    entry.bytes(2, encodeValue(value, `${path}.${key}`));
    out.bytes(1, entry.finish());
  }
  return out.finish();
}

function encodeValue(value: unknown, path: string): Buffer {
  const out = new Writer();
  if (value === null) {
    // A oneof member is written even when it holds the default, otherwise the Value would be empty.
    out.tag(1, VARINT);
    out.varint(0);
  } else if (typeof value === 'number') {
    out.double(2, value);
  } else if (typeof value === 'string') {
    out.bytes(3, Buffer.from(value, 'utf8'));
  } else if (typeof value === 'boolean') {
    out.tag(4, VARINT);
    out.varint(value ? 1 : 0);
  } else if (Array.isArray(value)) {
    const list = new Writer();
    value.forEach((item, index) => list.bytes(1, encodeValue(item === undefined ? null : item, `${path}[${index}]`)));
    out.bytes(6, list.finish());
  } else if (isPlainObject(value)) {
    out.bytes(5, encodeStruct(value, path));
  } else {
    throw new TypeError(
      `cannot store ${describe(value)} at ${path} in a google.protobuf.Struct: only JSON values (null, number, string, boolean, array, plain object) fit`,
    );
  }
  return out.finish();
}

function describe(value: unknown): string {
  if (typeof value !== 'object' || value === null) return typeof value;
  return Object.getPrototypeOf(value)?.constructor?.name ?? 'object';
}

// ---- decoding ----

class Reader {
  private offset = 0;

  constructor(private readonly data: Buffer) {}

  get done(): boolean {
    return this.offset >= this.data.length;
  }

  varint(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const byte = this.data[this.offset++];
      if (byte === undefined) throw new Error('truncated varint in google.protobuf.Struct bytes');
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 0x80;
      if (scale > 2 ** 63) throw new Error('varint too long in google.protobuf.Struct bytes');
    }
  }

  take(length: number): Buffer {
    if (this.offset + length > this.data.length) throw new Error('truncated field in google.protobuf.Struct bytes');
    const slice = this.data.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }

  lengthDelimited(): Buffer {
    return this.take(this.varint());
  }

  /** Skips a field this codec does not model, as protobuf parsers keep going past unknown fields. */
  skip(wireType: number): void {
    if (wireType === VARINT) this.varint();
    else if (wireType === FIXED64) this.take(8);
    else if (wireType === LENGTH_DELIMITED) this.lengthDelimited();
    else if (wireType === FIXED32) this.take(4);
    else throw new Error(`unsupported wire type ${wireType} in google.protobuf.Struct bytes`);
  }
}

/** Parses google.protobuf.Struct bytes into a JSON object. */
export function decodeStruct(data: Buffer): StructObject {
  const result: StructObject = {};
  const reader = new Reader(data);
  while (!reader.done) {
    const tag = reader.varint();
    if (tag === 1 * 8 + LENGTH_DELIMITED) {
      const [key, value] = decodeEntry(reader.lengthDelimited());
      // defineProperty, not assignment: a key named "__proto__" must stay data, not replace the prototype.
      Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
    } else {
      reader.skip(tag % 8);
    }
  }
  return result;
}

function decodeEntry(data: Buffer): [string, unknown] {
  let key = '';
  let value: unknown = null;
  const reader = new Reader(data);
  while (!reader.done) {
    const tag = reader.varint();
    if (tag === 1 * 8 + LENGTH_DELIMITED) key = reader.lengthDelimited().toString('utf8');
    else if (tag === 2 * 8 + LENGTH_DELIMITED) value = decodeValue(reader.lengthDelimited());
    else reader.skip(tag % 8);
  }
  return [key, value];
}

function decodeValue(data: Buffer): unknown {
  let value: unknown = null; // an empty Value (no kind set) reads as null, like protobuf's JSON mapping
  const reader = new Reader(data);
  while (!reader.done) {
    const tag = reader.varint();
    const field = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (field === 1 && wireType === VARINT) {
      reader.varint();
      value = null;
    } else if (field === 2 && wireType === FIXED64) {
      value = reader.take(8).readDoubleLE(0);
    } else if (field === 3 && wireType === LENGTH_DELIMITED) {
      value = reader.lengthDelimited().toString('utf8');
    } else if (field === 4 && wireType === VARINT) {
      value = reader.varint() !== 0;
    } else if (field === 5 && wireType === LENGTH_DELIMITED) {
      value = decodeStruct(reader.lengthDelimited());
    } else if (field === 6 && wireType === LENGTH_DELIMITED) {
      value = decodeList(reader.lengthDelimited());
    } else {
      reader.skip(wireType);
    }
  }
  return value;
}

function decodeList(data: Buffer): unknown[] {
  const values: unknown[] = [];
  const reader = new Reader(data);
  while (!reader.done) {
    const tag = reader.varint();
    if (tag === 1 * 8 + LENGTH_DELIMITED) values.push(decodeValue(reader.lengthDelimited()));
    else reader.skip(tag % 8);
  }
  return values;
}

// ---- property strings ----

/** The `string_value` MLMD stores for a STRUCT property: standard base64 with `=` padding. */
export function encodeStructProperty(object: StructObject): string {
  return STRUCT_PREFIX + encodeStruct(object).toString('base64');
}

export function isStructProperty(text: string): boolean {
  return text.startsWith(STRUCT_PREFIX);
}

/** Reads a `mlmd-struct::…` string back; throws on a string without the prefix. */
export function decodeStructProperty(text: string): StructObject {
  if (!isStructProperty(text)) throw new Error(`not an MLMD struct property (no '${STRUCT_PREFIX}' prefix): ${text.slice(0, 40)}`);
  return decodeStruct(Buffer.from(text.slice(STRUCT_PREFIX.length), 'base64'));
}
