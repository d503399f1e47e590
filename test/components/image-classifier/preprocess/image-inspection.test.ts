import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { resizeAndEncode } from '../../../../components/image-classifier/preprocess/encode-image';
import { decodeErrorSummary, inspectImage } from '../../../../components/image-classifier/preprocess/image-inspection';
import { greyThumbnailOfImage, pHashOfImage, pixelsOfImage } from '../../../../components/image-classifier/preprocess/perceptual-hash';
import { searchHashes } from '../../../../components/image-classifier/preprocess/image-signature';
import { FileSource } from '../../../../components/image-classifier/lib/storage/file-source';

const files = new FileSource({ gcsAccess: 'client' });

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfp-ts-inspect-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A 40×20 image: left half red, right half blue. */
const wide = () =>
  sharp({ create: { width: 40, height: 20, channels: 3, background: '#ff0000' } }).composite([
    { input: { create: { width: 20, height: 20, channels: 3, background: '#0000ff' } }, left: 20, top: 0 },
  ]);

describe('inspectImage', () => {
  it('reports size, format, pHash and sha256 of a readable image', async () => {
    const bytes = await wide().png().toBuffer();
    fs.writeFileSync(path.join(dir, 'wide.png'), bytes);
    expect(await inspectImage('wide.png', path.join(dir, 'wide.png'), files)).toEqual({
      ok: true,
      width: 40,
      height: 20,
      format: 'png',
      phash: await pHashOfImage(bytes),
      thumbnail: await greyThumbnailOfImage(bytes),
      colour: (await pixelsOfImage(bytes)).colour,
      hashes: searchHashes(await greyThumbnailOfImage(bytes)),
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
  });

  it('keeps a colour thumbnail for colour images only', async () => {
    const colour = (await pixelsOfImage(await wide().png().toBuffer())).colour!;
    // Left half pure red: R plane 4 × 255 per 2×2 sum, G and B 0; right half pure blue.
    expect([colour[0], colour[256], colour[512]]).toEqual([1020, 0, 0]);
    expect([colour[15], colour[256 + 15], colour[512 + 15]]).toEqual([0, 0, 1020]);
    const grey = await sharp(Buffer.alloc(28 * 28, 90), { raw: { width: 28, height: 28, channels: 1 } })
      .png()
      .toBuffer();
    const pixels = await pixelsOfImage(grey);
    expect(pixels.colour).toBeUndefined();
    expect([...new Set(pixels.grey)]).toEqual([90]);
  });

  it('gives the displayed size of an EXIF-rotated JPEG', async () => {
    fs.writeFileSync(path.join(dir, 'turned.jpg'), await wide().jpeg().withMetadata({ orientation: 6 }).toBuffer());
    expect(await inspectImage('turned.jpg', path.join(dir, 'turned.jpg'), files)).toMatchObject({
      ok: true,
      width: 20,
      height: 40,
      format: 'jpeg',
    });
  });

  it('tells a missing file from one that is not an image', async () => {
    expect(await inspectImage('nope.png', path.join(dir, 'nope.png'), files)).toMatchObject({ ok: false, reason: 'missing' });
    expect(await inspectImage('sub', dir, files)).toEqual({
      ok: false,
      reason: 'missing',
      message: `${dir} is a folder, not a file; paths in the manifest are relative to the manifest's folder, absolute, or gs:// URIs`,
    });
    fs.writeFileSync(path.join(dir, 'text.jpg'), 'hello');
    expect(await inspectImage('text.jpg', path.join(dir, 'text.jpg'), files)).toEqual({
      ok: false,
      reason: 'undecodable',
      message: `${path.join(dir, 'text.jpg')} is not a readable image (5 bytes): Input buffer contains unsupported image format; the file is truncated, damaged or not an image: re-export it or remove the row`,
    });
  });

  it("keeps sharp's own clause of an error and drops the racy libvips detail", () => {
    expect(decodeErrorSummary(new Error('Input buffer has corrupt header: VipsJpeg: premature end of JPEG image'))).toBe(
      'Input buffer has corrupt header',
    );
    expect(decodeErrorSummary(new Error('Input buffer has corrupt header: '))).toBe('Input buffer has corrupt header');
    expect(decodeErrorSummary(new Error('VipsJpeg: Premature end of input file\nmore'))).toBe('VipsJpeg: Premature end of input file');
  });
});

describe('resizeAndEncode', () => {
  it('centre-crops to a square JPEG of the requested size', async () => {
    const out = await resizeAndEncode(await wide().png().toBuffer(), { size: 16, quality: 90 });
    expect(out).toMatchObject({ format: 'JPEG', width: 16, height: 16 });
    const { data, info } = await sharp(out.encoded).raw().toBuffer({ resolveWithObject: true });
    expect(info).toMatchObject({ width: 16, height: 16, channels: 3, format: 'raw' });
    // The crop keeps the middle 20 of 40 columns: red on the left, blue on the right.
    const pixel = (x: number, y: number) => [...data.subarray((y * 16 + x) * 3, (y * 16 + x) * 3 + 3)];
    expect(pixel(1, 8)[0]).toBeGreaterThan(200);
    expect(pixel(14, 8)[2]).toBeGreaterThan(200);
  });

  it('applies EXIF orientation and flattens transparency onto white', async () => {
    const turned = await resizeAndEncode(await wide().jpeg().withMetadata({ orientation: 6 }).toBuffer(), { size: 8, quality: 95 });
    expect(turned).toMatchObject({ width: 8, height: 8 });
    // Orientation 6 displays the stored image turned 90° clockwise: its red left half on top.
    const rotated = await sharp(turned.encoded).raw().toBuffer();
    expect(rotated[(1 * 8 + 4) * 3]).toBeGreaterThan(200);
    expect(rotated[(6 * 8 + 4) * 3 + 2]).toBeGreaterThan(200);
    const clear = await sharp({ create: { width: 8, height: 8, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .png()
      .toBuffer();
    const { data } = await sharp((await resizeAndEncode(clear, { size: 8, quality: 95 })).encoded)
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(Math.min(...data)).toBeGreaterThan(245);
  });
});
