import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The project a module belongs to: the nearest folder above it with a package.json. Paths written
 * into the IR are relative to it, so the same pipeline compiles to the same IR from any working
 * directory and on any machine.
 */
export function projectRootOf(file: string): string {
  for (let folder = path.dirname(file); ; folder = path.dirname(folder)) {
    if (fs.existsSync(path.join(folder, 'package.json'))) return folder;
    if (path.dirname(folder) === folder) return path.dirname(file);
  }
}

/** `file` relative to `root` with forward slashes, or undefined when it lies outside `root`. */
export function relativeInside(root: string, file: string): string | undefined {
  const relative = path.relative(root, file);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  return relative.split(path.sep).join('/');
}
