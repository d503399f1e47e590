/**
 * TensorBoard's `Event` message in the protobuf wire format, for the few fields scalar curves
 * need, without a protobuf library. Field numbers from tensorflow/core/util/event.proto and
 * tensorflow/core/framework/summary.proto:
 *
 *   Event   { double wall_time = 1; int64 step = 2; oneof what { string file_version = 3; Summary summary = 5; } }
 *   Summary { repeated Value value = 1; }
 *   Value   { string tag = 1; oneof value { float simple_value = 2; } }
 *
 * proto3 leaves fields at their default out of the encoding (step 0, an empty string), as
 * TensorFlow's own writer does; fields are written in field-number order.
 */

/** One scalar of a summary: `simple_value` is a float32, so the value is rounded to one. */
export interface ScalarValue {
  readonly tag: string;
  readonly value: number;
}

export interface TensorBoardEvent {
  /** Seconds since the Unix epoch, fractional. */
  readonly wallTime: number;
  /** The x axis of TensorBoard's charts; a whole number ≥ 0. Default 0. */
  readonly step?: number;
  /** Only on the first event of a file ("brain.Event:2"); an event has this or `summary`. */
  readonly fileVersion?: string;
  readonly summary?: readonly ScalarValue[];
}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

const key = (field: number, wireType: number) => (field << 3) | wireType;

/** Bytes of a protobuf message, appended piece by piece (events are tens of bytes). */
class ProtoBytes {
  private readonly parts: number[] = [];

  varint(value: number): this {
    // Callers pass safe non-negative integers; division keeps values above 2^32 exact.
    while (value >= 0x80) {
      this.parts.push((value % 0x80) | 0x80);
      value = Math.floor(value / 0x80);
    }
    this.parts.push(value);
    return this;
  }

  double(field: number, value: number): this {
    const bytes = Buffer.alloc(8);
    bytes.writeDoubleLE(value);
    this.varint(key(field, WIRE_FIXED64)).parts.push(...bytes);
    return this;
  }

  float(field: number, value: number): this {
    const bytes = Buffer.alloc(4);
    bytes.writeFloatLE(value);
    this.varint(key(field, WIRE_FIXED32)).parts.push(...bytes);
    return this;
  }

  uint(field: number, value: number): this {
    return this.varint(key(field, WIRE_VARINT)).varint(value);
  }

  bytes(field: number, value: Uint8Array): this {
    this.varint(key(field, WIRE_LENGTH_DELIMITED)).varint(value.length);
    // A loop, not push(...value): spreading a long tag would overflow the call stack.
    for (const byte of value) this.parts.push(byte);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, Buffer.from(value, 'utf8'));
  }

  toBuffer(): Buffer {
    return Buffer.from(this.parts);
  }
}

function checkEvent(event: TensorBoardEvent): void {
  if (!Number.isFinite(event.wallTime) || event.wallTime < 0)
    throw new Error(`a TensorBoard event's wallTime must be seconds since the Unix epoch, got ${event.wallTime}.`);
  const step = event.step ?? 0;
  if (!Number.isSafeInteger(step) || step < 0) throw new Error(`a TensorBoard event's step must be a whole number ≥ 0, got ${step}.`);
  if ((event.fileVersion === undefined) === (event.summary === undefined)) {
    throw new Error('a TensorBoard event holds either fileVersion or summary (they are one protobuf oneof), not both and not neither.');
  }
  if (event.fileVersion === '')
    throw new Error('a TensorBoard event\'s fileVersion must not be empty; event files start with "brain.Event:2".');
  for (const scalar of event.summary ?? []) {
    if (scalar.tag.length === 0) throw new Error('a TensorBoard scalar needs a non-empty tag, e.g. epoch_loss.');
    // NaN and ±Infinity are fine: TensorBoard plots them as it plots a Keras run that diverged.
    if (typeof scalar.value !== 'number')
      throw new Error(`the TensorBoard scalar ${scalar.tag} must be a number, got ${typeof scalar.value}.`);
  }
}

/** The serialized `Event`: one record's payload in an event file. */
export function encodeEvent(event: TensorBoardEvent): Buffer {
  checkEvent(event);
  const out = new ProtoBytes();
  if (event.wallTime !== 0) out.double(1, event.wallTime);
  if (event.step) out.uint(2, event.step);
  if (event.fileVersion !== undefined) out.string(3, event.fileVersion);
  if (event.summary !== undefined) {
    const summary = new ProtoBytes();
    for (const scalar of event.summary) summary.bytes(1, new ProtoBytes().string(1, scalar.tag).float(2, scalar.value).toBuffer());
    out.bytes(5, summary.toBuffer());
  }
  return out.toBuffer();
}
