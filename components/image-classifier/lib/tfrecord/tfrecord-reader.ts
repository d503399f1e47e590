/**
 * Reads TFRecord files (see tfrecord-writer.ts for the framing), verifying both masked CRCs of
 * every record by default. A damaged record raises a TFRecordCorruptionError that names the file,
 * the byte offset, the record number and what was wrong.
 *
 * Iteration is synchronous: each step reads at most one 1 MiB chunk of small records, or one
 * large payload straight into its own buffer, so a consumer that awaits image decoding between
 * records keeps the event loop free, and there is no per-record promise to pay for.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { crc32c, maskCrc, maskedCrc32c } from './crc32c';
import { decodeExample, type Example } from './example';
import { KfpTsError } from '../../../../compiler/errors/kfp-ts-error';

export type TFRecordProblem = 'length-crc' | 'payload-crc' | 'truncated' | 'too-large';

export class TFRecordCorruptionError extends KfpTsError {
  override readonly name = 'TFRecordCorruptionError';
  constructor(
    readonly file: string,
    /** Byte offset of the damaged record's header in the file. */
    readonly offset: number,
    /** 0-based number of the record in its file. */
    readonly recordIndex: number,
    readonly problem: TFRecordProblem,
    message: string,
  ) {
    super(message);
  }
}

export interface TFRecord {
  /** The payload: a buffer the caller owns, never reused by the reader (usually a serialized tf.train.Example). */
  data: Buffer;
  file: string;
  /** Byte offset of the record's header in its file. */
  offset: number;
  /** 0-based number of the record in its file. */
  index: number;
}

export interface TFRecordReadOptions {
  /** Check the masked CRC of every length and payload. Default true; turn off only to salvage data. */
  verifyCrc?: boolean;
  /**
   * Called with each record whose payload fails its CRC; the record is then skipped and reading
   * goes on (its length was verified, so the next record is still found). Without it, such a
   * record throws. Length CRC failures and truncation always throw: nothing after them can be found.
   */
  onCorruptRecord?: (error: TFRecordCorruptionError) => void;
  /** Bytes read from the file at a time. Default 1 MiB. */
  chunkSize?: number;
}

const HEADER_BYTES = 12;
const FOOTER_BYTES = 4;
const TWO_POW_32 = 2 ** 32;
/** Payloads with at least this much left to read skip the chunk: one read, no copy. */
const DIRECT_READ_BYTES = 16 * 1024;
/** The message of an error from fs (which, under jest, is not an `instanceof Error` of this realm). */
const reason = (error: unknown): string => String((error as { message?: unknown } | null)?.message ?? error);
const hex = (value: number) => `0x${value.toString(16).padStart(8, '0')}`;
const RECREATE = 'Re-create the file (re-run the step that wrote it), or copy it again if it was copied';

/** Reads exactly `length` bytes at `position`, or fewer only at the end of the file. */
function readFullySync(fd: number, target: Buffer, offset: number, length: number, position: number): number {
  let total = 0;
  while (total < length) {
    const count = fs.readSync(fd, target, offset + total, length - total, position + total);
    if (count === 0) break;
    total += count;
  }
  return total;
}

