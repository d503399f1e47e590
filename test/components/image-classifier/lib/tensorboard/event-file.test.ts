// TensorBoard event files, checked byte by byte with a reader written from the specs (tfevents-reader.ts).
import {
  EVENT_FILE_VERSION,
  encodeEventFile,
  eventFileName,
  scalarEvents,
  type ScalarPoint,
} from '../../../../../components/image-classifier/lib/tensorboard/event-file';
import { encodeEvent } from '../../../../../components/image-classifier/lib/tensorboard/event-proto';
import { readEventFile, readRecords } from './tfevents-reader';
import { defined } from '../../../../support/defined';

// The devDependency's CRC helpers, an implementation independent of ours and of the test reader's
// (its reader cannot be used: it parses every record as an Example and asserts on an Event).
// The package ships guard.ts beside guard.js, and jest resolves './guard' to the TypeScript one,
// which it does not compile in node_modules: point it at the JavaScript.
jest.mock('@roboflow/tfrecords/src/guard', () => jest.requireActual('@roboflow/tfrecords/src/guard.js'));
const roboflow = require('@roboflow/tfrecords/src/tensorFlowHelpers.js') as { crc32c(bytes: Buffer): number; maskCrc(crc: number): number };
const roboflowCrc32c = roboflow.crc32c;
const roboflowMaskCrc = roboflow.maskCrc;

const points: ScalarPoint[] = [
  { tag: 'epoch_loss', step: 1, wallTime: 1_700_000_010.125, value: 0.6931471805599453 },
  { tag: 'epoch_accuracy', step: 1, wallTime: 1_700_000_010.125, value: 0.5 },
  { tag: 'epoch_loss', step: 2, wallTime: 1_700_000_020.5, value: 0.1 },
  { tag: 'epoch_accuracy', step: 2, wallTime: 1_700_000_020.5, value: 0.9375 },
];

describe('eventFileName', () => {
  it("follows TensorFlow's EventsWriter: events.out.tfevents.<10-digit seconds>.<host>", () => {
    expect(eventFileName(1_700_000_000.9, 'trainer-0')).toBe('events.out.tfevents.1700000000.trainer-0');
    expect(eventFileName(42, 'h')).toBe('events.out.tfevents.0000000042.h');
    expect(eventFileName(1, 'a/b')).toBe('events.out.tfevents.0000000001.a_b');
    expect(() => eventFileName(Number.NaN, 'h')).toThrow('seconds since the Unix epoch');
  });
});

describe('encodeEvent', () => {
  it('writes the wire format of event.proto, field by field (hand-encoded vectors)', () => {
    // wall_time 1.5 (field 1, fixed64: key 0x09) then file_version (field 3, length-delimited: key 0x1a).
    expect(encodeEvent({ wallTime: 1.5, fileVersion: 'brain.Event:2' }).toString('hex')).toBe(
      `09000000000000f83f1a0d${Buffer.from('brain.Event:2').toString('hex')}`,
    );
    // step 300 (field 2, varint: key 0x10, 0xac 0x02), summary (field 5: key 0x2a) { value (1) { tag (1) "a", simple_value (2, fixed32: key 0x15) 0.5 } }.
    expect(encodeEvent({ wallTime: 2, step: 300, summary: [{ tag: 'a', value: 0.5 }] }).toString('hex')).toBe(
      '090000000000000040' + '10ac02' + '2a0a' + '0a08' + '0a0161' + '150000003f',
    );
  });

  it('leaves step 0 out as proto3 does, and encodes steps beyond 32 bits', () => {
    expect(
      readEventFile(
        encodeEventFile([
          { wallTime: 1, fileVersion: 'v' },
          { wallTime: 2, step: 0, summary: [] },
        ]),
      )[1],
    ).toEqual({ wallTime: 2, summary: [] });
    const [, big] = readEventFile(
      encodeEventFile([
        { wallTime: 1, fileVersion: 'v' },
        { wallTime: 2, step: 2 ** 40 + 3, summary: [{ tag: 't', value: 1 }] },
      ]),
    );
    expect(big!.step).toBe(2n ** 40n + 3n);
  });

  it('keeps NaN and infinite values (a diverged run) and rounds values to float32', () => {
    const [, event] = readEventFile(
      encodeEventFile([
        { wallTime: 1, fileVersion: 'v' },
        {
          wallTime: 2,
          step: 1,
          summary: [
            { tag: 'nan', value: Number.NaN },
            { tag: 'inf', value: Infinity },
            { tag: 'x', value: 0.1 },
          ],
        },
      ]),
    );
    expect(event!.summary).toEqual([
      { tag: 'nan', simpleValue: Number.NaN },
      { tag: 'inf', simpleValue: Infinity },
      { tag: 'x', simpleValue: Math.fround(0.1) },
    ]);
  });

  it('refuses events TensorBoard could not use, saying what is wrong', () => {
    expect(() => encodeEvent({ wallTime: 1, step: -1, summary: [] })).toThrow('step must be a whole number ≥ 0, got -1');
    expect(() => encodeEvent({ wallTime: 1, step: 1.5, summary: [] })).toThrow('step must be a whole number ≥ 0, got 1.5');
    expect(() => encodeEvent({ wallTime: Number.NaN, fileVersion: 'v' })).toThrow('wallTime must be seconds since the Unix epoch, got NaN');
    expect(() => encodeEvent({ wallTime: 1 })).toThrow('either fileVersion or summary');
    expect(() => encodeEvent({ wallTime: 1, fileVersion: 'v', summary: [] })).toThrow('either fileVersion or summary');
    expect(() => encodeEvent({ wallTime: 1, summary: [{ tag: '', value: 1 }] })).toThrow('non-empty tag');
    expect(() => encodeEventFile([{ wallTime: 1, step: 1, summary: [] }])).toThrow('starts with the file_version event');
  });
});

describe('an event file of scalars', () => {
  const createdAt = 1_700_000_000.25;
  const file = encodeEventFile(scalarEvents(createdAt, points));

  it('starts with the version event, then one event per point with its tag, step, wall time and float32 value', () => {
    const events = readEventFile(file);
    expect(events[0]).toEqual({ wallTime: createdAt, fileVersion: EVENT_FILE_VERSION });
    expect(EVENT_FILE_VERSION).toBe('brain.Event:2');
    expect(events.slice(1)).toEqual(
      points.map((point) => ({
        wallTime: point.wallTime,
        step: BigInt(point.step),
        summary: [{ tag: point.tag, simpleValue: Math.fround(point.value) }],
      })),
    );
  });

  it('is framed as TFRecords, the CRCs agreeing with those of @roboflow/tfrecords', () => {
    let at = 0;
    for (const record of readRecords(file)) {
      expect(file.readUInt32LE(at + 8)).toBe(roboflowMaskCrc(roboflowCrc32c(file.subarray(at, at + 8))) >>> 0);
      expect(file.readUInt32LE(at + 12 + record.length)).toBe(roboflowMaskCrc(roboflowCrc32c(record)) >>> 0);
      at += 16 + record.length;
    }
    expect(at).toBe(file.length);
  });

  it('is rejected by the independent reader when a byte changes (the test reader does check)', () => {
    const damaged = Buffer.from(file);
    damaged[30] = defined(damaged[30], 'byte 30') ^ 1;
    expect(() => readRecords(damaged)).toThrow('bad data CRC');
  });
});
