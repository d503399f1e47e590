/**
 * TensorBoard event files ("tfevents"): a TFRecord file (the framing of ../tfrecord) of
 * serialized `Event` messages, the first of which names the format version and nothing else.
 * TensorBoard reads every file whose name contains "tfevents" in a run's folder, in name order,
 * so names start with the creation time.
 */
import { frameRecord } from '../tfrecord/tfrecord-writer';
import { encodeEvent, type TensorBoardEvent } from './event-proto';

/** What TensorFlow's EventsWriter writes first (tensorflow/core/util/events_writer.h, kVersionPrefix + 2). */
export const EVENT_FILE_VERSION = 'brain.Event:2';

/** One point of one curve. */
export interface ScalarPoint {
  readonly tag: string;
  readonly step: number;
  /** Seconds since the Unix epoch when the value was measured. */
  readonly wallTime: number;
  readonly value: number;
}

/**
 * TensorFlow's event file name (tensorflow/core/util/events_writer.cc: `%s.out.tfevents.%010lld.%s%s`
 * with the prefix `<logdir>/events`, whole seconds and the host name):
 * eventFileName(1700000000.7, 'trainer-0') === 'events.out.tfevents.1700000000.trainer-0'.
 */
export function eventFileName(createdAt: number, hostname: string): string {
  if (!Number.isFinite(createdAt) || createdAt < 0)
    throw new Error(`an event file's creation time must be seconds since the Unix epoch, got ${createdAt}.`);
  // A host name never holds a path separator, but os.hostname() is not checked: keep the file in its folder.
  const host = hostname.replace(/[/\\]/g, '_') || 'localhost';
  return `events.out.tfevents.${String(Math.floor(createdAt)).padStart(10, '0')}.${host}`;
}

/** The events of a file of scalars: the version event at `createdAt`, then one event per point, in the order given. */
export function scalarEvents(createdAt: number, points: readonly ScalarPoint[]): TensorBoardEvent[] {
  return [
    { wallTime: createdAt, fileVersion: EVENT_FILE_VERSION },
    ...points.map((point) => ({ wallTime: point.wallTime, step: point.step, summary: [{ tag: point.tag, value: point.value }] })),
  ];
}

/** The bytes of an event file holding `events`, each framed as one TFRecord. */
export function encodeEventFile(events: readonly TensorBoardEvent[]): Buffer {
  if (events[0]?.fileVersion === undefined)
    throw new Error(`an event file starts with the file_version event ("${EVENT_FILE_VERSION}"); TensorBoard identifies the file by it.`);
  return Buffer.concat(events.map((event) => frameRecord(encodeEvent(event))));
}