function* readOneFile(file: string, options: TFRecordReadOptions): Generator<TFRecord> {
  const verify = options.verifyCrc ?? true;
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    throw new Error(`Cannot open TFRecord file ${file}: ${reason(error)}. Check the path (shard lists come from findShards()).`, {
      cause: error,
    });
  }
  try {
    const size = fs.fstatSync(fd).size;
    const chunk = Buffer.allocUnsafeSlow(Math.max(options.chunkSize ?? 1 << 20, HEADER_BYTES));
    // The chunk holds the file's bytes [chunkStart, chunkEnd).
    let chunkStart = 0;
    let chunkEnd = 0;
    const fill = (position: number): void => {
      chunkStart = position;
      chunkEnd = position + readFullySync(fd, chunk, 0, Math.min(chunk.length, size - position), position);
    };

    let offset = 0;
    let nextOffset = 0;
    for (let index = 0; offset < size; index++, offset = nextOffset) {
      const fail = (problem: TFRecordProblem, what: string) =>
        new TFRecordCorruptionError(
          file,
          offset,
          index,
          problem,
          `Corrupt TFRecord file ${file}: record #${index} at byte ${offset}: ${what}`,
        );
      const truncated = (needed: number) =>
        fail(
          'truncated',
          `needs ${needed} bytes but only ${size - offset} remain (file size ${size}). The file was cut off, by an interrupted write or copy; the records before byte ${offset} are intact. ${RECREATE}.`,
        );

      if (size - offset < HEADER_BYTES) throw truncated(HEADER_BYTES);
      if (offset < chunkStart || offset + HEADER_BYTES > chunkEnd) fill(offset);
      if (offset + HEADER_BYTES > chunkEnd) throw truncated(HEADER_BYTES);
      const at = offset - chunkStart;
      if (verify) {
        const computed = maskCrc(crc32c(chunk.subarray(at, at + 8)));
        const stored = chunk.readUInt32LE(at + 8);
        if (computed !== stored) {
          const gzip =
            offset === 0 && chunk[0] === 0x1f && chunk[1] === 0x8b
              ? ' It starts like a gzip file: decompress it first (TFRecordDataset compression_type="GZIP" compresses the whole file).'
              : '';
          throw fail(
            'length-crc',
            `the length header fails its CRC (stored ${hex(stored)}, computed ${hex(computed)}), so no record from here on can be located. The file is damaged or is not a TFRecord file.${gzip} ${RECREATE}.`,
          );
        }
      }
      const length = chunk.readUInt32LE(at) + chunk.readUInt32LE(at + 4) * TWO_POW_32;
      if (length > size - offset - HEADER_BYTES - FOOTER_BYTES) throw truncated(HEADER_BYTES + length + FOOTER_BYTES);
      if (length > 0x7fffffff)
        throw fail(
          'too-large',
          `its payload of ${length} bytes is larger than one Node.js buffer can hold (2 GiB); write smaller records.`,
        );

      const payloadStart = offset + HEADER_BYTES;
      const footerStart = payloadStart + length;
      const inChunk = Math.max(0, Math.min(length, chunkEnd - payloadStart));
      let data: Buffer;
      if (length - inChunk >= DIRECT_READ_BYTES) {
        // Most of the payload is still in the file: read it, its footer and the next header with
        // one call straight into the payload's own buffer (no copy through the chunk), then hand
        // footer and header over to the chunk.
        const tail = Math.min(FOOTER_BYTES + HEADER_BYTES, size - footerStart);
        const frame = Buffer.allocUnsafe(length + tail);
        chunk.copy(frame, 0, payloadStart - chunkStart, payloadStart - chunkStart + inChunk);
        if (readFullySync(fd, frame, inChunk, length + tail - inChunk, payloadStart + inChunk) < length + tail - inChunk) {
          throw truncated(HEADER_BYTES + length + FOOTER_BYTES);
        }
        frame.copy(chunk, 0, length);
        chunkStart = footerStart;
        chunkEnd = footerStart + tail;
        data = frame.subarray(0, length);
      } else {
        data = Buffer.allocUnsafe(length);
        chunk.copy(data, 0, payloadStart - chunkStart, payloadStart - chunkStart + inChunk);
        if (inChunk < length && readFullySync(fd, data, inChunk, length - inChunk, payloadStart + inChunk) < length - inChunk) {
          throw truncated(HEADER_BYTES + length + FOOTER_BYTES);
        }
        if (footerStart < chunkStart || footerStart + FOOTER_BYTES > chunkEnd) fill(footerStart);
        if (footerStart + FOOTER_BYTES > chunkEnd) throw truncated(HEADER_BYTES + length + FOOTER_BYTES);
      }

      nextOffset = footerStart + FOOTER_BYTES;
      if (verify) {
        const computed = maskedCrc32c(data);
        const stored = chunk.readUInt32LE(footerStart - chunkStart);
        if (computed !== stored) {
          const error = fail(
            'payload-crc',
            `its ${length}-byte payload fails its CRC (stored ${hex(stored)}, computed ${hex(computed)}). ${RECREATE}; to read the other records, pass onCorruptRecord to skip damaged ones.`,
          );
          if (!options.onCorruptRecord) throw error;
          options.onCorruptRecord(error);
          continue;
        }
      }
      yield { data, file, offset, index };
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Iterates the records of one TFRecord file, or of a list of shards in order. */
export function* readTFRecords(files: string | readonly string[], options: TFRecordReadOptions = {}): Generator<TFRecord> {
  for (const file of typeof files === 'string' ? [files] : files) yield* readOneFile(file, options);
}

/** Iterates the tf.train.Examples of one TFRecord file, or of a list of shards in order. */
export function* readExamples(files: string | readonly string[], options: TFRecordReadOptions = {}): Generator<Example> {
  for (const record of readTFRecords(files, options)) yield decodeExample(record.data);
}

/**
 * The complete shard set `<prefix>-NNNNN-of-MMMMM<suffix>` in index order. Throws when none is
 * found, when shard counts disagree, or when a shard is missing, naming what to fix.
 */
export function findShards(prefix: string, suffix = '.tfrecord'): string[] {
  const directory = path.dirname(prefix);
  const base = path.basename(prefix);
  const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^${escapeRegExp(base)}-(\\d{5,})-of-(\\d{5,})${escapeRegExp(suffix)}$`);
  let names: string[];
  try {
    names = fs.readdirSync(directory);
  } catch (error) {
    throw new Error(`Cannot list TFRecord shards ${prefix}-*-of-*${suffix}: ${reason(error)}.`, { cause: error });
  }
  const shards = new Map<number, string>();
  const counts = new Set<number>();
  for (const name of names) {
    const match = pattern.exec(name);
    if (!match) continue;
    shards.set(Number(match[1]), path.join(directory, name));
    counts.add(Number(match[2]));
  }
  const [count] = counts; // every matching name added both a shard and a count
  if (count === undefined)
    throw new Error(`No TFRecord shards match ${prefix}-*-of-*${suffix} in ${directory}; check the prefix and the split name.`);
  if (counts.size > 1)
    throw new Error(
      `TFRecord shards ${prefix}-*-of-*${suffix} come from different writes (shard counts ${[...counts].sort((a, b) => a - b).join(', ')}); delete the stale ones.`,
    );
  const set = `${prefix}-*-of-${String(count).padStart(5, '0')}${suffix}`;
  const beyond = [...shards.keys()].filter((index) => index >= count);
  if (beyond.length > 0)
    throw new Error(
      `TFRecord shard set ${set} has shard number(s) ${beyond.join(', ')}, beyond its count; the files were renamed or damaged. Re-run the step that wrote them.`,
    );
  const missing: number[] = [];
  for (let index = 0; index < count; index++) if (!shards.has(index)) missing.push(index);
  if (missing.length > 0)
    throw new Error(`TFRecord shard set ${set} is incomplete: missing shard(s) ${missing.join(', ')}. Re-run the step that wrote them.`);
  return [...shards.keys()].sort((a, b) => a - b).map((index) => shards.get(index)!);
}
