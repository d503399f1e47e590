/**
 * `tf.train.Example` in the protobuf wire format, without a protobuf library:
 *
 *   Example  { Features features = 1 }
 *   Features { map<string, Feature> feature = 1 }   (on the wire: repeated { key = 1; value = 2 })
 *   Feature  { oneof { BytesList = 1; FloatList = 2; Int64List = 3 } }
 *   lists    { repeated value = 1 }                 (floats and int64s packed)
 *
 * The encoder writes map keys sorted by their UTF-8 bytes, which is what Python's
 * `SerializeToString(deterministic=True)` does, so its output is byte-identical to TensorFlow's.
 * Sizes are computed bottom-up first, then everything is written once into one exact-size buffer.
 *
 * The decoder also accepts what other writers may legally produce: unpacked floats and int64s,
 * unknown fields, keys in any order, repeated entries (the last one wins, as in protobuf).
 */

export interface BytesFeature {
  readonly kind: 'bytes';
  readonly values: readonly Uint8Array[];
}
/** Values are stored as 32-bit floats; a decoded value is the float32 nearest the one written. */
export interface FloatFeature {
  readonly kind: 'float';
  readonly values: readonly number[];
}
/**
 * Decoded values are numbers when they are safe integers (|v| < 2^53) and bigints otherwise;
 * write bigints for values beyond ±2^53.
 */
export interface Int64Feature {
  readonly kind: 'int64';
  readonly values: readonly (number | bigint)[];
}
export type Feature = BytesFeature | FloatFeature | Int64Feature;
/** The feature map of a `tf.train.Example`, keyed by feature name. */
export type Example = Record<string, Feature>;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const TWO_POW_32 = 2 ** 32;

/** A bytes feature; strings are stored as UTF-8. */
export function bytesFeature(values: Uint8Array | string | readonly (Uint8Array | string)[]): BytesFeature {
  const list = Array.isArray(values) ? values : [values as Uint8Array | string];
  return { kind: 'bytes', values: list.map((value) => (typeof value === 'string' ? Buffer.from(value, 'utf8') : value)) };
}

export function floatFeature(values: number | readonly number[]): FloatFeature {
  return { kind: 'float', values: typeof values === 'number' ? [values] : values };
}

export function int64Feature(values: number | bigint | readonly (number | bigint)[]): Int64Feature {
  return { kind: 'int64', values: typeof values === 'number' || typeof values === 'bigint' ? [values] : values };
}

// ---------------------------------------------------------------------------------------------
// Encoding

function varintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}

function writeVarint(out: Buffer, position: number, value: number): number {
  while (value >= 0x80) {
    out[position++] = (value % 128) | 0x80;
    value = Math.floor(value / 128);
  }
  out[position++] = value;
  return position;
}

/**
 * Splits an int64 into its two's-complement 32-bit halves (int64 varints are not zigzag encoded,
 * so a negative value takes all 64 bits, i.e. 10 bytes). Returns [low, high] as uint32s.
 */
function int64Halves(key: string, value: number | bigint): [number, number] {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      throw new Error(
        `tf.train.Example feature '${key}': int64 value ${value} is not a safe integer; pass whole numbers, and bigints beyond ±2^53.`,
      );
    }
    return [value >>> 0, Math.floor(value / TWO_POW_32) >>> 0];
  }
  if (value < INT64_MIN || value > INT64_MAX) {
    throw new Error(`tf.train.Example feature '${key}': int64 value ${value} is outside the int64 range [-2^63, 2^63 - 1].`);
  }
  const unsigned = BigInt.asUintN(64, value);
  return [Number(unsigned & 0xffffffffn), Number(unsigned >> 32n)];
}

function int64VarintSize(low: number, high: number): number {
  let size = 1;
  while (high > 0 || low >= 0x80) {
    low = ((low >>> 7) | (high << 25)) >>> 0;
    high >>>= 7;
    size++;
  }
  return size;
}

function writeInt64Varint(out: Buffer, position: number, low: number, high: number): number {
  while (high > 0 || low >= 0x80) {
    out[position++] = (low & 0x7f) | 0x80;
    low = ((low >>> 7) | (high << 25)) >>> 0;
    high >>>= 7;
  }
  out[position++] = low;
  return position;
}

