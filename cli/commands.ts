import type { Command } from './command';
import { buildCommand } from './commands/build';
import { compileCommand } from './commands/compile';
import { endpointsCommand } from './commands/endpoints';
import { emulatorCommand } from './commands/emulator';
import { execComponentCommand } from './commands/exec-component';
import { lineageCommand, runInfoCommand, runsCommand } from './commands/history';
import { initCommand } from './commands/init';
import { jobsCommand } from './commands/jobs';
import { runCommand } from './commands/run';
import { serveCommand } from './commands/serve';
import { submitCommand } from './commands/submit';
import { typesCommand } from './commands/types';
import { validateCommand } from './commands/validate';

/** Every sub-command, in the order `kfp-ts --help` lists them. */
export const commands: readonly Command[] = [initCommand, compileCommand, validateCommand, typesCommand, runCommand, runsCommand, runInfoCommand, lineageCommand, endpointsCommand, serveCommand, buildCommand, submitCommand, jobsCommand, emulatorCommand, execComponentCommand];
