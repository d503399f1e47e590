/**
 * Reads a file from this machine, FUSE-mounted buckets included, with the same per-file errors
 * as Cloud Storage reads: a missing, unreadable, special or over-size file is an
 * UnreadableFileError, anything else (an I/O error of the disk) propagates.
 *
 * Only regular files are read, and never more than `maxBytes`: a manifest row naming /dev/zero
 * would otherwise be read until memory runs out, and a FIFO would block the step forever. The
 * path is stat'ed before it is opened (so a device or FIFO is never opened), opened with
 * O_NONBLOCK (opening a FIFO for reading would wait for a writer; a regular file ignores the flag,
 * open(2)), and the descriptor fstat'ed again, since the path may be replaced in between.
 */
import { constants } from 'node:fs';
import * as fs from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { UnreadableFileError } from './read-errors';

export interface LocalReadOptions {
  /** Names the file in messages (a FUSE path is better named by its gs:// URI). */
  readonly describe?: string;
  /** Files larger than this are refused before any byte is read. @default unlimited */
  readonly maxBytes?: number;
}

export async function readLocalFile(localPath: string, what: string, options: LocalReadOptions = {}): Promise<Buffer> {
  const describe = options.describe ?? localPath;
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  try {
    checkRegularFile(await fs.stat(localPath), describe, what, maxBytes);
    const handle = await fs.open(localPath, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const stats = await handle.stat();
      checkRegularFile(stats, describe, what, maxBytes);
      return await readAtMost(handle, stats.size, maxBytes, describe, what);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw unreadable(error, describe, what) ?? error;
  }
}

function checkRegularFile(stats: Stats, describe: string, what: string, maxBytes: number): void {
  if (stats.isDirectory()) throw new UnreadableFileError('missing', `${describe} is a folder, not a file`);
  if (!stats.isFile()) {
    throw new UnreadableFileError(
      'not-a-file',
      `${describe} is ${kindOf(stats)}, not a regular file; the ${what} must be a plain file: copy the data into one`,
    );
  }
  if (stats.size > maxBytes) throw tooLarge(describe, what, `${stats.size} bytes`, maxBytes);
}

/** The file's bytes, stopping one byte past the limit: a file that grew after fstat is still bounded. */
async function readAtMost(handle: fs.FileHandle, size: number, maxBytes: number, describe: string, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const room = Math.min(Math.max(size - total, 64 * 1024), maxBytes + 1 - total);
    if (room <= 0) throw tooLarge(describe, what, 'more', maxBytes);
    const chunk = Buffer.allocUnsafe(room);
    const { bytesRead } = await handle.read(chunk, 0, room, null);
    if (bytesRead === 0) break;
    chunks.push(bytesRead === room ? chunk : chunk.subarray(0, bytesRead));
    total += bytesRead;
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}

function tooLarge(describe: string, what: string, size: string, maxBytes: number): UnreadableFileError {
  return new UnreadableFileError(
    'too-large',
    `${describe} is larger than the limit of ${maxBytes} bytes (${size}); the ${what} is refused unread: shrink it, or raise the limit (maxImageBytes)`,
  );
}

function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** The per-file errors of a read, as UnreadableFileErrors; undefined for an error of the disk itself. */
function unreadable(error: unknown, describe: string, what: string): UnreadableFileError | undefined {
  if (error instanceof UnreadableFileError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new UnreadableFileError('missing', `${what} not found: ${describe}`);
  if (code === 'EISDIR') return new UnreadableFileError('missing', `${describe} is a folder, not a file`);
  if (code === 'EACCES' || code === 'EPERM')
    return new UnreadableFileError(
      'forbidden',
      `${describe} cannot be read: permission denied; make the ${what} readable by the user running the step`,
    );
  if (code === 'ELOOP')
    return new UnreadableFileError('not-a-file', `${describe} is a symbolic link that loops (ELOOP); point the link at a real file`);
  if (code === 'ENAMETOOLONG')
    return new UnreadableFileError('missing', `${what} path is too long (ENAMETOOLONG): ${describe.slice(0, 200)}…`);
  // A FIFO or device swapped in after the stat: opening or reading it would not behave as a file.
  if (code === 'ENXIO' || code === 'EAGAIN' || code === 'ENODEV')
    return new UnreadableFileError('not-a-file', `${describe} is not a regular file (${code})`);
  return undefined;
}