/** Size of a length-delimited field with a one-byte tag holding `size` bytes. */
const fieldSize = (size: number): number => 1 + varintSize(size) + size;

interface PlannedEntry {
  name: string;
  key: Buffer;
  feature: Feature;
  /** Bytes of the list message (BytesList / FloatList / Int64List). */
  listSize: number;
  /** Bytes of the packed run inside a float or int64 list (0 for bytes lists). */
  packedSize: number;
  featureSize: number;
  entrySize: number;
}

function planEntry(name: string, feature: Feature): PlannedEntry {
  const key = Buffer.from(name, 'utf8');
  let listSize = 0;
  let packedSize = 0;
  switch (feature.kind) {
    case 'bytes':
      for (const value of feature.values) listSize += fieldSize(value.length);
      break;
    case 'float':
      packedSize = feature.values.length * 4;
      break;
    case 'int64':
      for (const value of feature.values) packedSize += int64VarintSize(...int64Halves(name, value));
      break;
    default:
      throw new Error(
        `tf.train.Example feature '${name}' has kind '${(feature as { kind: unknown }).kind}'; use bytesFeature(), floatFeature() or int64Feature().`,
      );
  }
  // proto3 leaves an empty packed run out entirely.
  if (packedSize > 0) listSize = fieldSize(packedSize);
  const featureSize = fieldSize(listSize);
  const entrySize = fieldSize(key.length) + fieldSize(featureSize);
  return { name, key, feature, listSize, packedSize, featureSize, entrySize };
}

/**
 * Where bytes values of at least `minBytes` go when they are referenced rather than copied: the
 * encoded message is then `list`, slices of the output buffer interleaved with those values.
 */
interface References {
  readonly minBytes: number;
  readonly list: Uint8Array[];
  /** Start of the output bytes not yet in `list`. */
  start: number;
}

function writeEntry(out: Buffer, position: number, entry: PlannedEntry, references: References | undefined): number {
  const { key, feature } = entry;
  out[position++] = 0x0a; // Features.feature map entry
  position = writeVarint(out, position, entry.entrySize);
  out[position++] = 0x0a; // entry.key
  position = writeVarint(out, position, key.length);
  position += key.copy(out, position);
  out[position++] = 0x12; // entry.value (Feature)
  position = writeVarint(out, position, entry.featureSize);
  out[position++] = feature.kind === 'bytes' ? 0x0a : feature.kind === 'float' ? 0x12 : 0x1a;
  position = writeVarint(out, position, entry.listSize);
  if (feature.kind === 'bytes') {
    for (const value of feature.values) {
      out[position++] = 0x0a;
      position = writeVarint(out, position, value.length);
      if (references && value.length >= references.minBytes) {
        references.list.push(out.subarray(references.start, position), value);
        references.start = position;
      } else {
        out.set(value, position);
        position += value.length;
      }
    }
  } else if (entry.packedSize > 0) {
    out[position++] = 0x0a;
    position = writeVarint(out, position, entry.packedSize);
    if (feature.kind === 'float') {
      for (const value of feature.values) position = out.writeFloatLE(value, position);
    } else {
      for (const value of feature.values) position = writeInt64Varint(out, position, ...int64Halves(entry.name, value));
    }
  }
  return position;
}

/** Encodes into one buffer that holds everything except the values `references` takes by reference. */
function encodeInto(example: Example, references: References | undefined): Buffer {
  const entries = Object.entries(example).map(([name, feature]) => planEntry(name, feature));
  entries.sort((a, b) => Buffer.compare(a.key, b.key));
  let featuresSize = 0;
  let referencedSize = 0;
  for (const entry of entries) {
    featuresSize += fieldSize(entry.entrySize);
    if (references && entry.feature.kind === 'bytes') {
      for (const value of entry.feature.values) if (value.length >= references.minBytes) referencedSize += value.length;
    }
  }
  const out = Buffer.allocUnsafe(fieldSize(featuresSize) - referencedSize);
  let position = writeVarint(out, 1, featuresSize);
  out[0] = 0x0a; // Example.features
  for (const entry of entries) position = writeEntry(out, position, entry, references);
  return out;
}

/** Serializes an Example; keys are written in sorted order, as TensorFlow's deterministic mode does. */
export function encodeExample(example: Example): Buffer {
  return encodeInto(example, undefined);
}

