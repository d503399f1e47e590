import type { ExecutorInput } from '../ir/executor-protocol';
import { isFunctionComponent, type FunctionComponent } from './function-component';
import { FunctionComponentError, executeFunctionComponent } from './function-executor';

/**
 * The entry point of a function component inside its container, shared by both packagings: the
 * lightweight bundle calls it with the step's module already loaded, `kfp-ts exec-component` after
 * loading the module from the project's sources. Returns the process exit status; writes only
 * to `stderr`.
 */
export async function runStepMain(
  module: Readonly<Record<string, unknown>>,
  componentName: string,
  argv: readonly string[],
  stderr: (text: string) => void,
): Promise<number> {
  const index = argv.indexOf('--executor-input');
  const text = index >= 0 ? argv[index + 1] : undefined;
  if (text === undefined) {
    stderr(`step '${componentName}': missing --executor-input; the compiled command passes it as --executor-input '{{$}}'\n`);
    return 2;
  }
  let input: ExecutorInput;
  try {
    input = JSON.parse(text) as ExecutorInput;
  } catch (error) {
    stderr(`step '${componentName}': --executor-input is not JSON: ${(error as Error).message}\n`);
    return 2;
  }
  const component = findFunctionComponent(module, componentName);
  if (typeof component === 'string') {
    stderr(`step '${componentName}': ${component}\n`);
    return 1;
  }
  try {
    await executeFunctionComponent(component, input);
    return 0;
  } catch (error) {
    // The step's own failure (bad data, a limit exceeded) is the task's error: its message first,
    // then where it happened, since the log is all the user sees of a step that ran on Vertex.
    const message = error instanceof Error ? error.message : String(error);
    stderr(`component '${componentName}' failed: ${message}\n`);
    // A declaration mismatch is fully said by its message; anything else thrown needs its stack.
    if (error instanceof Error && error.stack && !(error instanceof FunctionComponentError)) stderr(`${error.stack}\n`);
    return 1;
  }
}

/** The module's exported function component of that name, or why there is none. */
export function findFunctionComponent(module: Readonly<Record<string, unknown>>, name: string): FunctionComponent | string {
  const exported = Object.values(module).filter((value) => isFunctionComponent(value) && value.definition.name === name);
  if (exported.length === 1) return exported[0] as FunctionComponent;
  if (exported.length > 1) return `the module exports ${exported.length} function components named '${name}'; give each a distinct name`;
  return `its module exports no function component named '${name}'; export it (export const step = functionComponent({ name: '${name}', … })) and recompile`;
}
