import * as fs from 'node:fs';
import * as path from 'node:path';
import { runStepMain } from '../../compiler/dsl/step-main';
import { relativeInside } from '../../compiler/step-packaging/project-root';
import { UsageError, type Command } from '../sub-command';

const usage = `Usage: kfp-ts exec-component <module> <component name> --executor-input JSON

Runs a containerized function component: the command such a step compiles to, run in the project's
image (whose working directory holds the project) or, by the local runner, in the project's folder.
Not usually typed by hand.
`;

export const execComponentCommand: Command = {
  name: 'exec-component',
  usage,
  async run(argv, io) {
    const [modulePath, name, ...rest] = argv;
    if (modulePath === undefined || name === undefined || modulePath.startsWith('-') || name.startsWith('-')) {
      throw new UsageError('missing the module path or the component name');
    }
    const file = path.resolve(io.cwd, modulePath);
    if (relativeInside(io.cwd, file) === undefined) {
      io.stderr(
        `kfp-ts exec-component: the module ${modulePath} lies outside ${io.cwd}; compiled steps name their module relative to the project folder (the image's working directory)\n`,
      );
      return 2;
    }
    if (!fs.existsSync(file)) {
      io.stderr(`kfp-ts exec-component: ${file} does not exist; the step runs from its project's folder (the image's working directory)\n`);
      return 1;
    }
    require('../../project/register-ts');
    let module: Record<string, unknown>;
    try {
      module = require(file) as Record<string, unknown>;
    } catch (error) {
      io.stderr(
        `kfp-ts exec-component: ${modulePath} failed to load: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      return 1;
    }
    return runStepMain(module, name, rest, io.stderr);
  },
};
