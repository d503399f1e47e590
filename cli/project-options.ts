import * as path from 'node:path';
import type { CompileOptions } from '../compiler/synth/compile-pipeline';
import { compileOptionsFromConfig } from '../project/compile-options';
import { loadConfigFor, loadConfigOfFolder, type LoadedConfig } from '../project/load-config';
import { checkRegistry } from '../containers/images';

/** The options every command that compiles takes: the configuration file and its overrides. */
export const PROJECT_OPTION_NAMES = { config: ['--config'], registry: ['--registry'] } as const;

export const PROJECT_OPTIONS_USAGE = `  --config FILE           the project's kfp-ts.config.ts (default: the first one found going up
                          from the pipeline file to its package.json)
  --registry PATH         push path of the project's images, overriding the configuration's`;

export interface ProjectOptions {
  readonly loaded: LoadedConfig;
  readonly compile: CompileOptions;
  /** Where tasks run on this machine by default: the project's folder. */
  readonly projectFolder: string;
  /** Where the tasks of each project image run on this machine: its build context, the image's working directory. */
  readonly imageWorkingDirectories: Readonly<Record<string, string>>;
}

/**
 * The compile options for a pipeline file, from its configuration and the command line. Read here,
 * in the CLI, and handed to the compiler: compiling itself reads no files, variables or folders
 * beyond the pipeline's own modules.
 */
export function projectOptionsFor(
  pipelineFile: string,
  values: { readonly config?: string; readonly registry?: string },
  cwd: string,
): ProjectOptions {
  const loaded = loadConfigFor(path.resolve(cwd, pipelineFile), values.config === undefined ? undefined : path.resolve(cwd, values.config));
  const withOverrides = withRegistryOverride(loaded, values.registry);
  const compile = compileOptionsFromConfig(withOverrides);
  const imageWorkingDirectories = Object.fromEntries(
    Object.values(compile.steps?.projectImages ?? {}).map(({ image, context }) => [image, context]),
  );
  return { loaded: withOverrides, compile, projectFolder: loaded.folder, imageWorkingDirectories };
}

/**
 * The configuration of the project the working directory belongs to, with the command line's
 * overrides: for commands about the project itself (`kfp-ts build`), which have no pipeline file
 * to start the search from.
 */
export function projectConfigOfCwd(values: { readonly config?: string; readonly registry?: string }, cwd: string): LoadedConfig {
  const loaded = loadConfigOfFolder(cwd, values.config === undefined ? undefined : path.resolve(cwd, values.config));
  return withRegistryOverride(loaded, values.registry);
}

function withRegistryOverride(loaded: LoadedConfig, override: string | undefined): LoadedConfig {
  const registry = override === undefined ? loaded.config.registry : checkRegistry(override, '--registry');
  return { ...loaded, config: { ...loaded.config, ...(registry !== undefined ? { registry } : {}) } };
}

/** The project options among a command's parsed values. */
export function projectValues(values: Readonly<Record<string, string | undefined>>): { config?: string; registry?: string } {
  return {
    ...(values['config'] !== undefined ? { config: values['config'] } : {}),
    ...(values['registry'] !== undefined ? { registry: values['registry'] } : {}),
  };
}
