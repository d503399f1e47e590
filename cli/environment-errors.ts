/**
 * Errors of the machine rather than of kfp-ts or the user's input: a full disk, a read-only or
 * forbidden folder, too many open files, a metadata store that cannot be written or is held by
 * another process, a port in use. They come from Node's fs/net (`error.code` is the errno name,
 * `error.path` / `error.address` say what) and from better-sqlite3 (`error.code` is SQLite's
 * extended result code name, e.g. SQLITE_READONLY_DBMOVED, SQLITE_IOERR_WRITE). The CLI turns each
 * into one line saying what to do instead of an internal error with a stack trace.
 */

interface ErrorFields {
  readonly code?: unknown;
  readonly path?: unknown;
  readonly address?: unknown;
  readonly port?: unknown;
  readonly message?: unknown;
  readonly cause?: unknown;
}

/** The SQLite store every command that records or reads runs uses, as the user names it. */
const STORE = 'the ML Metadata store (--metadata FILE, default .kfp-ts/metadata.sqlite)';

/** What to do about `error`, when it is a known environment problem; undefined for anything else. */
export function describeEnvironmentError(error: unknown): string | undefined {
  // Wrappers keep the original in `cause`; a few levels are enough and a cycle cannot loop.
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    const described = describeOne(current as ErrorFields);
    if (described !== undefined) return described;
    current = (current as ErrorFields).cause;
  }
  return undefined;
}

function describeOne(error: ErrorFields): string | undefined {
  const code = typeof error.code === 'string' ? error.code : undefined;
  const message = typeof error.message === 'string' ? error.message : '';
  const at = typeof error.path === 'string' ? ` at ${error.path}` : '';
  switch (code) {
    case 'ENOSPC':
      return `no space left on the device${at} (ENOSPC): free disk space, or point --pipeline-root / --metadata / -o at a disk with room, then run the command again`;
    case 'EDQUOT':
      return `disk quota exceeded${at} (EDQUOT): free space within your quota, or write to another disk, then run the command again`;
    case 'EROFS':
      return `the file system${at} is read-only (EROFS): write to a writable folder instead (--pipeline-root, --metadata, -o), or remount it read-write`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied${at} (${code}): make it readable and writable by this user (ls -l shows the owner), or use another folder`;
    case 'EMFILE':
    case 'ENFILE':
      return `too many open files (${code}): raise the limit (ulimit -n 4096) or run fewer tasks at once (--parallelism)`;
    case 'EADDRINUSE': {
      const where = typeof error.address === 'string' ? ` ${error.address}${typeof error.port === 'number' ? `:${error.port}` : ''}` : '';
      return `the address${where} is already in use (EADDRINUSE): stop what listens there, or choose another --port`;
    }
  }
  if (code?.startsWith('SQLITE_READONLY')) {
    return `${STORE} cannot be written (${code}): the file or its folder is read-only; make both writable by this user, or pass --metadata FILE on a writable disk`;
  }
  if (code?.startsWith('SQLITE_FULL')) {
    return `${STORE} cannot grow: the disk is full (${code}); free disk space, or pass --metadata FILE on a disk with room`;
  }
  if (code?.startsWith('SQLITE_BUSY') || code?.startsWith('SQLITE_LOCKED') || /database is locked/i.test(message)) {
    return `${STORE} is locked by another process (${code ?? 'database is locked'}): wait for the other kfp-ts command to finish, or pass another --metadata FILE`;
  }
  if (code?.startsWith('SQLITE_CANTOPEN')) {
    return `${STORE} cannot be opened (${code}): check that its folder exists and is writable by this user`;
  }
  if (code?.startsWith('SQLITE_IOERR')) {
    return `${STORE} could not be read or written (${code}): check the disk it is on (free space, a read-only or unmounted volume), then run the command again`;
  }
  return undefined;
}
