import type { Command } from './command';

/** Every sub-command, in the order `kfp-ts --help` lists them. */
export const commands: readonly Command[] = [];
