/**
 * Reads a file from this machine, FUSE-mounted buckets included, with the same per-file errors
 * as Cloud Storage reads: a missing or unreadable file is an UnreadableFileError, anything else
 * (an I/O error of the disk) propagates.
 */
import * as fs from 'node:fs/promises';
import { UnreadableFileError } from './read-errors';

/** `describe` names the file in messages (a FUSE path is better named by its gs:// URI). */
export async function readLocalFile(localPath: string, what: string, describe = localPath): Promise<Buffer> {
  try {
    return await fs.readFile(localPath);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new UnreadableFileError('missing', `${what} not found: ${describe}`);
    if (code === 'EISDIR') throw new UnreadableFileError('missing', `${describe} is a folder, not a file`);
    if (code === 'EACCES' || code === 'EPERM') throw new UnreadableFileError('forbidden', `${describe} cannot be read: permission denied; make the ${what} readable by the user running the step`);
    throw error;
  }
}
