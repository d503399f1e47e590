/**
 * CRC32C (Castagnoli), the checksum of TFRecord framing, and TensorFlow's CRC mask.
 *
 * CRC32C is not the zlib/PNG CRC-32 that `zlib.crc32` computes: it uses the reflected polynomial
 * 0x82F63B78, initial value and final XOR 0xFFFFFFFF; crc32c("123456789") = 0xE3069283.
 *
 * Two implementations, one result:
 * - native: `@node-rs/crc32` (a prebuilt N-API binary using the CPU's CRC32C instruction, shipped
 *   as a platform optionalDependency, no install script), about 3.4 GB/s on 50 KB buffers here;
 * - TypeScript: slicing-by-8 with aligned 32-bit loads, about 1 GB/s, for platforms without a
 *   prebuilt binary, installs that skipped optional dependencies, or KFP_TS_CRC32C=typescript.
 * crc32c() uses the native one for inputs of NATIVE_MIN_BYTES or more, where it is faster; below
 * that an N-API call costs more than the whole TypeScript loop (a record header is 8 bytes).
 * The native module is used only after it reproduces known CRCs at load; a failure to load is
 * silent, and crc32cImplementation says which one is active.
 */
import * as os from 'node:os';

const POLYNOMIAL = 0x82f63b78;
/** TensorFlow's `kMaskDelta` (tensorflow/core/lib/hash/crc32c.h). */
const MASK_DELTA = 0xa282ead8;
/** Below this many bytes a typed-array view costs more than it saves; use byte loads. */
const WORD_PATH_MIN_BYTES = 64;
// Int32Array reads use the platform byte order, and the tables below assume little-endian words.
const LITTLE_ENDIAN = os.endianness() === 'LE';

// The `!`s below index typed arrays where the loop bounds keep every index in range: byte values
// (masked to 8 bits) plus a multiple of 256 under 2048 into TABLES, `i < length` into the data and
// `w < words.length` (always even) into the words. A check inside these loops would cost throughput.

/**
 * Eight 256-entry tables in one array: table k (at offset 256 k) holds the CRC of a byte followed
 * by k zero bytes, so eight input bytes are folded in with eight independent lookups.
 */
const TABLES = buildTables();

function buildTables(): Int32Array {
  const tables = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let crc = n;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ POLYNOMIAL : crc >>> 1;
    tables[n] = crc;
  }
  for (let k = 1; k < 8; k++) {
    for (let n = 0; n < 256; n++) {
      const previous = tables[(k - 1) * 256 + n]!;
      tables[k * 256 + n] = tables[previous & 0xff]! ^ (previous >>> 8);
    }
  }
  return tables;
}

/**
 * CRC32C of `data` in TypeScript (slicing-by-8), as a uint32; the fallback of {@link crc32c}.
 * Pass the result of a previous call as `previous` to continue a checksum over data that arrives
 * in pieces: crc32cTypeScript(b, crc32cTypeScript(a)) === crc32cTypeScript(a ++ b).
 */
