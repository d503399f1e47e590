import * as path from 'node:path';
import type { ResolvedProjectImage } from './compile-options';

/**
 * A path as it appears in a printed or run docker command: relative to the folder the command runs
 * from when it lies inside it (what a person would type), absolute otherwise.
 */
export function shownPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  if (relative === '') return '.';
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative.split(path.sep).join('/');
}

/** `docker build -f <dockerfile> -t <ref> <context>` for one project image, run from `cwd`. */
export function dockerBuildArgs(image: ResolvedProjectImage, cwd: string): string[] {
  return ['build', '-f', shownPath(image.dockerfile, cwd), '-t', image.image, shownPath(image.context, cwd)];
}

export function dockerPushArgs(image: ResolvedProjectImage): string[] {
  return ['push', image.image];
}

/** A command line to show people: words quoted for sh only where they need it. */
export function shellCommand(words: readonly string[]): string {
  return words.map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`)).join(' ');
}
