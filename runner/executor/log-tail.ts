import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const CHUNK_BYTES = 64 * 1024;

/**
 * The last `lines` lines of a task's log, for an error report; '' when there is no log. Reads
 * backwards in chunks, so a large log costs no more than its tail. Cutting at a newline byte is
 * safe for UTF-8 (0x0A never occurs inside a multi-byte character).
 */
export function tailOfLog(logFile: string, lines = 20): string {
  if (lines <= 0) return '';
  let fd: number;
  try {
    fd = openSync(logFile, 'r');
  } catch {
    return '';
  }
  try {
    const size = fstatSync(fd).size;
    let start = size;
    let tail = Buffer.alloc(0);
    // `lines` line breaks before the end (a final newline aside) mark where the tail begins.
    while (start > 0 && lineBreaks(tail) < lines) {
      const length = Math.min(CHUNK_BYTES, start);
      start -= length;
      const chunk = Buffer.alloc(length);
      readSync(fd, chunk, 0, length, start);
      tail = Buffer.concat([chunk, tail]);
    }
    const text = tail.toString('utf8').replace(/\n$/, '');
    return text.split('\n').slice(-lines).join('\n');
  } finally {
    closeSync(fd);
  }
}

/** Newlines that separate lines; the one that ends the file closes the last line instead. */
function lineBreaks(buffer: Buffer): number {
  let count = 0;
  for (let i = 0; i < buffer.length; i++) if (buffer[i] === 0x0a) count++;
  return buffer.length > 0 && buffer[buffer.length - 1] === 0x0a ? count - 1 : count;
}