/**
 * The same bytes as encodeExample, as a list of pieces whose concatenation is the message, with
 * bytes values of `referenceFrom` bytes or more (images) included by reference instead of copied.
 * The TFRecord writer checksums and writes the pieces as they are: no copy of the image bytes.
 */
export function encodeExampleSegments(example: Example, referenceFrom = 4096): Uint8Array[] {
  const references: References = { minBytes: Math.max(1, referenceFrom), list: [], start: 0 };
  const out = encodeInto(example, references);
  if (references.start < out.length) references.list.push(out.subarray(references.start));
  return references.list;
}

// ---------------------------------------------------------------------------------------------
// Decoding

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

/** A cursor over one message's bytes; `end` bounds the message being parsed. */
interface Cursor {
  readonly data: Buffer;
  position: number;
  end: number;
}

function malformed(cursor: Cursor, what: string): Error {
  return new Error(
    `Malformed tf.train.Example at byte ${cursor.position} of ${cursor.data.length}: ${what}. ` +
      'The payload is not a serialized tf.train.Example, or it was damaged; read records with CRC checks on and re-create the file if it fails them.',
  );
}

/** Reads a varint used as a length or tag (at most 2^53). */
function readVarint(cursor: Cursor): number {
  const { data } = cursor;
  let value = 0;
  let multiplier = 1;
  for (let count = 0; count < 8; count++) {
    if (cursor.position >= cursor.end) throw malformed(cursor, 'a varint runs past the end of its message');
    // In range: position < end <= data.length, checked on the line above.
    const byte = data[cursor.position++]!;
    value += (byte & 0x7f) * multiplier;
    if (byte < 0x80) return value;
    multiplier *= 128;
  }
  throw malformed(cursor, 'a length or tag varint is longer than 8 bytes');
}

/** Reads an int64 varint: a number when it is a safe integer, else a bigint. */
function readInt64(cursor: Cursor): number | bigint {
  const { data } = cursor;
  const start = cursor.position;
  let last = start;
  // The `!`s index below cursor.end (<= data.length), which this loop and the check after it ensure.
  while (last < cursor.end && data[last]! >= 0x80) last++;
  if (last >= cursor.end) throw malformed(cursor, 'an int64 varint runs past the end of its message');
  const length = last - start + 1;
  if (length > 10) throw malformed(cursor, 'an int64 varint is longer than 10 bytes');
  cursor.position = last + 1;
  if (length <= 7) {
    // Up to 49 bits: exact in a double, and never negative (the sign bit is bit 63).
    let value = 0;
    for (let i = last; i >= start; i--) value = value * 128 + (data[i]! & 0x7f);
    return value;
  }
  let value = 0n;
  for (let i = last; i >= start; i--) value = (value << 7n) | BigInt(data[i]! & 0x7f);
  const signed = BigInt.asIntN(64, value);
  return signed >= BigInt(Number.MIN_SAFE_INTEGER) && signed <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(signed) : signed;
}

/** Narrows the cursor to the length-delimited field that starts here; returns the outer end. */
function enter(cursor: Cursor): number {
  const length = readVarint(cursor);
  if (length > cursor.end - cursor.position) throw malformed(cursor, `a field of ${length} bytes runs past the end of its message`);
  const outerEnd = cursor.end;
  cursor.end = cursor.position + length;
  return outerEnd;
}

function leave(cursor: Cursor, outerEnd: number): void {
  cursor.position = cursor.end;
  cursor.end = outerEnd;
}

function skipField(cursor: Cursor, wireType: number): void {
  switch (wireType) {
    case WIRE_VARINT:
      readInt64(cursor);
      return;
    case WIRE_FIXED64:
    case WIRE_FIXED32: {
      const size = wireType === WIRE_FIXED64 ? 8 : 4;
      if (cursor.end - cursor.position < size) throw malformed(cursor, 'a fixed-size field runs past the end of its message');
      cursor.position += size;
      return;
    }
    case WIRE_LENGTH_DELIMITED:
      leave(cursor, enter(cursor));
      return;
    default:
      throw malformed(cursor, `unsupported wire type ${wireType}`);
  }
}

