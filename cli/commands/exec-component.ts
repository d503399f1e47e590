import * as fs from 'node:fs';
import * as path from 'node:path';
import { isFunctionComponent } from '../../compiler/dsl/function-component';
import { executeFunctionComponent } from '../../compiler/dsl/function-executor';
import type { ExecutorInput } from '../../compiler/ir/executor-protocol';
import { UsageError, type Command } from '../command';
import { parseArgs } from '../parse-args';

const usage = `Usage: kfp-ts exec-component <module> <component name> --executor-input JSON

Runs a function component inside its container (or on this machine, for the local runner): the
command a compiled function component has. Not usually typed by hand.
`;

export const execComponentCommand: Command = {
  name: 'exec-component',
  summary: "run a function component's implementation with an executor input (used by compiled pipelines)",
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, { values: { executorInput: ['--executor-input'] } });
    const [modulePath, name, ...extra] = args.positionals;
    if (modulePath === undefined || name === undefined) throw new UsageError('missing the module path or the component name');
    if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    const text = args.values['executorInput'];
    if (text === undefined) throw new UsageError('missing --executor-input');
    let input: ExecutorInput;
    try {
      input = JSON.parse(text) as ExecutorInput;
    } catch (error) {
      io.stderr(`kfp-ts exec-component: --executor-input is not JSON: ${(error as Error).message}\n`);
      return 2;
    }
    const file = path.resolve(io.cwd, modulePath);
    if (!fs.existsSync(file)) {
      io.stderr(`kfp-ts exec-component: ${file} does not exist; run from the project root (the image's working directory)\n`);
      return 1;
    }
    require('../register-ts');
    const module = require(file) as Record<string, unknown>;
    const component = Object.values(module).find((value) => isFunctionComponent(value) && value.definition.name === name);
    if (!isFunctionComponent(component)) {
      io.stderr(`kfp-ts exec-component: ${modulePath} exports no function component named '${name}'\n`);
      return 1;
    }
    try {
      await executeFunctionComponent(component, input);
    } catch (error) {
      // The component's own failure (bad data, a limit exceeded) is the task's error, not ours.
      io.stderr(`component '${name}' failed: ${error instanceof Error ? error.message : String(error)}\n`);
      if (error instanceof Error && error.stack && process.env['KFP_TS_DEBUG']) io.stderr(`${error.stack}\n`);
      return 1;
    }
    return 0;
  },
};
