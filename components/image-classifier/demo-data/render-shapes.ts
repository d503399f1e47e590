/**
 * Rasterizes the demo classes into raw RGB pixels in plain TypeScript: every pixel comes from the
 * seeded PRNG and arithmetic only, so the same seed gives the same image on every machine (no font,
 * SVG renderer or libvips version in the loop).
 *
 * Each class is a shape or texture drawn in a random foreground colour over a smooth random
 * colour field, at a random position, size and angle, plus uniform per-pixel noise.
 */
import { randomInt, type Random } from '../preprocess/seeded-random';

export const DEMO_SHAPES = ['circle', 'square', 'triangle', 'stripes', 'ring', 'checker'] as const;
export type DemoShape = (typeof DEMO_SHAPES)[number];

export interface RawImage {
  readonly pixels: Buffer;
  readonly width: number;
  readonly height: number;
  readonly channels: 3;
}

type Rgb = [number, number, number];

// Bound once: under Jest every global lookup (`Math`) goes through the vm context's interceptor,
// which makes these per-sample loops about 100 times slower.
const { abs, cos: cosine, sin: sine, floor, max, min, round, PI } = Math;

/** Samples per pixel side: 3×3 supersampling smooths the edges, as a camera would. */
const SUPERSAMPLE = 3;

const luminance = ([r, g, b]: Rgb) => 0.299 * r + 0.587 * g + 0.114 * b;

function randomColour(random: Random): Rgb {
  return [randomInt(random, 0, 255), randomInt(random, 0, 255), randomInt(random, 0, 255)];
}

/** A foreground at least 70 luminance levels from the background, so the shape stays visible in grey. */
function contrastingColour(random: Random, background: Rgb): Rgb {
  for (;;) {
    const colour = randomColour(random);
    if (abs(luminance(colour) - luminance(background)) >= 70) return colour;
  }
}

/** Inside-test for one class in coordinates where the image spans [0, 1]². */
type Coverage = (x: number, y: number) => boolean;

function shapeCoverage(shape: DemoShape, random: Random): Coverage {
  const cx = 0.3 + 0.4 * random();
  const cy = 0.3 + 0.4 * random();
  const radius = 0.18 + 0.14 * random();
  const angle = random() * PI * 2;
  const cos = cosine(angle);
  const sin = sine(angle);
  // (u, v): the point in the shape's own frame, centred and rotated. Closures stay allocation-free:
  // they run 9 times per pixel.
  const frameU = (x: number, y: number) => (x - cx) * cos + (y - cy) * sin;
  const frameV = (x: number, y: number) => -(x - cx) * sin + (y - cy) * cos;
  switch (shape) {
    case 'circle':
      return (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
    case 'ring': {
      const inner = radius * (0.45 + 0.2 * random());
      return (x, y) => {
        const d2 = (x - cx) ** 2 + (y - cy) ** 2;
        return d2 <= radius ** 2 && d2 >= inner ** 2;
      };
    }
    case 'square': {
      const half = radius * 0.85;
      return (x, y) => abs(frameU(x, y)) <= half && abs(frameV(x, y)) <= half;
    }
    case 'triangle': {
      // Equilateral, circumradius `radius`: inside all three edge half-planes.
      const normal = (k: number): [number, number] => {
        const a = angle + (k * 2 * PI) / 3 + PI / 3;
        return [cosine(a), sine(a)];
      };
      const [[ax, ay], [bx, by], [qx, qy]] = [normal(0), normal(1), normal(2)];
      const limit = radius / 2;
      return (x, y) => {
        const dx = x - cx;
        const dy = y - cy;
        return dx * ax + dy * ay <= limit && dx * bx + dy * by <= limit && dx * qx + dy * qy <= limit;
      };
    }
    case 'stripes': {
      const period = 0.16 + 0.12 * random();
      return (x, y) => (((frameU(x, y) / period) % 1) + 1) % 1 < 0.5;
    }
    case 'checker': {
      const period = 0.22 + 0.14 * random();
      return (x, y) => (floor(frameU(x, y) / period) + floor(frameV(x, y) / period)) % 2 === 0;
    }
  }
}

/**
 * A smooth random colour field: a 6×6 grid of random offsets around `base`, bilinearly
 * interpolated. It gives every image strong low-frequency structure of its own, as photos have;
 * on flat backgrounds most of a perceptual hash's bits would hang on near-zero coefficients and
 * flip under re-encoding, while unrelated images of one shape would hash alike.
 */
function smoothField(random: Random, base: Rgb, amplitude: number): (x: number, y: number, channel: number) => number {
  const grid = 6;
  const values = Float64Array.from({ length: grid * grid * 3 }, (_, i) => base[i % 3]! + (random() * 2 - 1) * amplitude);
  return (x, y, channel) => {
    const gx = x * (grid - 1);
    const gy = y * (grid - 1);
    const x0 = min(grid - 2, floor(gx));
    const y0 = min(grid - 2, floor(gy));
    const fx = gx - x0;
    const fy = gy - y0;
    // In range for x, y in [0, 1] and channel < 3: x0, y0 lie in [0, grid - 2].
    const at = (cx: number, cy: number) => values[(cy * grid + cx) * 3 + channel]!;
    return (at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx) * (1 - fy) + (at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx) * fy;
  };
}

/** One image of `shape`, `size`×`size` RGB, drawn from `random`. */
export function renderShape(shape: DemoShape, size: number, random: Random, noise = 6): RawImage {
  const background = randomColour(random);
  const foreground = contrastingColour(random, background);
  const field = smoothField(random, background, 60);
  const inside = shapeCoverage(shape, random);
  const pixels = new Uint8Array(size * size * 3);
  const samples = SUPERSAMPLE * SUPERSAMPLE;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let covered = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          if (inside((px + (sx + 0.5) / SUPERSAMPLE) / size, (py + (sy + 0.5) / SUPERSAMPLE) / size)) covered++;
        }
      }
      const alpha = covered / samples;
      for (let c = 0; c < 3; c++) {
        // c < 3 indexes the Rgb tuple below
        const base = field((px + 0.5) / size, (py + 0.5) / size, c);
        const value = base * (1 - alpha) + foreground[c]! * alpha + (random() * 2 - 1) * noise;
        pixels[(py * size + px) * 3 + c] = max(0, min(255, round(value)));
      }
    }
  }
  return { pixels: Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength), width: size, height: size, channels: 3 };
}
