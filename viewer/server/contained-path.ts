/**
 * Every file the viewer serves lies under one of the pipeline roots it was started with: the path is
 * resolved, checked to stay under the root, then resolved again through symlinks (realpath) and
 * checked again, so neither `..` nor a link inside the root can reach a file outside it. Reads are
 * bounded: a page never makes the server read a whole large file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KfpTsError } from '../../compiler/errors/kfp-ts-error';

export class OutsideRootError extends KfpTsError {
  override readonly name = 'OutsideRootError';
}

const within = (root: string, target: string): boolean => {
  const relative = path.relative(root, target);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
};

/** The real path of `target` (absolute, or relative to no root) if it exists under one of `roots`; else throws OutsideRootError. */
export function containedPath(roots: readonly string[], target: string): string {
  const resolved = path.resolve(target);
  for (const root of roots) {
    const rootResolved = path.resolve(root);
    if (!within(rootResolved, resolved)) continue;
    let real: string;
    let realRoot: string;
    try {
      realRoot = fs.realpathSync(rootResolved);
      real = fs.realpathSync(resolved);
    } catch {
      throw new OutsideRootError(`${target} does not exist`);
    }
    if (within(realRoot, real)) return real;
    throw new OutsideRootError(
      `${target} is a link to a file outside the pipeline root ${rootResolved}; the viewer serves only files under it`,
    );
  }
  throw new OutsideRootError(
    `${target} is outside the pipeline root${roots.length === 1 ? '' : 's'} ${roots.join(', ')}; start kfp-ts ui with --pipeline-root set to the root the run used`,
  );
}

/** `relative` inside `base` (itself under a root): refuses absolute paths and `..` before touching the disk. */
export function containedChild(roots: readonly string[], base: string, relative: string): string {
  if (path.isAbsolute(relative) || relative.split(/[\\/]/).includes('..'))
    throw new OutsideRootError(`'${relative}' must be a path inside the artifact, without '..'`);
  return containedPath(roots, path.join(base, relative));
}

export interface BoundedRead {
  readonly data: Buffer;
  readonly size: number;
  readonly truncated: boolean;
}

/** At most `limit` bytes of a file: its start, or its end when `tail`. */
export function readBounded(file: string, limit: number, tail = false): BoundedRead {
  const fd = fs.openSync(file, 'r');
  try {
    const { size } = fs.fstatSync(fd);
    const length = Math.min(size, limit);
    const data = Buffer.alloc(length);
    const position = tail ? size - length : 0;
    let read = 0;
    while (read < length) {
      const n = fs.readSync(fd, data, read, length - read, position + read);
      if (n === 0) break;
      read += n;
    }
    return { data: data.subarray(0, read), size, truncated: size > length };
  } finally {
    fs.closeSync(fd);
  }
}