function decodeList(cursor: Cursor, kind: Feature['kind'], values: (Uint8Array | number | bigint)[]): void {
  while (cursor.position < cursor.end) {
    const tag = readVarint(cursor);
    const wireType = tag & 7;
    if (tag >>> 3 !== 1) {
      skipField(cursor, wireType);
    } else if (kind === 'bytes' && wireType === WIRE_LENGTH_DELIMITED) {
      const outerEnd = enter(cursor);
      values.push(cursor.data.subarray(cursor.position, cursor.end));
      leave(cursor, outerEnd);
    } else if (kind === 'float' && wireType === WIRE_LENGTH_DELIMITED) {
      const outerEnd = enter(cursor);
      if ((cursor.end - cursor.position) % 4 !== 0) throw malformed(cursor, 'a packed float list is not a multiple of 4 bytes');
      for (; cursor.position < cursor.end; cursor.position += 4) values.push(cursor.data.readFloatLE(cursor.position));
      leave(cursor, outerEnd);
    } else if (kind === 'float' && wireType === WIRE_FIXED32) {
      if (cursor.end - cursor.position < 4) throw malformed(cursor, 'a float runs past the end of its list');
      values.push(cursor.data.readFloatLE(cursor.position));
      cursor.position += 4;
    } else if (kind === 'int64' && wireType === WIRE_LENGTH_DELIMITED) {
      const outerEnd = enter(cursor);
      while (cursor.position < cursor.end) values.push(readInt64(cursor));
      leave(cursor, outerEnd);
    } else if (kind === 'int64' && wireType === WIRE_VARINT) {
      values.push(readInt64(cursor));
    } else {
      throw malformed(cursor, `a ${kind} list value has wire type ${wireType}`);
    }
  }
}

const KINDS: Record<number, Feature['kind']> = { 1: 'bytes', 2: 'float', 3: 'int64' };

function decodeFeature(cursor: Cursor): Feature {
  // A Feature with no list set decodes as an empty bytes list: TensorFlow treats it as empty too.
  let feature: Feature = { kind: 'bytes', values: [] };
  while (cursor.position < cursor.end) {
    const tag = readVarint(cursor);
    const kind = KINDS[tag >>> 3];
    if (kind === undefined || (tag & 7) !== WIRE_LENGTH_DELIMITED) {
      skipField(cursor, tag & 7);
      continue;
    }
    // Protobuf merges a repeated message field; a different member of the oneof replaces it.
    const values: (Uint8Array | number | bigint)[] = feature.kind === kind ? [...feature.values] : [];
    const outerEnd = enter(cursor);
    decodeList(cursor, kind, values);
    leave(cursor, outerEnd);
    feature = { kind, values } as Feature;
  }
  return feature;
}

function decodeEntry(cursor: Cursor, features: Example): void {
  let key = '';
  let feature: Feature = { kind: 'bytes', values: [] };
  while (cursor.position < cursor.end) {
    const tag = readVarint(cursor);
    const field = tag >>> 3;
    if ((field === 1 || field === 2) && (tag & 7) === WIRE_LENGTH_DELIMITED) {
      const outerEnd = enter(cursor);
      if (field === 1) key = cursor.data.toString('utf8', cursor.position, cursor.end);
      else feature = decodeFeature(cursor);
      leave(cursor, outerEnd);
    } else {
      skipField(cursor, tag & 7);
    }
  }
  // defineProperty, not assignment: a key such as "__proto__" must stay an ordinary entry.
  Object.defineProperty(features, key, { value: feature, enumerable: true, writable: true, configurable: true });
}

/**
 * Parses a serialized `tf.train.Example`. Bytes values are views into `data` (no copy): copy them
 * before reusing `data`'s memory.
 */
export function decodeExample(data: Uint8Array): Example {
  const buffer = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const cursor: Cursor = { data: buffer, position: 0, end: buffer.length };
  const features: Example = {};
  while (cursor.position < cursor.end) {
    const tag = readVarint(cursor);
    if (tag === 0x0a) {
      const outerEnd = enter(cursor);
      while (cursor.position < cursor.end) {
        const entryTag = readVarint(cursor);
        if (entryTag === 0x0a) {
          const entryEnd = enter(cursor);
          decodeEntry(cursor, features);
          leave(cursor, entryEnd);
        } else {
          skipField(cursor, entryTag & 7);
        }
      }
      leave(cursor, outerEnd);
    } else {
      skipField(cursor, tag & 7);
    }
  }
  return features;
}
