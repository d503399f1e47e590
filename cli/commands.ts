import type { Command } from './command';
import { compileCommand } from './commands/compile';
import { demoCommand } from './commands/demo';
import { execComponentCommand } from './commands/exec-component';
import { lineageCommand, runInfoCommand, runsCommand } from './commands/history';
import { runCommand } from './commands/run';
import { validateCommand } from './commands/validate';

/** Every sub-command, in the order `kfp-ts --help` lists them. */
export const commands: readonly Command[] = [demoCommand, compileCommand, validateCommand, runCommand, runsCommand, runInfoCommand, lineageCommand, execComponentCommand];
