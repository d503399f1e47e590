import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRootOf } from '../compiler/step-packaging/project-root';
import { CONFIG_FILE_NAMES, type KfpTsConfig } from './config';
import { ConfigError } from './config-error';
import { checkConfig } from './check-config';

export interface LoadedConfig {
  readonly config: KfpTsConfig;
  /** The file it came from; undefined when there is none (every setting at its default). */
  readonly file?: string;
  /** Relative paths in the configuration are relative to this folder. */
  readonly folder: string;
}

/**
 * The configuration that applies to a pipeline file: `explicitFile` when given, else the first
 * kfp-ts.config.{ts,js,json} found going up from the pipeline's folder to its project root (the
 * nearest package.json). Found from the pipeline file, never from the working directory, so a
 * pipeline compiles the same wherever the command runs.
 */
export function loadConfigFor(pipelineFile: string, explicitFile?: string): LoadedConfig {
  return loadConfigOfFolder(path.dirname(path.resolve(pipelineFile)), explicitFile);
}

/**
 * The configuration of the project a folder belongs to (for commands about the project rather
 * than one pipeline, such as `kfp-ts build` run from the cwd): `explicitFile` when given, else the
 * first kfp-ts.config.{ts,js,json} going up from `folder` to the nearest package.json.
 */
export function loadConfigOfFolder(folder: string, explicitFile?: string): LoadedConfig {
  const start = path.resolve(folder);
  const file = explicitFile !== undefined ? path.resolve(explicitFile) : findConfigFile(start);
  // Without a file, paths are relative to where one would be: the project root (see projectRootOf).
  if (file === undefined) return { config: {}, folder: projectRootOf(path.join(start, CONFIG_FILE_NAMES[0])) };
  if (!fs.existsSync(file)) throw new ConfigError(`${file}: no such configuration file`);
  return { config: checkConfig(readConfigFile(file), file), file, folder: path.dirname(file) };
}

function findConfigFile(start: string): string | undefined {
  for (let folder = start; ; folder = path.dirname(folder)) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(folder, name);
      if (fs.existsSync(candidate)) return candidate;
    }
    if (fs.existsSync(path.join(folder, 'package.json')) || path.dirname(folder) === folder) return undefined;
  }
}

function readConfigFile(file: string): unknown {
  try {
    if (file.endsWith('.json')) return JSON.parse(fs.readFileSync(file, 'utf8'));
    require('./register-ts');
    const loaded = require(file) as { default?: unknown };
    const config = file.endsWith('.ts') ? loaded.default : (loaded.default ?? loaded);
    if (config === undefined) throw new ConfigError(`${file}: has no default export; write export default defineConfig({ … })`);
    if (typeof config === 'object' && config !== null && typeof (config as { then?: unknown }).then === 'function') {
      throw new ConfigError(
        `${file}: the default export is a Promise; export the configuration object itself (the configuration is read synchronously)`,
      );
    }
    return config;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`${file}: could not be loaded: ${error instanceof Error ? error.message : String(error)}`);
  }
}
