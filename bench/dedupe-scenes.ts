/**
 * Photo-like test scenes for bench/dedupe.ts: a gradient sky, overlapping shapes and sensor grain,
 * with look-alikes (the same scene plus one black or white shape) and planted copies (re-encoded,
 * resized, cropped 5 %, brightened or darkened).
 */
import sharp from 'sharp';
import type { Random } from '../components/image-classifier/preprocess/seeded-random';

export interface Shape {
  readonly kind: 'circle' | 'rect';
  readonly x: number;
  readonly y: number;
  readonly size: number;
  readonly colour: string;
}

const colour = (random: Random) => `rgb(${Math.floor(random() * 256)},${Math.floor(random() * 256)},${Math.floor(random() * 256)})`;

export const randomShape = (random: Random, side: number): Shape => ({
  kind: random() < 0.5 ? 'circle' : 'rect',
  x: random() * side,
  y: random() * side,
  size: side * (0.12 + random() * 0.25),
  colour: colour(random),
});

export const SKIES: readonly [string, string][] = [
  ['#8fc6ff', '#f2e2b0'],
  ['#b8d8ff', '#4f8f3a'],
  ['#20304a', '#d08040'],
  ['#f4f4f4', '#c0c8d0'],
];

/** A side × side PNG: a vertical gradient, the shapes, and grain so that no two renders are equal. */
export async function renderScene(side: number, sky: readonly [string, string], shapes: readonly Shape[], random: Random): Promise<Buffer> {
  const body = shapes
    .map((s) =>
      s.kind === 'circle'
        ? `<circle cx="${s.x.toFixed(1)}" cy="${s.y.toFixed(1)}" r="${(s.size / 2).toFixed(1)}" fill="${s.colour}"/>`
        : `<rect x="${(s.x - s.size / 2).toFixed(1)}" y="${(s.y - s.size / 2).toFixed(1)}" width="${s.size.toFixed(1)}" height="${(s.size * 0.7).toFixed(1)}" fill="${s.colour}"/>`,
    )
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${side}" height="${side}"><defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${sky[0]}"/><stop offset="1" stop-color="${sky[1]}"/></linearGradient></defs><rect width="${side}" height="${side}" fill="url(#g)"/>${body}</svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  for (let i = 0; i < data.length; i++) data[i] = Math.max(0, Math.min(255, data[i]! + Math.round((random() - 0.5) * 12))); // `!`: i < data.length
  return sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } })
    .png()
    .toBuffer();
}

/** A copy of an encoded image of side × side pixels. */
export type Variant = (image: Buffer, side: number) => Promise<Buffer>;

const cut = (side: number) => Math.round(side * 0.95);

/** The planted near-duplicates: re-encoded, resized, cropped 5 %, brightened. */
export const PLANTED: Record<string, Variant> = {
  'JPEG q60': (image) => sharp(image).jpeg({ quality: 60 }).toBuffer(),
  'JPEG q95': (image) => sharp(image).jpeg({ quality: 95 }).toBuffer(),
  'resize 2×': (image, side) =>
    sharp(image)
      .resize(side * 2, side * 2)
      .jpeg({ quality: 90 })
      .toBuffer(),
  'resize 0.75×': (image, side) =>
    sharp(image)
      .resize(Math.round(side * 0.75), Math.round(side * 0.75))
      .png()
      .toBuffer(),
  'crop 5 % corner': (image, side) =>
    sharp(image)
      .extract({ left: 0, top: 0, width: cut(side), height: cut(side) })
      .png()
      .toBuffer(),
  'crop 5 % side': (image, side) =>
    sharp(image)
      .extract({ left: side - cut(side), top: 0, width: cut(side), height: side })
      .png()
      .toBuffer(),
  'crop 2.5 % all round': (image, side) => {
    const margin = Math.max(1, Math.round(side * 0.025));
    return sharp(image)
      .extract({ left: margin, top: margin, width: side - 2 * margin, height: side - 2 * margin })
      .jpeg({ quality: 90 })
      .toBuffer();
  },
  'brightness +10 %': (image) => sharp(image).linear(1.1, 0).png().toBuffer(),
  'brightness +20 %': (image) => sharp(image).linear(1.2, 0).jpeg({ quality: 90 }).toBuffer(),
  'brightness −20 %': (image) => sharp(image).linear(0.8, 0).png().toBuffer(),
};

/** Too small to count as the same photo on 28 px images (a 14 px copy): measured, not required. */
export const HALF_SIZE: Variant = (image, side) =>
  sharp(image)
    .resize(Math.round(side / 2), Math.round(side / 2))
    .png()
    .toBuffer();
