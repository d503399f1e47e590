import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DockerIgnore, ignoreFileFor, type ParentMatches } from './dockerignore';

/**
 * Folders never part of an image's identity, ignored or not: dependencies are installed inside the
 * image from the lock file, and these differ from machine to machine.
 */
const ALWAYS_LEFT_OUT = new Set(['.git', 'node_modules', '.kfp-ts']);

/**
 * What a build context sends to Docker, sorted, relative with forward slashes: its files, and its
 * symbolic links, which Docker sends as links rather than following. `dockerfile` picks the ignore
 * file as BuildKit does: `<Dockerfile>.dockerignore` when it exists, else the context's.
 */
export function contextFiles(context: string, dockerfile?: string): string[] {
  const ignore = DockerIgnore.read(context, dockerfile);
  const files: string[] = [];
  const walk = (folder: string, prefix: string, parent?: ParentMatches) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      if ((prefix === '' && ALWAYS_LEFT_OUT.has(entry.name)) || entry.name === 'node_modules') continue;
      const { ignored, matches } = ignore.match(relative, parent);
      if (entry.isDirectory()) {
        if (!ignored || ignore.mayTakeBackInside(relative)) walk(path.join(folder, entry.name), relative, matches);
      } else if (!ignored && (entry.isFile() || entry.isSymbolicLink())) files.push(relative);
    }
  };
  walk(context, '');
  return files;
}

/**
 * The tag of a project image: a hash of its Dockerfile and of everything its context sends (names,
 * executable bits, contents, the text of links), so the same sources give the same tag on every
 * machine and any change gives a new one; a new tag is a new image name and so a new KFP cache key.
 * A file Docker sends but the hash misses would turn a code change into a stale cache hit.
 * `hashedContexts` keeps what a context sends, hashed, for the next image built from the same
 * context with the same ignore file (one configuration's images often share the project root).
 */
export function imageContentTag(context: string, dockerfile: string, hashedContexts?: Map<string, Buffer>): string {
  const key = `${context}\0${ignoreFileFor(context, dockerfile) ?? ''}`;
  let sent = hashedContexts?.get(key);
  if (sent === undefined) {
    sent = hashContextFiles(context, dockerfile);
    hashedContexts?.set(key, sent);
  }
  const hash = crypto.createHash('sha256');
  hash.update('kfp-ts image v1\0');
  hash.update(fs.readFileSync(dockerfile));
  hash.update('\0');
  hash.update(sent);
  return `src-${hash.digest('hex').slice(0, 20)}`;
}

/** For each file the context sends, in order: its name, its kind (`x`, `-`, or `l` for a link) and a hash of its content. */
function hashContextFiles(context: string, dockerfile: string): Buffer {
  const parts: Buffer[] = [];
  for (const file of contextFiles(context, dockerfile)) {
    const absolute = path.join(context, file);
    const stats = fs.lstatSync(absolute);
    // Docker copies a link itself, so its text is what the image holds; a dangling link is fine.
    const kind = stats.isSymbolicLink() ? 'l' : (stats.mode & 0o111) !== 0 ? 'x' : '-';
    const content = stats.isSymbolicLink() ? fs.readlinkSync(absolute) : fs.readFileSync(absolute);
    parts.push(Buffer.from(`${file}\0${kind}\0`), crypto.createHash('sha256').update(content).digest());
  }
  return Buffer.concat(parts);
}

/** Whether a file at `file` (existing or not) would be part of what the context sends to Docker. */
export function isSentToDocker(context: string, dockerfile: string, file: string): boolean {
  const relative = path.relative(context, path.resolve(file));
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return false;
  const segments = relative.split(path.sep);
  if (ALWAYS_LEFT_OUT.has(segments[0]!) || segments.includes('node_modules')) return false;
  const ignore = DockerIgnore.read(context, dockerfile);
  let parent: ParentMatches | undefined;
  for (let depth = 1; depth <= segments.length; depth++) {
    const prefix = segments.slice(0, depth).join('/');
    const { ignored, matches } = ignore.match(prefix, parent);
    if (depth === segments.length) return !ignored;
    if (ignored && !ignore.mayTakeBackInside(prefix)) return false;
    parent = matches;
  }
  return false;
}
