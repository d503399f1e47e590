import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { IdxFormatError, encodeIdx, parseIdx, readIdxFile } from '../../../bench/fashion-mnist/idx';

/** An IDX file written byte by byte as the format describes, independent of encodeIdx. */
function handMadeImages(): Uint8Array {
  const header = [0, 0, 0x08, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3];
  return Uint8Array.from([...header, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
}

describe('parseIdx', () => {
  it('reads the shape big-endian and the data row-major', () => {
    const parsed = parseIdx(handMadeImages());
    expect(parsed.shape).toEqual([2, 2, 3]);
    expect([...parsed.data]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('reads sizes above 255 (multi-byte big-endian)', () => {
    const parsed = parseIdx(encodeIdx([300], new Uint8Array(300).fill(7)));
    expect(parsed.shape).toEqual([300]);
    expect(parsed.data.length).toBe(300);
  });

  it('round-trips encodeIdx', () => {
    const data = Uint8Array.from({ length: 4 * 5 * 5 }, (_, i) => i % 251);
    const parsed = parseIdx(encodeIdx([4, 5, 5], data));
    expect(parsed.shape).toEqual([4, 5, 5]);
    expect(Buffer.from(parsed.data).equals(Buffer.from(data))).toBe(true);
  });

  it('refuses a truncated file, naming it', () => {
    const bytes = handMadeImages().subarray(0, 20);
    expect(() => parseIdx(bytes, 'x.idx')).toThrow(IdxFormatError);
    expect(() => parseIdx(bytes, 'x.idx')).toThrow(
      /x\.idx declares shape 2 × 2 × 3 \(12 bytes of data\) but holds 4; the file is truncated/,
    );
    expect(() => parseIdx(bytes.subarray(0, 2), 'x.idx')).toThrow(/too short for an IDX header/);
    expect(() => parseIdx(bytes.subarray(0, 10), 'x.idx')).toThrow(/header declares 3 dimensions/);
  });

  it('refuses gzip bytes and other element types', () => {
    expect(() => parseIdx(zlib.gzipSync(handMadeImages()), 'a.gz')).toThrow(/is it still gzipped/);
    const floats = handMadeImages();
    floats[2] = 0x0d;
    expect(() => parseIdx(floats, 'f.idx')).toThrow(/IDX type 0x0d; only unsigned bytes/);
  });
});

describe('readIdxFile', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'idx-test-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('gunzips .gz files and reads plain ones', () => {
    fs.writeFileSync(path.join(dir, 'images.gz'), zlib.gzipSync(handMadeImages()));
    fs.writeFileSync(path.join(dir, 'images.idx'), handMadeImages());
    expect(readIdxFile(path.join(dir, 'images.gz')).shape).toEqual([2, 2, 3]);
    expect([...readIdxFile(path.join(dir, 'images.idx')).data]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('caps what a .gz file may unpack to, and reports damaged gzip with a fix', () => {
    fs.writeFileSync(path.join(dir, 'big.gz'), zlib.gzipSync(encodeIdx([1000], new Uint8Array(1000))));
    expect(() => readIdxFile(path.join(dir, 'big.gz'), 100)).toThrow(/could not be gunzipped .*reinstall it/);
    fs.writeFileSync(path.join(dir, 'bad.gz'), Buffer.from('not gzip at all'));
    expect(() => readIdxFile(path.join(dir, 'bad.gz'))).toThrow(/bad\.gz could not be gunzipped/);
  });
});
