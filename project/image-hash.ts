import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDockerignore } from './dockerignore';

/**
 * Folders never part of an image's identity, ignored or not: dependencies are installed inside the
 * image from the lock file, and these differ from machine to machine.
 */
const ALWAYS_LEFT_OUT = new Set(['.git', 'node_modules', '.kfp-ts']);

/** The files of a build context that reach the image, sorted, relative with forward slashes. */
export function contextFiles(context: string): string[] {
  const ignoreFile = path.join(context, '.dockerignore');
  const ignored = fs.existsSync(ignoreFile) ? parseDockerignore(fs.readFileSync(ignoreFile, 'utf8')) : () => false;
  const files: string[] = [];
  const walk = (folder: string, prefix: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      if ((prefix === '' && ALWAYS_LEFT_OUT.has(entry.name)) || entry.name === 'node_modules' || ignored(relative)) continue;
      if (entry.isDirectory()) walk(path.join(folder, entry.name), relative);
      else if (entry.isFile()) files.push(relative);
    }
  };
  walk(context, '');
  return files;
}

/**
 * The tag of a project image: a hash of its Dockerfile and of every file of its context (names,
 * executable bits, contents), so the same sources give the same tag on every machine and any
 * change gives a new one; a new tag is a new image name and so a new KFP cache key.
 */
export function imageContentTag(context: string, dockerfile: string): string {
  const hash = crypto.createHash('sha256');
  hash.update('kfp-ts image v1\0');
  hash.update(fs.readFileSync(dockerfile));
  hash.update('\0');
  for (const file of contextFiles(context)) {
    const absolute = path.join(context, file);
    const executable = (fs.statSync(absolute).mode & 0o111) !== 0;
    hash.update(`${file}\0${executable ? 'x' : '-'}\0`);
    hash.update(crypto.createHash('sha256').update(fs.readFileSync(absolute)).digest());
  }
  return `src-${hash.digest('hex').slice(0, 20)}`;
}
