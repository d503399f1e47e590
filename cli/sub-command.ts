import { KfpTsError } from '../compiler/errors/kfp-ts-error';

/** What every `kfp-ts` sub-command gets: its arguments and the streams to talk through (injectable for tests). */
export interface CommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly cwd: string;
  /** Whether stdout is a terminal (live progress) or not (plain lines). */
  readonly isTTY?: boolean;
}

export interface Command {
  readonly name: string;
  /** Full usage text for `kfp-ts <name> --help`. */
  readonly usage: string;
  /** Returns the process exit code. */
  run(args: readonly string[], io: CommandIo): Promise<number>;
}

/** A usage mistake on the command line: reported with the command's usage, exit code 2. */
export class UsageError extends KfpTsError {
  override readonly name = 'UsageError';
  override readonly exitCode = 2;
}
