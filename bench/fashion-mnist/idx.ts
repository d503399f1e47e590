/**
 * The IDX file format of MNIST and Fashion-MNIST (as described on yann.lecun.com/exdb/mnist):
 * a 4-byte magic number `0x00 0x00 <type> <dims>`, then `dims` big-endian uint32 sizes, then the
 * data, row-major. Fashion-MNIST ships unsigned-byte files (type 0x08): images as N × 28 × 28,
 * labels as N. The Debian package stores them gzipped, so `.gz` files are gunzipped first, with the
 * output capped so a damaged or hostile file cannot exhaust memory.
 */
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';

/** The IDX type code of unsigned bytes, the only one this reader accepts. */
const UNSIGNED_BYTE = 0x08;

/** Far above the largest Fashion-MNIST file (47 MB of training images unpacked). */
export const MAX_IDX_BYTES = 256 * 1024 * 1024;

export class IdxFormatError extends Error {
  override readonly name = 'IdxFormatError';
}

export interface IdxArray {
  /** Sizes of each dimension, outermost first (e.g. [60000, 28, 28]). */
  readonly shape: readonly number[];
  /** Row-major values. */
  readonly data: Uint8Array;
}

/** Parses unsigned-byte IDX bytes; `source` names the file in errors. */
export function parseIdx(bytes: Uint8Array, source = 'IDX data'): IdxArray {
  if (bytes.length < 4) throw new IdxFormatError(`${source} is ${bytes.length} bytes, too short for an IDX header; the file is truncated.`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new IdxFormatError(
      `${source} does not start with an IDX magic number (00 00 <type> <dims>); is it still gzipped, or not an IDX file?`,
    );
  }
  const type = bytes[2]!;
  const dims = bytes[3]!;
  if (type !== UNSIGNED_BYTE)
    throw new IdxFormatError(
      `${source} holds IDX type 0x${type.toString(16).padStart(2, '0')}; only unsigned bytes (0x08), as Fashion-MNIST uses, are read.`,
    );
  if (dims < 1) throw new IdxFormatError(`${source} declares 0 dimensions; an IDX file has at least one.`);
  const headerBytes = 4 + 4 * dims;
  if (bytes.length < headerBytes)
    throw new IdxFormatError(
      `${source} is ${bytes.length} bytes but its header declares ${dims} dimensions (${headerBytes} bytes); the file is truncated.`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape = Array.from({ length: dims }, (_, i) => view.getUint32(4 + 4 * i, false));
  const count = shape.reduce((product, size) => product * size, 1);
  if (bytes.length - headerBytes !== count) {
    throw new IdxFormatError(
      `${source} declares shape ${shape.join(' × ')} (${count} bytes of data) but holds ${bytes.length - headerBytes}; the file is truncated or damaged.`,
    );
  }
  return { shape, data: bytes.subarray(headerBytes) };
}

/** Reads an IDX file, gunzipping it when its name ends in `.gz`. */
export function readIdxFile(file: string, maxBytes = MAX_IDX_BYTES): IdxArray {
  const stored = fs.readFileSync(file);
  let bytes: Uint8Array;
  if (file.endsWith('.gz')) {
    try {
      bytes = zlib.gunzipSync(stored, { maxOutputLength: maxBytes });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new IdxFormatError(
        `${file} could not be gunzipped (${reason}); reinstall it (sudo apt-get install --reinstall dataset-fashion-mnist).`,
      );
    }
  } else {
    if (stored.length > maxBytes)
      throw new IdxFormatError(`${file} is ${stored.length} bytes, over the ${maxBytes}-byte limit for an IDX file.`);
    bytes = stored;
  }
  return parseIdx(bytes, file);
}

/** Writes unsigned-byte IDX bytes (for tests and small fixtures). */
export function encodeIdx(shape: readonly number[], data: Uint8Array): Uint8Array {
  const count = shape.reduce((product, size) => product * size, 1);
  if (count !== data.length) throw new Error(`shape ${shape.join(' × ')} needs ${count} values, got ${data.length}.`);
  const out = new Uint8Array(4 + 4 * shape.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = UNSIGNED_BYTE;
  out[3] = shape.length;
  shape.forEach((size, i) => view.setUint32(4 + 4 * i, size, false));
  out.set(data, 4 + 4 * shape.length);
  return out;
}
