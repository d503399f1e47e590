/**
 * The one way kfp-ts turns names and URIs it did not choose (an IR's pipeline and task names, output
 * keys, a manifest's file names, a request's ids, a gs:// URI) into local paths: the path is
 * resolved, then refused unless it stays inside the folder it belongs to. `path.join(root, name)`
 * alone lets a name such as `../../etc` place files anywhere the process may write.
 */
import * as path from 'node:path';
import { KfpTsError } from '../errors/kfp-ts-error';
import { sanitizeName } from './names';

/** A name or URI that would lead outside the folder it must stay in. */
export class PathEscapeError extends KfpTsError {
  override readonly name = 'PathEscapeError';
}

/**
 * `root` joined with `relative` (one segment, or several), resolved, and refused with a
 * PathEscapeError naming `what` unless it is `root` itself or lies below it.
 */
export function containedPath(root: string, relative: string | readonly string[], what: string): string {
  const parts = typeof relative === 'string' ? [relative] : relative;
  const shown = parts.join('/');
  if (parts.some((part) => part.includes('\0')))
    throw new PathEscapeError(`${what} '${shown.replace(/\0/g, '\\0')}' contains a NUL byte, which no file name can; remove it.`);
  const base = path.resolve(root);
  const target = path.resolve(base, ...parts);
  if (!isInside(base, target)) {
    throw new PathEscapeError(
      `${what} '${shown}' leads outside ${base} (to ${target}); use a name without '..' segments and without a leading '/'.`,
    );
  }
  return target;
}

/**
 * Like containedPath, but the result must lie strictly below `root`: for a name that stands for one
 * entry of a folder (an id, an output key), where naming the folder itself is as wrong as leaving it.
 */
export function containedChild(root: string, name: string, what: string): string {
  const target = containedPath(root, name, what);
  if (target === path.resolve(root))
    throw new PathEscapeError(
      `${what} '${name}' names the folder ${target} itself, not an entry in it; use a name with a letter or digit.`,
    );
  return target;
}

/** Whether `target` is `base` or below it (both absolute and resolved). */
export function isInside(base: string, target: string): boolean {
  const relative = path.relative(base, target);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}

/**
 * A name as a single folder name, sanitised as KFP sanitises pipeline and task names (lower case,
 * each run of characters outside [-0-9a-z] becomes '-'): names the KFP compiler wrote come out
 * unchanged, and no result can be '.', '..' or hold a separator. A name with no letter or digit is
 * refused, naming `what`.
 */
export function pathSegmentFor(name: string, what: string): string {
  const segment = sanitizeName(name);
  if (segment === '')
    throw new PathEscapeError(
      `${what} '${name}' has no letter or digit to name a folder with; rename it with letters, digits and '-' (e.g. 'train-model').`,
    );
  return segment;
}