export function crc32cTypeScript(data: Uint8Array, previous = 0): number {
  const t = TABLES;
  let crc = ~previous;
  let i = 0;
  const length = data.length;

  if (LITTLE_ENDIAN && length >= WORD_PATH_MIN_BYTES) {
    // Bytes up to the next 4-byte boundary, so the rest can be read as aligned 32-bit words.
    const misalignment = (4 - (data.byteOffset & 3)) & 3;
    for (; i < misalignment; i++) crc = t[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
    const words = new Int32Array(data.buffer, data.byteOffset + i, ((length - i) >>> 3) << 1);
    for (let w = 0; w < words.length; w += 2) {
      const low = crc ^ words[w]!;
      const high = words[w + 1]!;
      crc =
        t[1792 + (low & 0xff)]! ^
        t[1536 + ((low >>> 8) & 0xff)]! ^
        t[1280 + ((low >>> 16) & 0xff)]! ^
        t[1024 + (low >>> 24)]! ^
        t[768 + (high & 0xff)]! ^
        t[512 + ((high >>> 8) & 0xff)]! ^
        t[256 + ((high >>> 16) & 0xff)]! ^
        t[high >>> 24]!;
    }
    i += words.length * 4;
  } else {
    for (; i + 8 <= length; i += 8) {
      const low = crc ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24));
      crc =
        t[1792 + (low & 0xff)]! ^
        t[1536 + ((low >>> 8) & 0xff)]! ^
        t[1280 + ((low >>> 16) & 0xff)]! ^
        t[1024 + (low >>> 24)]! ^
        t[768 + data[i + 4]!]! ^
        t[512 + data[i + 5]!]! ^
        t[256 + data[i + 6]!]! ^
        t[data[i + 7]!]!;
    }
  }
  for (; i < length; i++) crc = t[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

export type Crc32cFunction = (data: Uint8Array, previous?: number) => number;

/** Below this many bytes the TypeScript loop beats an N-API call (measured crossover: ~512 bytes). */
export const NATIVE_MIN_BYTES = 512;

/**
 * Loads `@node-rs/crc32`'s crc32c, or returns undefined: when KFP_TS_CRC32C=typescript, when the
 * package or its platform binary is missing or fails to load, or when it disagrees with the
 * TypeScript implementation on known inputs. Nothing is logged: the fallback is correct, only slower.
 * Exported for tests, which pass a loader that fails.
 */
export function loadNativeCrc32c(load: () => unknown = () => require('@node-rs/crc32')): Crc32cFunction | undefined {
  if (process.env.KFP_TS_CRC32C === 'typescript') return undefined;
  let candidate: unknown;
  try {
    candidate = (load() as { crc32c?: unknown } | null)?.crc32c;
  } catch {
    return undefined;
  }
  if (typeof candidate !== 'function') return undefined;
  const native = candidate as (data: Uint8Array, initialState?: number) => number;
  try {
    // The check value, a buffer long enough for the native path at an odd offset, and a continued checksum.
    const check = Buffer.from('123456789');
    const sample = new Uint8Array(NATIVE_MIN_BYTES * 2 + 3).map((_, i) => (i * 31 + 7) & 0xff).subarray(3);
    const expected = crc32cTypeScript(sample);
    const ok =
      native(check) === 0xe3069283 &&
      native(sample) === expected &&
      native(sample.subarray(NATIVE_MIN_BYTES), crc32cTypeScript(sample.subarray(0, NATIVE_MIN_BYTES))) === expected;
    return ok ? (data, previous = 0) => native(data, previous) : undefined;
  } catch {
    return undefined;
  }
}

const nativeCrc32c = loadNativeCrc32c();

/** Which implementation crc32c() uses for large inputs: 'native (@node-rs/crc32)' or 'typescript'. */
export const crc32cImplementation: 'native (@node-rs/crc32)' | 'typescript' = nativeCrc32c ? 'native (@node-rs/crc32)' : 'typescript';

/**
 * CRC32C of `data`, as a uint32: native for inputs of NATIVE_MIN_BYTES or more when available,
 * TypeScript otherwise; both give the same result. Pass the result of a previous call as
 * `previous` to continue a checksum over data that arrives in pieces: crc32c(b, crc32c(a)) ===
 * crc32c(a ++ b).
 */
export const crc32c: Crc32cFunction =
  nativeCrc32c === undefined
    ? crc32cTypeScript
    : (data, previous = 0) => (data.length >= NATIVE_MIN_BYTES ? nativeCrc32c(data, previous) : crc32cTypeScript(data, previous));

/**
 * TensorFlow's mask: rotate right by 15 bits, add kMaskDelta modulo 2^32. Masking keeps a CRC
 * stored inside checksummed data from looking like valid data to the CRC itself.
 *
 * The final `>>> 0` matters: JS bitwise operators return signed int32 and the sum can pass 2^32
 * (about one CRC in seven), which `writeUInt32LE` rejects and uint32 comparisons never equal.
 */
export function maskCrc(crc: number): number {
  return (((crc >>> 15) | (crc << 17)) + MASK_DELTA) >>> 0;
}

/** Inverse of {@link maskCrc}; readers never need it (they compare masked values), tools might. */
export function unmaskCrc(masked: number): number {
  const rotated = (masked - MASK_DELTA) >>> 0;
  return ((rotated >>> 17) | (rotated << 15)) >>> 0;
}

/** The masked CRC32C of `data`, exactly as TFRecord stores it after the length and the payload. */
export function maskedCrc32c(data: Uint8Array): number {
  return maskCrc(crc32c(data));
}
