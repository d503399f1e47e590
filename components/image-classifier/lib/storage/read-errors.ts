/**
 * The two kinds of read failure callers must tell apart:
 * - UnreadableFileError: this one file or object is missing, forbidden, special or too large; a data problem that
 *   belongs in a report next to the row that named it;
 * - StorageAccessError: Cloud Storage cannot be used at all (credentials, endpoint, network);
 *   every other read would fail the same way, so the step stops with what to fix.
 */
import { KfpTsError } from '../../../../compiler/errors/kfp-ts-error';

/** not-a-file: a FIFO, device, socket or looping symlink; too-large: over the caller's size cap. */
export type UnreadableReason = 'missing' | 'forbidden' | 'not-a-file' | 'too-large';

export class UnreadableFileError extends KfpTsError {
  override readonly name = 'UnreadableFileError';
  constructor(
    readonly reason: UnreadableReason,
    message: string,
  ) {
    super(message);
  }
}

export class StorageAccessError extends KfpTsError {
  override readonly name = 'StorageAccessError';
}

/** True for UnreadableFileError, also across jest's module registries (where instanceof can fail). */
export function isUnreadableFileError(error: unknown): error is UnreadableFileError {
  return error instanceof UnreadableFileError || (error as { name?: unknown } | null)?.name === 'UnreadableFileError';
}
