import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The file to bundle for one of kfp-ts's own modules. The package ships CommonJS (what Node loads)
 * and, under dist/esm, the same modules as ES modules, which only the step bundler reads: esbuild
 * can drop unused exports of ES modules but not of CommonJS, and that is the difference between a
 * step bundle of tens of kilobytes and one that carries the whole compiler. From a checkout the
 * TypeScript source is itself an ES module.
 */
export function bundleSourceOf(file: string): string {
  const marker = `${path.sep}dist${path.sep}`;
  const at = file.lastIndexOf(marker);
  if (at < 0) return file;
  const esm = `${file.slice(0, at + marker.length)}esm${path.sep}${file.slice(at + marker.length)}`;
  return fs.existsSync(esm) ? esm : file;
}

/** The condition under which kfp-ts's package exports name those ES modules (see package.json). */
export const BUNDLE_CONDITION = 'kfp-ts-bundle';
