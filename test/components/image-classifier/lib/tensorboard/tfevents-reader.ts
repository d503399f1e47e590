/**
 * An independent reader of TensorBoard event files for tests, written from the formats' specs and
 * sharing no code with the writer:
 * - TFRecord framing: uint64 LE length, uint32 LE masked CRC32C of those 8 bytes, the payload,
 *   uint32 LE masked CRC32C of the payload (CRC32C: reflected polynomial 0x82F63B78; mask:
 *   rotate right by 15, add 0xA282EAD8);
 * - protobuf wire format, decoding Event {1: double wall_time, 2: int64 step, 3: string
 *   file_version, 5: Summary}, Summary {1: repeated Value}, Value {1: string tag, 2: float simple_value}.
 */

export interface DecodedValue {
  tag: string;
  simpleValue?: number;
}

export interface DecodedEvent {
  wallTime?: number;
  step?: bigint;
  fileVersion?: string;
  summary?: DecodedValue[];
}

function crc32cBitwise(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

export function maskedCrc(bytes: Uint8Array): number {
  const crc = crc32cBitwise(bytes);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** The payloads of a TFRecord file; throws on a bad CRC or a truncated record. */
export function readRecords(file: Buffer): Buffer[] {
  const records: Buffer[] = [];
  let at = 0;
  while (at < file.length) {
    if (file.length - at < 12) throw new Error(`truncated record header at byte ${at}`);
    const lengthBytes = file.subarray(at, at + 8);
    if (file.readUInt32LE(at + 8) !== maskedCrc(lengthBytes)) throw new Error(`bad length CRC at byte ${at}`);
    const length = Number(file.readBigUInt64LE(at));
    const data = file.subarray(at + 12, at + 12 + length);
    if (data.length !== length || file.length < at + 16 + length) throw new Error(`truncated record at byte ${at}`);
    if (file.readUInt32LE(at + 12 + length) !== maskedCrc(data)) throw new Error(`bad data CRC at byte ${at}`);
    records.push(data);
    at += 16 + length;
  }
  return records;
}

interface Field {
  number: number;
  wireType: number;
  /** varint as bigint; fixed64/fixed32/length-delimited as bytes. */
  value: bigint | Buffer;
}

function fields(message: Buffer): Field[] {
  const out: Field[] = [];
  let at = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (at >= message.length) throw new Error('truncated varint');
      const byte = message[at++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
  };
  while (at < message.length) {
    const key = Number(varint());
    const wireType = key & 7;
    const take = (n: number) => {
      if (at + n > message.length) throw new Error('truncated field');
      const bytes = message.subarray(at, at + n);
      at += n;
      return bytes;
    };
    if (wireType === 0) out.push({ number: key >>> 3, wireType, value: varint() });
    else if (wireType === 1) out.push({ number: key >>> 3, wireType, value: take(8) });
    else if (wireType === 2) out.push({ number: key >>> 3, wireType, value: take(Number(varint())) });
    else if (wireType === 5) out.push({ number: key >>> 3, wireType, value: take(4) });
    else throw new Error(`unexpected wire type ${wireType}`);
  }
  return out;
}

function expectWire(field: Field, wireType: number, what: string): void {
  if (field.wireType !== wireType) throw new Error(`${what} has wire type ${field.wireType}, expected ${wireType}`);
}

function decodeValue(bytes: Buffer): DecodedValue {
  const value: DecodedValue = { tag: '' };
  for (const field of fields(bytes)) {
    if (field.number === 1) {
      expectWire(field, 2, 'Value.tag');
      value.tag = (field.value as Buffer).toString('utf8');
    } else if (field.number === 2) {
      expectWire(field, 5, 'Value.simple_value');
      value.simpleValue = (field.value as Buffer).readFloatLE(0);
    } else throw new Error(`unexpected Value field ${field.number}`);
  }
  return value;
}

export function decodeEvent(bytes: Buffer): DecodedEvent {
  const event: DecodedEvent = {};
  for (const field of fields(bytes)) {
    if (field.number === 1) {
      expectWire(field, 1, 'Event.wall_time');
      event.wallTime = (field.value as Buffer).readDoubleLE(0);
    } else if (field.number === 2) {
      expectWire(field, 0, 'Event.step');
      event.step = BigInt.asIntN(64, field.value as bigint);
    } else if (field.number === 3) {
      expectWire(field, 2, 'Event.file_version');
      event.fileVersion = (field.value as Buffer).toString('utf8');
    } else if (field.number === 5) {
      expectWire(field, 2, 'Event.summary');
      event.summary = fields(field.value as Buffer).map((value) => {
        if (value.number !== 1) throw new Error(`unexpected Summary field ${value.number}`);
        expectWire(value, 2, 'Summary.value');
        return decodeValue(value.value as Buffer);
      });
    } else throw new Error(`unexpected Event field ${field.number}`);
  }
  return event;
}

export function readEventFile(file: Buffer): DecodedEvent[] {
  return readRecords(file).map(decodeEvent);
}
